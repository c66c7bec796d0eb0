/**
 * The README's path, end to end: train with the app, `export-onnx` the
 * checkpoint, run the file on onnxruntime (in-process and with
 * examples/onnx-inference.mjs) and get the library's predictions on the
 * validation set. Also: bad checkpoints give one line naming the file.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCheckpoint } from "@minitorch/app-common";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { predictions, type SamplesFile } from "../src/samples.js";
import { tempDirs } from "../../common/test/tempDirs.js";
import { sst2Copy } from "../../../packages/datasets/test/sst2Copy.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../../..");
const mains = {
  "export-onnx": path.resolve(here, "../dist/main.js"),
  "train-mnist": path.resolve(root, "apps/train-mnist/dist/main.js"),
  "train-sentiment": path.resolve(root, "apps/train-sentiment/dist/main.js"),
  example: path.resolve(root, "examples/onnx-inference.mjs"),
};

/** The SST-2 copy for tests (vitest.config.ts); under CI a missing one fails its tests. */
const sst2 = sst2Copy();

const tempDir = tempDirs("export-onnx-");

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the programs with a private data cache and 2 threads for the trainers. */
function run(program: keyof typeof mains, args: string[], cache: string): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: cache };
  delete env.MINITORCH_DEBUG;
  const threads = program.startsWith("train-") ? ["--threads", "2"] : [];
  const r = spawnSync(process.execPath, [mains[program], ...threads, ...args], { encoding: "utf8", env, timeout: 120_000, cwd: root });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLineError(r: Result): string {
  expect(r.status).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[1]).toBe("");
  return lines[0]!;
}

/** onnxruntime's predictions on the samples file's inputs. */
async function ortPredictions(model: string, samples: SamplesFile): Promise<{ predicted: number[]; maxDiff: number }> {
  const session = await ort.InferenceSession.create(model);
  const meta = session.inputMetadata[0]!;
  const type = meta.isTensor ? meta.type : "float32";
  const values = type === "float64" ? Float64Array.from(samples.input.data) : Float32Array.from(samples.input.data);
  const out = (await session.run({ [meta.name]: new ort.Tensor(type as "float32", values, samples.input.shape) }))[session.outputNames[0]!]!;
  await session.release();
  const data = out.data as Float32Array | Float64Array;
  const maxDiff = Math.max(...Array.from(data, (v, i) => Math.abs(v - samples.output.data[i]!)));
  return { predicted: predictions(data, out.dims), maxDiff };
}

/**
 * Exports `ckpt` in float32 and float64 with the whole validation set as samples, and checks that
 * onnxruntime predicts exactly what the library does, with the accuracy the training run logged.
 */
async function exportAndCheck(ckpt: string, app: string, validationSize: number, cache: string, extra: string[] = []): Promise<string> {
  const out = tempDir();
  const checkpoint = loadCheckpoint(ckpt, app);
  let first = "";
  for (const dtype of ["float32", "float64"] as const) {
    const model = path.join(out, "sub", `model-${dtype}.onnx`);
    const samples = path.join(out, `samples-${dtype}.json`);
    const args = ["--checkpoint", ckpt, "--out", model, "--dtype", dtype, "--samples", samples, "--sample-count", "1000", ...extra];
    const r = run("export-onnx", args, cache);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    first ||= r.stdout;
    const s = JSON.parse(fs.readFileSync(samples, "utf8")) as SamplesFile;
    expect(s.labels).toHaveLength(validationSize);
    const { predicted, maxDiff } = await ortPredictions(model, s);
    expect(predicted).toEqual(s.predictions);
    expect(maxDiff).toBeLessThanOrEqual(dtype === "float32" ? 1e-4 * Math.max(...s.output.data.map(Math.abs)) : 1e-9);
    // One epoch: the best validation accuracy is that epoch's, which onnxruntime reproduces.
    const correct = predicted.filter((p, i) => p === s.labels[i]).length;
    expect(correct / validationSize).toBeCloseTo(checkpoint.bestValAccuracy, 12);
    const example = run("example", [model, samples], cache);
    expect(example.stderr).toBe("");
    expect(example.status).toBe(0);
    expect(example.stdout).toContain(`predictions equal to minitorch-ts's for ${validationSize}/${validationSize}`);
  }
  return first;
}

describe("export-onnx CLI", () => {
  it("rejects missing options and bad checkpoints with one line naming the file, writing nothing", () => {
    const dir = tempDir();
    const out = path.join(dir, "model.onnx");
    const file = (name: string, text: string): string => {
      const f = path.join(dir, name);
      fs.writeFileSync(f, text);
      return f;
    };
    const header = { format: "minitorch-ts-checkpoint", version: 1, epoch: 1, optimizer: { lr: 0.01 }, random: [1, 2, 3, 4], bestValAccuracy: 0.5 };
    const cases: Array<[string[], string | RegExp]> = [
      [[], "error: required option '--checkpoint <file>' not specified"],
      [["--checkpoint", "/nonexistent.ckpt", "--out", out], "export-onnx: --checkpoint /nonexistent.ckpt does not exist"],
      [["--checkpoint", file("a.ckpt", "{"), "--out", out], new RegExp(`^export-onnx: checkpoint ${dir}/a\\.ckpt is not valid JSON`)],
      [["--checkpoint", file("b.ckpt", "[]"), "--out", out], `export-onnx: ${dir}/b.ckpt is not a minitorch-ts checkpoint`],
      [
        ["--checkpoint", file("c.ckpt", JSON.stringify({ ...header, app: "visualize", model: {}, settings: {} })), "--out", out],
        `export-onnx: checkpoint ${dir}/c.ckpt was written by visualize, not train-mnist or train-sentiment`,
      ],
      [
        ["--checkpoint", file("d.ckpt", JSON.stringify({ ...header, app: "train-mnist", model: {}, settings: {} })), "--out", out],
        `export-onnx: checkpoint ${dir}/d.ckpt does not fit the train-mnist model: loadStateDict: missing parameter "conv1.weights"`,
      ],
      [
        ["--checkpoint", file("e.ckpt", JSON.stringify({ ...header, app: "train-sentiment", model: {}, settings: {} })), "--out", out],
        `export-onnx: checkpoint ${dir}/e.ckpt has no 3-D "conv1.weights" (a Kim CNN convolution)`,
      ],
      [
        ["--checkpoint", file("f.ckpt", "{}"), "--out", out, "--dtype", "float16"],
        `error: option '--dtype <type>' argument 'float16' is invalid. --dtype must be one of float32, float64, got "float16".`,
      ],
    ];
    for (const [args, message] of cases) {
      const line = oneLineError(run("export-onnx", args, dir));
      if (typeof message === "string") expect(line).toBe(message);
      else expect(line).toMatch(message);
    }
    expect(fs.existsSync(out)).toBe(false);
  });

  it("train-mnist → export-onnx → onnxruntime gives the library's predictions on the validation set", async () => {
    const dir = tempDir();
    const ckpt = path.join(dir, "l.ckpt");
    const train = run("train-mnist", ["--epochs", "1", "--train-size", "64", "--val-size", "48", "--batch-size", "16", "--save", ckpt], dir);
    expect(train.status, train.stderr).toBe(0);
    const stdout = await exportAndCheck(ckpt, "train-mnist", 48, dir);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(new RegExp(`^train-mnist checkpoint ${ckpt}: epoch 1, best validation accuracy \\d+\\.\\d\\d%$`));
    expect(lines[1]).toMatch(/^wrote .*model-float32\.onnx: \d+\.\d KiB, ONNX opset 17, float32$/);
    expect(lines.slice(2, 4)).toEqual([
      'input  "input" float32 [batch, 1, 28, 28]: MNIST images, pixel values 0..255',
      'output "output" float32 [batch, 10]: log-probabilities of the digits 0..9',
    ]);
    expect(lines[4]).toMatch(/^wrote .*samples-float32\.json: 48 validation examples with this library's outputs$/);
  });

  it("train-sentiment (a tiny data set) → export-onnx → onnxruntime gives the library's predictions", async () => {
    const dir = tempDir();
    const { dataDir, glove } = tinySentiment(dir);
    const ckpt = path.join(dir, "k.ckpt");
    const data = ["--data-dir", dataDir, "--embeddings", glove];
    const train = run("train-sentiment", [...data, "--train-size", "16", "--val-size", "6", "--epochs", "1", "--save", ckpt], dir);
    expect(train.status, train.stderr).toBe(0);
    const stdout = await exportAndCheck(ckpt, "train-sentiment", 6, dir, data);
    expect(stdout.split("\n").slice(2, 4)).toEqual([
      'input  "input" float32 [batch, 7, 8]: 8-d word embeddings of sentences zero-padded to 7 words',
      'output "output" float32 [batch]: probability that each sentence is positive',
    ]);
  });

  it.skipIf(sst2.skip)(`train-sentiment on SST-2 with the default embeddings → export-onnx → onnxruntime${sst2.note}`, async () => {
    const dir = tempDir();
    const ckpt = path.join(dir, "k.ckpt");
    const train = run("train-sentiment", ["--data-dir", sst2.dir(), "--train-size", "20", "--val-size", "10", "--epochs", "1", "--save", ckpt], dir);
    expect(train.status, train.stderr).toBe(0);
    const stdout = await exportAndCheck(ckpt, "train-sentiment", 10, dir, ["--data-dir", sst2.dir()]);
    expect(stdout.split("\n")[2]).toBe('input  "input" float32 [batch, 52, 100]: 100-d word embeddings of sentences zero-padded to 52 words');
  });
});

/** An SST-2-format directory of 16 + 6 sentences and an 8-d GloVe file for their words. */
function tinySentiment(dir: string): { dataDir: string; glove: string } {
  const positive = ["good", "great", "fine", "lovely"];
  const negative = ["bad", "awful", "dull", "boring"];
  const neutral = ["the", "film", "is", "a", "movie", "plot"];
  const rows = (n: number, offset: number): string => {
    let text = "sentence\tlabel\n";
    for (let i = 0; i < n; i++) {
      const label = (i + offset) % 2;
      const pool = label === 1 ? positive : negative;
      const words = [neutral[i % 6], pool[i % 4], neutral[(i + 2) % 6], pool[(i + 1) % 4], neutral[(i + 4) % 6], "unknownword"];
      if (i === 3) words.push("the");
      text += `${words.join(" ")} \t${label}\n`;
    }
    return text;
  };
  fs.writeFileSync(path.join(dir, "train.tsv"), rows(16, 0));
  fs.writeFileSync(path.join(dir, "dev.tsv"), rows(6, 1));
  const glove = path.join(dir, "glove.txt");
  const words = [...positive, ...negative, ...neutral];
  fs.writeFileSync(glove, words.map((w, i) => [w, ...Array.from({ length: 8 }, (_, j) => (Math.sin(i * 8 + j) * 0.5).toFixed(4))].join(" ")).join("\n") + "\n");
  return { dataDir: dir, glove };
}
