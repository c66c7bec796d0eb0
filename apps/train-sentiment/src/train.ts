/**
 * Task 4.5: the sentiment training loop of minitorch's run_sentiment.py —
 * SGD on batches of 10 with binary cross-entropy, training accuracy from
 * the batches' predictions, validation on the whole validation set after
 * every epoch, three log lines per epoch in minitorch's format.
 */
import {
  EpochProgress,
  MetricsWriter,
  RunLog,
  inSlices,
  percent,
  resumeTraining,
  saveTraining,
} from "@minitorch/app-common";
import { manualSeed } from "@minitorch/autodiff";
import type { EncodedSplit } from "@minitorch/datasets";
import { SGD, bceLoss } from "@minitorch/nn";
import { fromArray, type CreateOptions, type Dtype, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { KimCNN } from "./model.js";

export interface SentimentTrainOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  seed: number;
  backend: TensorBackend;
  /** The model's and the batches' element type (float64 when absent). */
  dtype?: Dtype;
  train: EncodedSplit;
  validation: EncodedSplit;
  log: RunLog;
  metrics?: MetricsWriter;
  save?: string;
  resume?: string;
  settings: Record<string, unknown>;
}

export interface SentimentTrainResult {
  model: KimCNN;
  bestValAccuracy: number;
  trainAccuracy: number[];
  validationAccuracy: number[];
  losses: number[];
  epochSeconds: number[];
}

/** Rows [start, start + count) of an encoded split as tensors: x [count, L, D] and y [count]. */
export function sentimentBatch(split: EncodedSplit, start: number, count: number, backend: TensorBackend | CreateOptions): { x: Tensor; y: Tensor } {
  const [, len, dim] = split.shape;
  const row = len * dim;
  const x = fromArray(split.x.subarray(start * row, (start + count) * row), [count, len, dim], backend);
  const y = fromArray(split.y.slice(start, start + count), [count], backend);
  return { x, y };
}

/** Predictions > 0.5 that match their label. */
export function countCorrect(probs: Tensor, labels: readonly number[], start: number): number {
  const p = probs.toFloat64Array();
  let correct = 0;
  for (let i = 0; i < p.length; i++) if ((p[i]! > 0.5 ? 1 : 0) === labels[start + i]) correct++;
  return correct;
}

export async function trainSentiment(o: SentimentTrainOptions): Promise<SentimentTrainResult> {
  manualSeed(o.seed);
  const [, , dim] = o.train.shape;
  // Where the model and every batch live: the backend, in the run's dtype.
  const on: CreateOptions = { backend: o.backend, dtype: o.dtype ?? "float64" };
  const model = new KimCNN({ ...on, embeddingSize: dim });
  const optim = new SGD(model.parameters(), o.lr);
  let firstEpoch = 1;
  let best = 0;
  if (o.resume !== undefined) {
    ({ firstEpoch, best } = resumeTraining(o.resume, "train-sentiment", { model, optimizer: optim }, o.epochs, o.lr, o.settings, o.log));
  }
  const n = o.train.shape[0];
  const batchSize = Math.min(o.batchSize, n);
  const batches = Math.ceil(n / batchSize);
  const progress = new EpochProgress(o.log);
  const result: SentimentTrainResult = { model, bestValAccuracy: best, trainAccuracy: [], validationAccuracy: [], losses: [], epochSeconds: [] };
  for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
    const started = performance.now();
    let totalLoss = 0;
    let trainCorrect = 0;
    model.train();
    progress.start(epoch, batches);
    // Training batches [from, to): forward, BCE loss, backward and an SGD step per batch,
    // adding to totalLoss and trainCorrect.
    // A function of its own, so that a stub here leaves the code below it reachable.
    const trainBatches = (from: number, to: number): void => {
      // BEGIN ASSIGN4.5
      for (let b = from; b < to; b++) {
        const start = b * batchSize;
        const count = Math.min(batchSize, n - start);
        const { x, y } = sentimentBatch(o.train, start, count, on);
        x.requiresGrad_(true);
        const out = model.forward(x);
        const loss = bceLoss(out, y);
        loss.backward();
        trainCorrect += countCorrect(out, o.train.y, start);
        const value = loss.item();
        totalLoss += value;
        optim.step();
        progress.update(b + 1, start + count, value);
      }
      // END ASSIGN4.5
    };
    // The whole epoch, in slices with an event-loop turn between them (for Ctrl-C).
    await inSlices(batches, trainBatches);
    progress.stop();
    const trainAccuracy = trainCorrect / n;
    model.eval();
    const { x } = sentimentBatch(o.validation, 0, o.validation.shape[0], on);
    const valAccuracy = countCorrect(model.forward(x), o.validation.y, 0) / o.validation.shape[0];
    model.train();
    best = Math.max(best, valAccuracy);
    o.log.line(`Epoch ${epoch}, loss ${totalLoss}, train accuracy: ${percent(trainAccuracy)}`);
    o.log.line(`Validation accuracy: ${percent(valAccuracy)}`);
    o.log.line(`Best Valid accuracy: ${percent(best)}`);
    o.metrics?.write({ kind: "epoch", epoch, batch: batches, loss: totalLoss, trainAccuracy, valAccuracy });
    result.trainAccuracy.push(trainAccuracy);
    result.validationAccuracy.push(valAccuracy);
    result.losses.push(totalLoss);
    result.epochSeconds.push((performance.now() - started) / 1000);
    if (o.save !== undefined) saveTraining(o.save, "train-sentiment", epoch, { model, optimizer: optim }, o.settings, best);
  }
  result.bestValAccuracy = best;
  return result;
}
