/**
 * The training CLIs under issue 26's probe: no output may be an input (the
 * data directory's files included), every number is parsed strictly, every
 * path error names the option and the file. Each test names its row.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeIdxImages, encodeIdxLabels, loadMnist } from "@minitorch/datasets";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../../common/test/tempDirs.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const mnistMain = path.resolve(here, "../dist/main.js");
const sentimentMain = path.resolve(here, "../../train-sentiment/dist/main.js");

const tempDir = tempDirs("train-mnist-reliability-");

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], main = mnistMain): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: tempDir() };
  delete env.MINITORCH_DEBUG;
  const r = spawnSync(process.execPath, [main, "--threads", "1", ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run failed at start-up: status 1, one line on stderr, nothing trained. */
function refused(r: Result): string {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  return lines[0]!;
}

/** An MNIST data directory of 48 real digits (plain IDX files). */
function mnistDir(): string {
  const dir = tempDir();
  const digits = loadMnist({ trainSize: 48, valSize: 0 }).train;
  fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte"), encodeIdxImages(digits.bytes, 48));
  fs.writeFileSync(path.join(dir, "train-labels-idx1-ubyte"), encodeIdxLabels(digits.labels));
  return dir;
}

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f)).toString("base64")]));

describe("reliability (issue 26): the training CLIs", () => {
  describe("row 2: --log/--save pointing at a file inside --data-dir is refused", () => {
    it.each([
      ["--log", "train-labels-idx1-ubyte"],
      ["--save", "train-images-idx3-ubyte"],
      ["--metrics", "train-labels-idx1-ubyte"],
    ])("%s <data-dir>/%s", (option, name) => {
      const dir = mnistDir();
      const before = snapshot(dir);
      const target = path.join(dir, name);
      const line = refused(run(["--data-dir", dir, "--train-size", "32", "--val-size", "16", option, target]));
      expect(line).toMatch(new RegExp(`^train-mnist: ${option} .*${name} and --data-dir's file .*${name} are the same file; give each its own$`));
      expect(snapshot(dir)).toEqual(before);
    });

    it("train-sentiment --log onto SST-2's dev.tsv", () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, "train.tsv"), "sentence\tlabel\ngood film \t1\n");
      fs.writeFileSync(path.join(dir, "dev.tsv"), "sentence\tlabel\nbad film \t0\n");
      const before = snapshot(dir);
      const line = refused(run(["--data-dir", dir, "--log", path.join(dir, "dev.tsv")], sentimentMain));
      expect(line).toMatch(/^train-sentiment: --log .*dev\.tsv and --data-dir's file .*dev\.tsv are the same file; give each its own$/);
      expect(snapshot(dir)).toEqual(before);
    });
  });

  describe("row 4: a batch larger than the training set is one clear error in both apps", () => {
    it.each([
      [mnistMain, "train-mnist", ["--batch-size", "33", "--train-size", "32", "--val-size", "16"]],
      [sentimentMain, "train-sentiment", ["--batch-size", "451", "--train-size", "450"]],
    ])("%s", (main, app, args) => {
      const dir = tempDir();
      const save = path.join(dir, "c.ckpt");
      expect(refused(run([...args, "--save", save], main))).toMatch(new RegExp(`^${app}: --batch-size \\d+ is larger than --train-size \\d+: no batch would be trained`));
      expect(fs.existsSync(save)).toBe(false);
    });

    it("--batch-size 1e9 is not a number the app takes", () => {
      expect(refused(run(["--batch-size", "1e9"]))).toMatch(/--batch-size must be a positive integer, got "1e9"/);
    });
  });

  describe("row 7: integers in decimal only, within the range the generator keeps distinct", () => {
    it.each([
      [["--seed", "4294967338"], '--seed must be at most 4294967295, got "4294967338"'],
      [["--seed", "1e30"], '--seed must be a non-negative integer, got "1e30"'],
      [["--seed", "9007199254740993"], '--seed must be a non-negative integer, got "9007199254740993"'],
      [["--lr", "0x10"], '--lr must be a positive number, got "0x10"'],
      [["--epochs", "0x2"], '--epochs must be a positive integer, got "0x2"'],
      [["--epochs", " 2"], '--epochs must be a positive integer, got " 2"'],
      [["--threads", "+2"], '--threads must be a positive integer, got "+2"'],
    ])("%j", (args, message) => {
      const r = run(args);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(message);
    });
  });

  describe("row 9: a path with a trailing slash is refused as a directory path", () => {
    it.each(["--save", "--log", "--metrics"])("%s dir/", (option) => {
      const dir = tempDir();
      const target = `${path.join(dir, "trail")}/`;
      expect(refused(run([option, target]))).toBe(`train-mnist: ${option} ${target} is a directory path (it ends with "/"); give a file name`);
      expect(fs.readdirSync(dir)).toEqual([]);
    });
  });

  describe("row 10: every path error names the option and the file", () => {
    it("--embeddings given a directory", () => {
      const dir = tempDir();
      expect(refused(run(["--embeddings", dir], sentimentMain))).toBe(`train-sentiment: --embeddings ${dir} is a directory, not a file`);
    });

    it("--log ''", () => {
      expect(refused(run(["--log", ""]))).toBe('train-mnist: --log needs a file name, got ""');
    });
  });
});

describe("reliability (issue 26): stopping train-mnist", () => {
  /** Starts a long run with --log and --save, sends `signal` after the first epoch, and returns the exit code. */
  async function stopWith(signal: NodeJS.Signals, dir: string): Promise<number | null> {
    const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: tempDir() };
    delete env.MINITORCH_DEBUG;
    const args = ["--threads", "1", "--epochs", "1000", "--train-size", "32", "--val-size", "16", "--log", path.join(dir, "run.txt"), "--save", path.join(dir, "run.ckpt")];
    const child = spawn(process.execPath, [mnistMain, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
    let stdout = "";
    const code = await new Promise<number | null>((resolve) => {
      let sent = false;
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
        if (!sent && stdout.includes("Epoch 2 validation accuracy")) {
          sent = true;
          child.kill(signal);
        }
      });
      child.on("exit", (c) => resolve(c));
    });
    clearTimeout(guard);
    return code;
  }

  describe("row 6: SIGTERM or SIGHUP during training stops cleanly; stale temporaries are swept at the next start", () => {
    it.each([
      ["SIGTERM", 143],
      ["SIGHUP", 129],
    ] as const)("%s", async (signal, expected) => {
      const dir = tempDir();
      expect(await stopWith(signal, dir)).toBe(expected);
      expect(fs.readFileSync(path.join(dir, "run.txt"), "utf8").trimEnd().split("\n").at(-1)).toBe(`# stopped: interrupted (${signal})`);
      expect(fs.readdirSync(dir).sort()).toEqual(["run.ckpt", "run.metrics.jsonl", "run.txt"]);
    });

    it("a checkpoint temporary left by a killed run is removed by the next run", () => {
      const dir = tempDir();
      const dead = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout;
      const stale = path.join(dir, `.run.ckpt.${dead}.tmp`);
      fs.writeFileSync(stale, "half a checkpoint");
      const r = run(["--epochs", "1", "--train-size", "32", "--val-size", "16", "--save", path.join(dir, "run.ckpt")]);
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readdirSync(dir)).toEqual(["run.ckpt"]);
    });
  });
});
