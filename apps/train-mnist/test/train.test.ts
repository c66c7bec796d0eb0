import fs from "node:fs";
import path from "node:path";
import { loadCheckpoint, MetricsWriter, RunLog, type MetricRecord } from "@minitorch/app-common";
import { loadMnist, type MnistSplit } from "@minitorch/datasets";
import { FastBackend } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, type TensorBackend } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { LeNet } from "../src/model.js";
import { countCorrect, evaluate, makeBatch, trainMnist, type MnistTrainOptions, type MnistTrainResult } from "../src/train.js";
import { quietStdout, tempDirs } from "../../common/test/tempDirs.js";

/** A batch log line: the loss summed since the last line, the accuracy on one validation batch. */
const BATCH_LINE = /^Epoch \d+ loss [-\d.e]+ valid acc \d+\/\d+$/;
/** The end-of-epoch line: accuracy on the whole validation set, the epoch's loss, its time. */
const EPOCH_LINE = /^Epoch \d+ validation accuracy \d+\/\d+ \(\d+\.\d\d%\), epoch loss \d+\.\d{4}, \d+\.\d s$/;

const tempDir = tempDirs("train-mnist-");
quietStdout();

const data = loadMnist({ trainSize: 160, valSize: 32 });
const half = loadMnist({ trainSize: 80, valSize: 32 });
const small = loadMnist({ trainSize: 64, valSize: 16 });

interface Run {
  result: MnistTrainResult;
  lines: string[];
  metrics: MetricRecord[];
}

/** Trains with a log file and a metrics file in a fresh directory; returns the result and both files' contents. */
async function run(options: Partial<MnistTrainOptions> & { epochs: number; lr: number; backend: TensorBackend }, split = data): Promise<Run> {
  const dir = tempDir();
  const log = new RunLog(path.join(dir, "run.txt"), "# test");
  const metrics = new MetricsWriter(path.join(dir, "run.metrics.jsonl"));
  try {
    const result = await trainMnist({
      batchSize: 16,
      seed: 42,
      train: split.train,
      validation: split.validation,
      log,
      metrics,
      settings: {},
      ...options,
    });
    const lines = fs.readFileSync(path.join(dir, "run.txt"), "utf8").trimEnd().split("\n").slice(1);
    const records = fs
      .readFileSync(path.join(dir, "run.metrics.jsonl"), "utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as MetricRecord);
    return { result, lines, metrics: records };
  } finally {
    log.close();
    metrics.close();
  }
}

/**
 * Checks the log of `epochs` epochs of `batches` batches of 16 (a batch line
 * every 5 batches, then the end-of-epoch line) against the result and the metrics file.
 */
function checkLog(r: Run, epochs: number, batches: number, valCount: number): void {
  const perEpoch = Math.ceil(batches / 5) + 1;
  expect(r.lines).toHaveLength(epochs * perEpoch);
  r.lines.forEach((line, i) => {
    const epoch = Math.floor(i / perEpoch) + 1;
    if (i % perEpoch < perEpoch - 1) {
      expect(line).toMatch(BATCH_LINE);
      expect(line).toMatch(new RegExp(`^Epoch ${epoch} .* valid acc \\d+/16$`));
    } else {
      expect(line).toMatch(EPOCH_LINE);
      expect(line).toMatch(new RegExp(`^Epoch ${epoch} validation accuracy \\d+/${valCount} `));
      expect(line).toContain(`epoch loss ${r.result.epochLosses[epoch - 1]!.toFixed(4)},`);
    }
  });
  // The metrics file mirrors the log: a batch record per batch line, an epoch record per epoch.
  expect(r.metrics.map((m) => m.kind)).toEqual(r.lines.map((_, i) => (i % perEpoch < perEpoch - 1 ? "batch" : "epoch")));
  const epochRecords = r.metrics.filter((m) => m.kind === "epoch");
  expect(epochRecords.map((m) => m.loss)).toEqual(r.result.epochLosses);
  expect(epochRecords.every((m) => m.batch === batches)).toBe(true);
  expect(Math.max(...epochRecords.map((m) => m.valAccuracy!))).toBe(r.result.bestValAccuracy);
}

describe("task4_5", () => {
  describe("train-mnist: LeNet", () => {
    it("maps [B, 1, 28, 28] images to log-probabilities [B, 10] and keeps its activations", () => {
      const model = new LeNet({ backend: FastBackend });
      const { x } = makeBatch(small.train, 0, 3, FastBackend);
      model.eval();
      const out = model.forward(x);
      expect(out.shape).toEqual([3, 10]);
      const values = out.toFloat64Array();
      for (let r = 0; r < 3; r++) {
        let sum = 0;
        for (let c = 0; c < 10; c++) sum += Math.exp(values[r * 10 + c]!);
        expect(sum).toBeCloseTo(1, 9);
      }
      expect(model.mid?.shape).toEqual([3, 4, 28, 28]);
      expect(model.out?.shape).toEqual([3, 8, 28, 28]);
      // Evaluation mode has no dropout: the same input gives the same output.
      expect(Array.from(model.forward(x).toFloat64Array())).toEqual(Array.from(values));
      expect(model.parameters()).toHaveLength(8);
    });
  });

  describe("train-mnist: evaluate", () => {
    it("evaluate counts correct examples in batches and leaves the model in training mode", () => {
      const model = new LeNet({ backend: FastBackend });
      const split: MnistSplit = small.validation;
      const all = evaluate(model, split, FastBackend, 5);
      expect(Number.isInteger(all)).toBe(true);
      expect(all).toBeGreaterThanOrEqual(0);
      expect(all).toBeLessThanOrEqual(16);
      // Batch size does not change the count; parts add up to the whole.
      expect(evaluate(model, split, FastBackend, 16)).toBe(all);
      expect(evaluate(model, split, FastBackend, 7, 0, 9) + evaluate(model, split, FastBackend, 7, 9, 7)).toBe(all);
      expect(model.training).toBe(true);
    });
  });

  describe("train-mnist: trainMnist", () => {
    it("learns with FastBackend: well-formed log lines, loss going down, accuracy above chance", async () => {
      const r = await run({ epochs: 8, lr: 0.05, backend: FastBackend });
      checkLog(r, 8, 10, 32);
      const losses = r.result.epochLosses;
      expect(losses).toHaveLength(8);
      for (const l of losses) expect(Number.isFinite(l)).toBe(true);
      // 10 batches at chance level lose about 10 · ln 10 ≈ 23.
      expect(losses[0]).toBeGreaterThan(20);
      expect(losses.at(-1)!).toBeLessThan(0.6 * losses[0]!);
      expect(r.result.bestValAccuracy).toBeGreaterThanOrEqual(0.4);
      expect(r.result.epochSeconds).toHaveLength(8);
      expect(r.result.samplesPerSecond).toBeGreaterThan(0);
    });

    it("with SimpleBackend gives the same losses as FastBackend", async () => {
      // Half the examples: the reference backend is slow.
      const simple = await run({ epochs: 2, lr: 0.05, backend: SimpleBackend }, half);
      checkLog(simple, 2, 5, 32);
      expect(simple.result.epochLosses[1]).toBeLessThan(simple.result.epochLosses[0]!);
      const fast = await run({ epochs: 2, lr: 0.05, backend: FastBackend }, half);
      simple.result.epochLosses.forEach((l, i) => expect(l).toBeCloseTo(fast.result.epochLosses[i]!, 6));
    });

    it("resumes exactly: 1 epoch, save, resume for 1 more = 2 epochs at once", async () => {
      const dir = tempDir();
      const fileA = path.join(dir, "a.json");
      const fileB = path.join(dir, "b.json");
      const a = await run({ epochs: 2, lr: 0.05, backend: FastBackend, save: fileA }, small);
      await run({ epochs: 1, lr: 0.05, backend: FastBackend, save: fileB }, small);
      expect(loadCheckpoint(fileB, "train-mnist").epoch).toBe(1);
      const b = await run({ epochs: 2, lr: 0.05, backend: FastBackend, save: fileB, resume: fileB }, small);
      expect(b.lines[0]).toBe(`Resumed from ${fileB} after epoch 1`);
      expect(b.lines.slice(1).every((l) => l.startsWith("Epoch 2 "))).toBe(true);
      expect(b.result.epochLosses).toEqual([a.result.epochLosses[1]]);

      const weightsA = a.result.model.stateDict();
      const weightsB = b.result.model.stateDict();
      expect(Object.keys(weightsB)).toEqual(Object.keys(weightsA));
      for (const name of Object.keys(weightsA)) {
        const wa = weightsA[name]!.data;
        const wb = weightsB[name]!.data;
        expect(wb.length).toBe(wa.length);
        let worst = 0;
        for (let i = 0; i < wa.length; i++) worst = Math.max(worst, Math.abs(wa[i]! - wb[i]!));
        expect(worst, name).toBeLessThanOrEqual(1e-12);
      }
      const ca = loadCheckpoint(fileA, "train-mnist");
      const cb = loadCheckpoint(fileB, "train-mnist");
      expect(cb.epoch).toBe(2);
      expect(cb.random).toEqual(ca.random);
      expect(cb.bestValAccuracy).toBe(ca.bestValAccuracy);
      expect(cb.optimizer).toEqual({ lr: 0.05 });
    });

    it("depends on the dropout generator's state: resuming with another state gives other weights", async () => {
      const dir = tempDir();
      const file = path.join(dir, "c.json");
      const straight = await run({ epochs: 2, lr: 0.05, backend: FastBackend }, small);
      await run({ epochs: 1, lr: 0.05, backend: FastBackend, save: file }, small);
      const c = JSON.parse(fs.readFileSync(file, "utf8")) as { random: number[] };
      c.random = [12345, 678, 91011, 1213];
      fs.writeFileSync(file, JSON.stringify(c));
      const tampered = await run({ epochs: 2, lr: 0.05, backend: FastBackend, resume: file }, small);
      // Dropout acts after linear1, so linear2 sees it first; every layer is moved by it.
      for (const name of ["linear2.weights", "conv1.weights"]) {
        expect(tampered.result.model.stateDict()[name]!.data, name).not.toEqual(straight.result.model.stateDict()[name]!.data);
      }
    });
  });
});

// Given code: these pass whatever the student wrote, so they carry no task tag.
describe("train-mnist: makeBatch, countCorrect (given with Task 4.5)", () => {
  it("makeBatch gives pixels 0..255 as [count, 1, 28, 28] and one-hot labels", () => {
    const { x, y } = makeBatch(small.train, 5, 4, SimpleBackend);
    expect(x.shape).toEqual([4, 1, 28, 28]);
    expect(y.shape).toEqual([4, 10]);
    const pixels = x.toFloat64Array();
    expect(Array.from(pixels)).toEqual(Array.from(small.train.bytes.subarray(5 * 784, 9 * 784)));
    expect(Math.max(...pixels)).toBeGreaterThan(1);
    const oneHot = y.toArray() as number[][];
    oneHot.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
      expect(row[small.train.labels[5 + i]!]).toBe(1);
    });
  });

  it("countCorrect takes each row's largest entry, the first on ties", () => {
    const out = fromArray([0, 1, 0.5, 2, 2, 0, 3, 3, 3], [3, 3], SimpleBackend);
    expect(countCorrect(out, [1, 0, 0], 0)).toBe(3);
    expect(countCorrect(out, [1, 1, 2], 0)).toBe(1);
    expect(countCorrect(out, [9, 9, 1, 0, 0], 2)).toBe(3);
  });
});
