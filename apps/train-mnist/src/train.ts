/**
 * Task 4.5: the MNIST training loop of minitorch's run_mnist_multiclass.py —
 * SGD on batches of 16, a log line every 5 batches with the loss summed since
 * the last line and the accuracy on one validation batch — plus an
 * accuracy on the whole validation set and a checkpoint after each epoch.
 */
import { EpochProgress, MetricsWriter, RunLog, inSlices, resumeTraining, saveTraining } from "@minitorch/app-common";
import { manualSeed } from "@minitorch/autodiff";
import type { MnistSplit } from "@minitorch/datasets";
import { SGD, nllLoss } from "@minitorch/nn";
import { fromArray, type CreateOptions, type Dtype, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { CLASSES, HEIGHT, LeNet, WIDTH } from "./model.js";

type Split = MnistSplit;

export interface MnistTrainOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  backend: TensorBackend;
  /** The model's and the batches' element type (float64 when absent). */
  dtype?: Dtype;
  train: Split;
  validation: Split;
  log: RunLog;
  metrics?: MetricsWriter;
  save?: string;
  resume?: string;
  /** Settings recorded in checkpoints. */
  settings: Record<string, unknown>;
  /** Log every this many batches (minitorch: 5). */
  logEvery?: number;
}

export interface MnistTrainResult {
  model: LeNet;
  bestValAccuracy: number;
  epochSeconds: number[];
  samplesPerSecond: number;
  /** Loss summed over each epoch's batches. */
  epochLosses: number[];
}

/** A batch [count, 1, 28, 28] of pixel values 0..255 (the reference's scale) and its one-hot labels. */
export function makeBatch(split: Split, start: number, count: number, backend: TensorBackend | CreateOptions): { x: Tensor; y: Tensor } {
  const pixels = HEIGHT * WIDTH;
  const x = fromArray(split.bytes.subarray(start * pixels, (start + count) * pixels), [count, 1, HEIGHT, WIDTH], backend);
  const oneHot = new Float64Array(count * CLASSES);
  for (let i = 0; i < count; i++) oneHot[i * CLASSES + split.labels[start + i]!] = 1;
  return { x, y: fromArray(oneHot, [count, CLASSES], backend) };
}

/** Rows of `out` whose largest entry (the first, on ties) is the true label. */
export function countCorrect(out: Tensor, labels: ArrayLike<number>, start: number): number {
  const values = out.toFloat64Array();
  const [rows, cols] = out.shape as [number, number];
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < cols; j++) if (values[i * cols + j]! > values[i * cols + best]!) best = j;
    if (best === labels[start + i]) correct++;
  }
  return correct;
}

/** Accuracy of `model` (in eval mode) on `count` examples of `split` from `start`. */
export function evaluate(model: LeNet, split: Split, backend: TensorBackend | CreateOptions, batchSize: number, start = 0, count = split.count): number {
  model.eval();
  let correct = 0;
  for (let i = start; i < start + count; i += batchSize) {
    const n = Math.min(batchSize, start + count - i);
    const { x } = makeBatch(split, i, n, backend);
    correct += countCorrect(model.forward(x), split.labels, i);
  }
  model.train();
  return correct;
}

export async function trainMnist(o: MnistTrainOptions): Promise<MnistTrainResult> {
  manualSeed(o.seed);
  // Where the model and every batch live: the backend, in the run's dtype.
  const on: CreateOptions = { backend: o.backend, dtype: o.dtype ?? "float64" };
  const model = new LeNet(on);
  const optim = new SGD(model.parameters(), o.lr);
  let firstEpoch = 1;
  let best = 0;
  if (o.resume !== undefined) {
    ({ firstEpoch, best } = resumeTraining(o.resume, "train-mnist", { model, optimizer: optim }, o.epochs, o.lr, o.settings, o.log));
  }
  const logEvery = o.logEvery ?? 5;
  const progress = new EpochProgress(o.log);
  const batches = Math.floor(o.train.count / o.batchSize);
  const valBatch = Math.min(o.batchSize, o.validation.count);
  const result: MnistTrainResult = { model, bestValAccuracy: best, epochSeconds: [], samplesPerSecond: 0, epochLosses: [] };
  let samples = 0;
  let trainSeconds = 0;
  for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
    const started = performance.now();
    let totalLoss = 0;
    let epochLoss = 0;
    model.train();
    progress.start(epoch, batches);
    // Training batches [from, to): forward, NLL loss, backward and an SGD step per batch,
    // adding to totalLoss, epochLoss and samples; logs every logEvery batches.
    // A function of its own, so that a stub here leaves the code below it reachable.
    const trainBatches = (from: number, to: number): void => {
      // BEGIN ASSIGN4.5
      for (let b = from; b < to; b++) {
        const { x, y } = makeBatch(o.train, b * o.batchSize, o.batchSize, on);
        x.requiresGrad_(true);
        const loss = nllLoss(model.forward(x), y);
        loss.backward();
        const value = loss.item();
        totalLoss += value;
        epochLoss += value;
        optim.step();
        samples += o.batchSize;
        if (b % logEvery === 0) {
          const correct = evaluate(model, o.validation, on, valBatch, 0, valBatch);
          o.log.line(`Epoch ${epoch} loss ${totalLoss} valid acc ${correct}/${valBatch}`);
          o.metrics?.write({ kind: "batch", epoch, batch: b, loss: totalLoss, valAccuracy: correct / valBatch });
          totalLoss = 0;
        }
        progress.update(b + 1, (b + 1) * o.batchSize, value);
      }
      // END ASSIGN4.5
    };
    // The whole epoch, in slices with an event-loop turn between them (for Ctrl-C).
    await inSlices(batches, trainBatches);
    progress.stop();
    const seconds = (performance.now() - started) / 1000;
    trainSeconds += seconds;
    const correct = evaluate(model, o.validation, on, o.batchSize);
    const accuracy = correct / o.validation.count;
    best = Math.max(best, accuracy);
    o.log.line(
      `Epoch ${epoch} validation accuracy ${correct}/${o.validation.count} (${(accuracy * 100).toFixed(2)}%), ` +
        `epoch loss ${epochLoss.toFixed(4)}, ${seconds.toFixed(1)} s`,
    );
    o.metrics?.write({ kind: "epoch", epoch, batch: batches, loss: epochLoss, valAccuracy: accuracy });
    result.epochSeconds.push(seconds);
    result.epochLosses.push(epochLoss);
    if (o.save !== undefined) saveTraining(o.save, "train-mnist", epoch, { model, optimizer: optim }, o.settings, best);
  }
  result.bestValAccuracy = best;
  result.samplesPerSecond = trainSeconds > 0 ? samples / trainSeconds : 0;
  return result;
}
