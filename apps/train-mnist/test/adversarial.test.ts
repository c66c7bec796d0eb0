/**
 * The training CLIs as a skeptical new user drives them (issue 17): every
 * output path is checked before any data is loaded, nothing is hung or
 * overwritten that is not a regular file, a failed or interrupted run says
 * why in its log and leaves no empty files, and a resumed run's metrics
 * continue. Each test names the row of the issue it keeps fixed.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCheckpoint, saveCheckpoint, type MetricRecord } from "@minitorch/app-common";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../../common/test/tempDirs.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const mnistMain = path.resolve(here, "../dist/main.js");
const sentimentMain = path.resolve(here, "../../train-sentiment/dist/main.js");
const isRoot = process.getuid?.() === 0;
const hasProc = fs.existsSync("/proc/self");

const tempDir = tempDirs("train-mnist-adversarial-");

/** The child's environment: a private data cache, no debug stack traces, plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: tempDir() };
  delete env.MINITORCH_DEBUG;
  delete env.MINITORCH_PARALLEL_MIN;
  return { ...env, ...extra };
}

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an app with a small run's options; a timeout (a hang) gives status
 * null, so a regression fails the test instead of stalling it.
 */
function run(args: string[], o: { main?: string; env?: Record<string, string>; timeout?: number } = {}): Result {
  const small = o.main === sentimentMain ? [] : ["--train-size", "32", "--val-size", "16"];
  const r = spawnSync(process.execPath, [o.main ?? mnistMain, "--threads", "2", ...small, ...args], {
    encoding: "utf8",
    env: childEnv(o.env),
    timeout: o.timeout ?? 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run failed at start-up: status 1, one line on stderr, nothing trained (stdout empty). */
function refused(r: Result): string {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  return lines[0]!;
}

function metrics(file: string): MetricRecord[] {
  return fs
    .readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as MetricRecord);
}

/** A character device like /dev/full that a failed check could not harm: a copy made with mknod when root, else /dev/full itself (a non-root user cannot replace it). */
function deviceLikeDevFull(): string {
  if (!isRoot) return "/dev/full";
  const node = path.join(tempDir(), "full");
  const rdev = fs.statSync("/dev/full").rdev;
  const made = spawnSync("mknod", [node, "c", String(Math.floor(rdev / 256) & 0xfff), String(rdev % 256)]);
  if (made.status !== 0) spawnSync("mkfifo", [node]);
  return node;
}

describe("adversarial: the training CLIs", () => {
  describe.runIf(hasProc)("row 1: an output under /proc fails at once, naming it (no recursive mkdir spinning forever)", () => {
    it.each([
      ["train-mnist", "--log", mnistMain],
      ["train-mnist", "--save", mnistMain],
      ["train-sentiment", "--log", sentimentMain],
    ])("%s %s /proc/x/out.txt", (app, option, main) => {
      const r = run([option, "/proc/x/out.txt"], { main, timeout: 30_000 });
      expect(refused(r)).toBe(`${app}: ${option} /proc/x/out.txt: cannot create directory /proc/x (ENOENT)`);
    });
  });

  describe("row 2: a target that is not a regular file is refused before training, never replaced", () => {
    it("--save onto a character device (/dev/full)", () => {
      const device = deviceLikeDevFull();
      const kind = fs.statSync(device).isCharacterDevice() ? "a character device" : "a named pipe";
      expect(refused(run(["--epochs", "1", "--save", device]))).toBe(`train-mnist: --save ${device} is not a regular file (it is ${kind})`);
      expect(fs.statSync(device).isFile()).toBe(false);
    });

    it("--log /dev/full and --log onto a directory", () => {
      expect(refused(run(["--log", "/dev/full"]))).toBe("train-mnist: --log /dev/full is not a regular file (it is a character device)");
      const dir = tempDir();
      expect(refused(run(["--log", dir]))).toBe(`train-mnist: --log ${dir} is not a regular file (it is a directory)`);
    });
  });

  describe("row 7: a --save that cannot be written fails at start-up, naming the target", () => {
    it("before any epoch, not after one", () => {
      let target: string;
      if (isRoot) {
        target = "/proc/version";
      } else {
        const dir = tempDir();
        fs.chmodSync(dir, 0o500);
        target = path.join(dir, "ckpt.json");
      }
      const line = refused(run(["--epochs", "1", "--save", target]));
      expect(line).toMatch(new RegExp(`^train-mnist: --save ${target} (is not writable|cannot be written)`));
      expect(line).not.toMatch(/\.tmp/);
    });
  });

  describe("row 13: two outputs, or an output and an input, are never the same file", () => {
    it.each([
      [["--log", "same.txt", "--save", "same.txt"], "--log", "--save"],
      [["--log", "m.txt", "--metrics", "m.txt"], "--log", "--metrics"],
      [["--metrics", "x.jsonl", "--save", "x.jsonl"], "--metrics", "--save"],
      [["--log", "run.txt", "--save", "run.metrics.jsonl"], "--log's metrics file", "--save"],
    ])("%j", (args, first, second) => {
      const dir = tempDir();
      const withDir = args.map((a) => (a.startsWith("--") ? a : path.join(dir, a)));
      const line = refused(run(withDir));
      expect(line).toMatch(new RegExp(`^train-mnist: ${first} .* and ${second} .* are the same file; give each its own$`));
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it("a hard link to the log given as --metrics, and --log onto the checkpoint being resumed", () => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      fs.writeFileSync(log, "");
      fs.linkSync(log, path.join(dir, "link.jsonl"));
      expect(refused(run(["--log", log, "--metrics", path.join(dir, "link.jsonl")]))).toMatch(/--log .* and --metrics .* are the same file/);
      const ckpt = path.join(dir, "ckpt.json");
      expect(run(["--epochs", "1", "--save", ckpt]).status).toBe(0);
      expect(refused(run(["--epochs", "2", "--resume", ckpt, "--log", ckpt]))).toMatch(/--log .*ckpt\.json and --resume .*ckpt\.json are the same file/);
      expect(loadCheckpoint(ckpt, "train-mnist").epoch).toBe(1);
    });
  });

  describe("row 8: a run that stops says why; one that fails before training leaves no files; a resumed run continues its metrics", () => {
    it("failing at data load leaves neither a log nor a metrics file", () => {
      const dir = tempDir();
      const empty = tempDir();
      const r = run(["--data-dir", empty, "--log", path.join(dir, "run.txt")]);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^train-mnist: loadMnist: .*no train-images-idx3-ubyte file/);
      expect(fs.readdirSync(dir)).toEqual([]);
    });

    it("failing at --resume (a corrupt checkpoint) leaves no files; (one that does not fit) ends the log with the reason", () => {
      const dir = tempDir();
      const corrupt = path.join(dir, "corrupt.json");
      fs.writeFileSync(corrupt, "{");
      const log = path.join(dir, "run.txt");
      expect(run(["--resume", corrupt, "--log", log]).status).toBe(1);
      expect(fs.readdirSync(dir)).toEqual(["corrupt.json"]);

      const misfit = path.join(dir, "misfit.json");
      saveCheckpoint(misfit, { app: "train-mnist", epoch: 1, model: {}, optimizer: { lr: 0.01 }, random: [1, 2, 3, 4], settings: {}, bestValAccuracy: 0 });
      const r = run(["--epochs", "2", "--resume", misfit, "--log", log]);
      expect(r.status).toBe(1);
      const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(lines[0]).toMatch(/^# train-mnist /);
      expect(lines.at(-1)).toBe(`# stopped: checkpoint ${misfit} does not fit this model: loadStateDict: missing parameter "conv1.weights"`);
      expect(fs.readdirSync(dir).sort()).toEqual(["corrupt.json", "misfit.json", "run.txt"]);
    });

    it("an interrupted run's log ends with the reason", async () => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      const child = spawn(process.execPath, [mnistMain, "--threads", "2", "--epochs", "1000", "--train-size", "32", "--val-size", "16", "--log", log], {
        env: childEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let sent = false;
      // A run that ignored Ctrl-C is killed after a minute, failing the test instead of hanging it.
      const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const code = await new Promise<number | null>((resolve) => {
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (!sent && stdout.includes("Epoch 1 validation accuracy")) {
            sent = true;
            child.kill("SIGINT");
          }
        });
        child.on("exit", (c) => resolve(c));
      });
      clearTimeout(guard);
      expect(code).toBe(130);
      expect(fs.readFileSync(log, "utf8").trimEnd().split("\n").at(-1)).toBe("# stopped: interrupted (SIGINT)");
    });

    it("resuming from an earlier checkpoint drops the rolled-back records: no (epoch, batch) twice, time never goes backwards", () => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      const first = path.join(dir, "epoch1.json");
      expect(run(["--epochs", "1", "--log", log, "--save", first]).status).toBe(0);
      expect(run(["--epochs", "2", "--log", log, "--resume", first]).status).toBe(0);
      // Epoch 2 again from the same checkpoint, as after a run interrupted during epoch 2.
      const again = run(["--epochs", "2", "--log", log, "--resume", first]);
      expect(again.stderr).toBe("");
      const records = metrics(path.join(dir, "run.metrics.jsonl"));
      const keys = records.map((r) => `${r.kind} ${r.epoch} ${r.batch}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(records.map((r) => r.epoch)).toEqual([1, 1, 2, 2]);
      for (let i = 1; i < records.length; i++) expect(records[i]!.time).toBeGreaterThanOrEqual(records[i - 1]!.time);
    });
  });

  describe("row 4: a checkpoint value that is not a finite number is refused at start-up, naming the file and the parameter", () => {
    it('--resume with one weight "x"', () => {
      const dir = tempDir();
      const ckpt = path.join(dir, "ckpt.json");
      expect(run(["--epochs", "1", "--save", ckpt]).status).toBe(0);
      const c = JSON.parse(fs.readFileSync(ckpt, "utf8")) as { model: Record<string, { data: unknown[] }> };
      c.model["conv1.weights"]!.data[3] = "x";
      fs.writeFileSync(ckpt, JSON.stringify(c));
      expect(refused(run(["--epochs", "2", "--resume", ckpt]))).toBe(
        `train-mnist: checkpoint ${ckpt}: parameter "conv1.weights" value 3 is "x", not a finite number`,
      );
    });
  });

  describe("row 14: a bad MINITORCH_* variable stops the app before it trains", () => {
    it.each([
      [{ MINITORCH_PARALLEL_MIN: "abc" }, 'MINITORCH_PARALLEL_MIN must be a non-negative integer, got "abc"'],
      [{ MINITORCH_DEBUG: "maybe" }, 'MINITORCH_DEBUG must be 1 or 0 (true or false), got "maybe"'],
    ])("%j", (env, message) => {
      const r = run(["--epochs", "1", "--backend", "fast"], { env });
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(message);
    });
  });
});
