/**
 * Checkpoints, output paths, logs and metrics files as a skeptical new user
 * (or a hostile filesystem) treats them (issue 17): every file stays whole,
 * every bad value is refused naming the file and the parameter. Members are
 * read from the module namespace at call time, so a missing one fails its
 * own tests only. Each test names the row of the issue it keeps fixed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as common from "../src/index.js";
import type { Checkpoint, MetricRecord } from "../src/index.js";
import { quietStdout, tempDirs } from "./tempDirs.js";

const isRoot = process.getuid?.() === 0;

const tempDir = tempDirs("app-common-adversarial-");

quietStdout();

type Body = Omit<Checkpoint, "format" | "version">;

function body(epoch: number, data: unknown[] = [0.5, -1, 2, 3]): Body {
  return {
    app: "test-app",
    epoch,
    model: { "layer.weights": { shape: [data.length], data: data as number[] } },
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: {},
    bestValAccuracy: 0.25,
  };
}

/** A character device with /dev/full's numbers in a temporary directory (root), or /dev/full (no one else can replace it). */
function devFullLike(): string {
  if (!isRoot) return "/dev/full";
  const node = path.join(tempDir(), "full");
  const rdev = fs.statSync("/dev/full").rdev;
  const made = spawnSync("mknod", [node, "c", String(Math.floor(rdev / 256) & 0xfff), String(rdev % 256)]);
  if (made.status !== 0) spawnSync("mkfifo", [node]);
  return node;
}

describe("adversarial: checkpoints and output files", () => {
  describe("row 1: output directories on special filesystems", () => {
    it.runIf(fs.existsSync("/proc/self"))("prepareOutput under /proc/x fails at once with ENOENT (checked in a child with a timeout, so a hang fails)", () => {
      const script = `import("${new URL("../dist/index.js", import.meta.url).href}").then((m) => { try { m.prepareOutput("--log", "/proc/x/run.txt"); console.log("accepted"); } catch (e) { console.log(e.message); } })`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.trim()).toBe("--log /proc/x/run.txt: cannot create directory /proc/x (ENOENT)");
    });

    it("missing parents are made one level at a time; a file in the way is named", () => {
      const dir = tempDir();
      expect(common.prepareOutput("--log", path.join(dir, "a", "b", "run.txt"))).toBe(path.join(fs.realpathSync(dir), "a", "b", "run.txt"));
      expect(fs.statSync(path.join(dir, "a", "b")).isDirectory()).toBe(true);
      expect(fs.readdirSync(path.join(dir, "a", "b"))).toEqual([]);
      fs.writeFileSync(path.join(dir, "plain"), "");
      expect(() => common.prepareOutput("--save", path.join(dir, "plain", "x.json"))).toThrow(`--save ${path.join(dir, "plain", "x.json")}: ${path.join(dir, "plain")} is not a directory`);
    });
  });

  describe("row 2: a target that is not a regular file is refused, and never replaced", () => {
    it("prepareOutput refuses /dev/full, a directory and a named pipe", () => {
      expect(() => common.prepareOutput("--save", "/dev/full", { replace: true })).toThrow("--save /dev/full is not a regular file (it is a character device)");
      const dir = tempDir();
      expect(() => common.prepareOutput("--log", dir)).toThrow(`--log ${dir} is not a regular file (it is a directory)`);
      const fifo = path.join(dir, "pipe");
      if (spawnSync("mkfifo", [fifo]).status === 0) {
        expect(() => common.prepareOutput("--metrics", fifo)).toThrow(`--metrics ${fifo} is not a regular file (it is a named pipe)`);
      }
    });

    it("saveCheckpoint onto a character device throws and leaves the device in place", () => {
      const device = devFullLike();
      expect(() => common.saveCheckpoint(device, body(1))).toThrow(new RegExp(`^checkpoint ${device} is not a regular file`));
      expect(fs.statSync(device).isFile()).toBe(false);
    });
  });

  describe("row 4: checkpoint values must be finite numbers, on load and on save", () => {
    it.each([
      ["x", '"x"'],
      [null, "null"],
      ["NaN", '"NaN"'],
      [true, "true"],
    ])("a weight %j is refused on load, naming the file and the parameter", (value, shown) => {
      const file = path.join(tempDir(), "ckpt.json");
      common.saveCheckpoint(file, body(1));
      const c = JSON.parse(fs.readFileSync(file, "utf8")) as { model: Record<string, { data: unknown[] }> };
      c.model["layer.weights"]!.data[2] = value;
      fs.writeFileSync(file, JSON.stringify(c));
      expect(() => common.loadCheckpoint(file, "test-app")).toThrow(`checkpoint ${file}: parameter "layer.weights" value 2 is ${shown}, not a finite number`);
    });

    it("a weight that is too large for a double (1e999 reads as Infinity) is refused on load", () => {
      const file = path.join(tempDir(), "ckpt.json");
      common.saveCheckpoint(file, body(1));
      fs.writeFileSync(file, fs.readFileSync(file, "utf8").replace("0.5", "1e999"));
      expect(() => common.loadCheckpoint(file, "test-app")).toThrow(`parameter "layer.weights" value 0 is Infinity, not a finite number`);
    });

    it("shapes and counts that disagree, a bad learning rate or random state are refused on load", () => {
      const file = path.join(tempDir(), "ckpt.json");
      const full = { format: "minitorch-ts-checkpoint", version: 1, ...body(1) };
      const cases: Array<[unknown, RegExp]> = [
        [{ ...full, model: { w: { shape: [3], data: [1, 2] } } }, /parameter "w" of shape \[3\] needs 3 values, has 2/],
        [{ ...full, model: { w: { shape: [-1], data: [] } } }, /parameter "w" needs a shape/],
        [{ ...full, optimizer: { lr: "0.1" } }, /optimizer lr must be a positive number, got "0.1"/],
        [{ ...full, random: [1, 2, 3, 4.5] }, /random state must be four 32-bit unsigned integers/],
        [{ ...full, bestValAccuracy: 2 }, /bestValAccuracy must be a number in \[0, 1\], got 2/],
      ];
      for (const [c, message] of cases) {
        fs.writeFileSync(file, JSON.stringify(c));
        expect(() => common.loadCheckpoint(file, "test-app")).toThrow(message);
      }
    });

    it("a model holding NaN or Infinity is not saved; the previous checkpoint stays whole", () => {
      const file = path.join(tempDir(), "ckpt.json");
      common.saveCheckpoint(file, body(1));
      const before = fs.readFileSync(file, "utf8");
      expect(() => common.saveCheckpoint(file, body(2, [1, NaN, 3]))).toThrow(`cannot save checkpoint ${file}: parameter "layer.weights" value 1 is NaN, not a finite number`);
      expect(() => common.saveCheckpoint(file, body(2, [1, 2, -Infinity]))).toThrow(/value 2 is -Infinity, not a finite number/);
      expect(fs.readFileSync(file, "utf8")).toBe(before);
      expect(fs.readdirSync(path.dirname(file))).toEqual(["ckpt.json"]);
    });
  });

  describe("row 7: a failed save names the checkpoint, not its temporary file", () => {
    it("when the temporary file cannot be made", () => {
      const dir = tempDir();
      const file = path.join(dir, "ckpt.json");
      // A directory where the temporary file would go: opening it for writing fails.
      fs.mkdirSync(path.join(dir, `.ckpt.json.${process.pid}.tmp`));
      let message = "";
      try {
        common.saveCheckpoint(file, body(1));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toBe(`cannot write checkpoint ${file}: EISDIR`);
    });
  });

  describe("row 13: outputs are distinct files", () => {
    it("the same path (however written), a hard link, or an output onto an input is refused; --save onto --resume is allowed", () => {
      const dir = tempDir();
      const a = path.join(dir, "a.txt");
      expect(() => common.checkDistinct([{ option: "--log", file: a }, { option: "--save", file: path.join(dir, ".", "x", "..", "a.txt") }], [])).toThrow(
        /^--log .*a\.txt and --save .*a\.txt are the same file; give each its own$/,
      );
      fs.writeFileSync(a, "");
      fs.linkSync(a, path.join(dir, "b.jsonl"));
      expect(() => common.checkDistinct([{ option: "--log", file: a }, { option: "--metrics", file: path.join(dir, "b.jsonl") }], [])).toThrow(/are the same file/);
      expect(() => common.checkDistinct([{ option: "--log", file: a }], [{ option: "--resume", file: a }])).toThrow(/^--log .* and --resume .* are the same file/);
      expect(() => common.checkDistinct([{ option: "--save", file: a }], [{ option: "--resume", file: a }], [["--save", "--resume"]])).not.toThrow();
    });
  });

  describe("row 8: logs and metrics files of runs that stop", () => {
    it("a run that stops before its first line leaves no file; after lines, its log ends with why", () => {
      const dir = tempDir();
      const quiet = new common.RunLog(path.join(dir, "quiet.txt"), "# header");
      const metrics = new common.MetricsWriter(path.join(dir, "quiet.metrics.jsonl"));
      const spoken = new common.RunLog(path.join(dir, "spoken.txt"), "# header");
      spoken.line("MNIST from somewhere");
      common.stopRuns("checkpoint x.json does not fit this model");
      expect(fs.readdirSync(dir)).toEqual(["spoken.txt"]);
      expect(fs.readFileSync(path.join(dir, "spoken.txt"), "utf8")).toBe("# header\nMNIST from somewhere\n# stopped: checkpoint x.json does not fit this model\n");
      quiet.line("after the stop: printed, not written");
      metrics.write({ kind: "batch", epoch: 1, batch: 0, loss: 1 });
      expect(fs.readdirSync(dir)).toEqual(["spoken.txt"]);
    });

    it("a resumed run's metrics drop the records after its checkpoint's epoch and go on counting time", () => {
      const file = path.join(tempDir(), "run.metrics.jsonl");
      const line = (epoch: number, batch: number, time: number): string => JSON.stringify({ kind: "batch", epoch, batch, loss: 1, time });
      // Epochs 1 and 2 done (checkpoint after 2), then part of epoch 3 before an interruption; the last line cut short.
      fs.writeFileSync(file, `${line(1, 0, 1)}\n${line(2, 0, 5)}\n${line(3, 0, 9.5)}\n{"kind":"batch","ep`);
      const m = new common.MetricsWriter(file);
      m.continueAfter(2);
      m.write({ kind: "batch", epoch: 3, batch: 0, loss: 0.5 });
      m.close();
      const lines = fs.readFileSync(file, "utf8").trimEnd().split("\n");
      const records = lines.map((l) => JSON.parse(l) as MetricRecord);
      expect(records.map((r) => [r.epoch, r.batch])).toEqual([
        [1, 0],
        [2, 0],
        [3, 0],
      ]);
      expect(records[2]!.loss).toBe(0.5);
      expect(records[2]!.time).toBeGreaterThanOrEqual(5);
    });

    it("appending to a file whose last line was cut short starts a new line; time continues from the last record", () => {
      const file = path.join(tempDir(), "run.metrics.jsonl");
      fs.writeFileSync(file, `${JSON.stringify({ kind: "epoch", epoch: 1, batch: 4, loss: 2, time: 100 })}\n{"kind":"ba`);
      const m = new common.MetricsWriter(file);
      m.write({ kind: "epoch", epoch: 2, batch: 4, loss: 1 });
      m.close();
      const lines = fs.readFileSync(file, "utf8").split("\n");
      expect(lines[1]).toBe('{"kind":"ba');
      const last = JSON.parse(lines[2]!) as MetricRecord;
      expect(last.epoch).toBe(2);
      expect(last.time).toBeGreaterThanOrEqual(100);
    });
  });
});
