/**
 * The command line both training apps share: their common options, and
 * what every run starts with (checked paths, thread count, backend, log and
 * metrics files).
 */
import { Command, Option } from "commander";
import { setThreads } from "@minitorch/fast-ops";
// Imported for what they register: every backend the apps offer comes from the registry.
import "@minitorch/gpu-ops";
import { DTYPES, backendNamed, backendNames, type Dtype, type TensorBackend } from "@minitorch/tensor-core";
import { MAX_SEED, UsageError, nonNegativeInt, oneOf, positiveInt, positiveNumber } from "./cli.js";
import { loadCheckpoint } from "./checkpoint.js";
import { sweepStaleTemporaries } from "./stopping.js";
import { guardFiles } from "@minitorch/datasets";
import { MetricsWriter, RunLog, metricsPathFor } from "./runLog.js";

/** Options every training app takes. */
export interface TrainingOptions {
  epochs: number;
  lr: number;
  batchSize: number;
  trainSize: number;
  valSize: number;
  seed: number;
  dataDir?: string;
  log?: string;
  metrics?: string;
  /** A registered backend's name (fast, plain, course, simple, gpu). */
  backend: string;
  /** The model's and the batches' element type: float64 (the course's) or float32. */
  dtype: Dtype;
  save?: string;
  resume?: string;
  threads?: number;
}

/** An app's defaults and wording for the shared options. */
export interface TrainingDefaults {
  epochs: number;
  lr: number;
  batchSize: number;
  trainSize: number;
  valSize: number;
  /** What one example is called: "examples", "sentences". */
  examples: string;
  /** Help text of --data-dir. */
  dataDir: string;
}

/** A commander program with the shared options; the app adds its own. */
export function trainingProgram(name: string, description: string, d: TrainingDefaults): Command {
  return new Command()
    .name(name)
    .description(description)
    .option("--epochs <n>", "epochs to train", positiveInt("--epochs"), d.epochs)
    .option("--lr <rate>", "SGD learning rate", positiveNumber("--lr"), d.lr)
    .option("--batch-size <n>", `${d.examples} per batch`, positiveInt("--batch-size"), d.batchSize)
    .option("--train-size <n>", `training ${d.examples}`, positiveInt("--train-size"), d.trainSize)
    .option("--val-size <n>", `validation ${d.examples}`, positiveInt("--val-size"), d.valSize)
    .option("--seed <n>", "seed for initialisation and dropout", nonNegativeInt("--seed", MAX_SEED), 42)
    .option("--data-dir <dir>", d.dataDir)
    .option("--log <file>", "append the log to <file> as it is written")
    .option("--metrics <file>", "append metrics as JSON lines to <file> (default: beside --log)")
    .addOption(
      new Option(
        "--backend <name>",
        "fast (parallel, SIMD kernels), plain (parallel, plain-TypeScript kernels), course (parallel, with the course's matmul and convolution kernels), simple (reference) or gpu (WebGPU, float32)",
      )
        .default("fast")
        .argParser(oneOf("--backend", backendNames())),
    )
    .addOption(
      new Option("--dtype <type>", "the model's and the batches' element type: float64 (the course's) or float32 (half the memory, twice the SIMD lanes)")
        .default("float64")
        .argParser(oneOf("--dtype", DTYPES)),
    )
    .option("--save <file>", "write a checkpoint to <file> after every epoch (atomically)")
    .option("--resume <file>", "continue from a checkpoint")
    .option("--threads <n>", "threads for the fast backend (1 = no workers)", positiveInt("--threads"))
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });
}

/** What a run starts with. */
export interface Run {
  backend: TensorBackend;
  log: RunLog;
  metrics: MetricsWriter;
  /** "backend fast, 2 threads" or "backend gpu, <adapter>" — for the first log line. */
  description: string;
}

/**
 * Checks the paths given with the shared output guard — inputs exist and
 * are files; outputs (--log, the metrics file, --save) are file names that
 * can be written, distinct from each other and from every input, including
 * the files `dataFiles` names inside --data-dir — and the numbers that must
 * agree, and the checkpoint to resume from, all before any data is loaded;
 * then applies --threads, picks the backend and makes the log (first line:
 * the command and the seed) and the metrics writer, which create their
 * files with their first line.
 *
 * @param paths the app's own input files by option ({ "--embeddings": … }).
 * @param dataFiles the names of the files the app may read in --data-dir.
 */
export function startRun(name: string, o: TrainingOptions, paths: Record<string, string | undefined> = {}, dataFiles: readonly string[] = []): Run {
  if (o.batchSize > o.trainSize) {
    throw new UsageError(`--batch-size ${o.batchSize} is larger than --train-size ${o.trainSize}: no batch would be trained; give at most ${o.trainSize}`);
  }
  const metricsOption = o.metrics !== undefined ? "--metrics" : "--log's metrics file";
  const metricsName = o.metrics ?? (o.log !== undefined ? metricsPathFor(o.log) : undefined);
  const out = guardFiles({
    inputs: { "--resume": o.resume, ...paths },
    inputDirs: { "--data-dir": { dir: o.dataDir, files: dataFiles } },
    outputs: [
      { option: "--log", file: o.log },
      { option: metricsOption, file: metricsName },
      { option: "--save", file: o.save, replace: true },
    ],
    allowed: [["--save", "--resume"]],
  });
  // Temporary files a killed run (kill -9) left beside these outputs.
  for (const file of [out["--save"], out[metricsOption]]) if (file !== undefined) sweepStaleTemporaries(file);
  const logFile = out["--log"];
  const metricsFile = out[metricsOption];
  let resumedAfter: number | undefined;
  if (o.resume !== undefined) {
    resumedAfter = loadCheckpoint(o.resume, name).epoch;
    if (resumedAfter >= o.epochs) {
      throw new UsageError(`--resume ${o.resume} has already trained ${resumedAfter} epochs; --epochs ${o.epochs} leaves nothing to do`);
    }
  }

  if (o.threads !== undefined) setThreads(o.threads);
  // --backend's parser took only registered names.
  const chosen = backendNamed(o.backend);
  const unavailable = chosen.unavailable?.() ?? null;
  if (unavailable !== null) throw new UsageError(`--backend ${o.backend}: ${unavailable}`);
  const backend = chosen.backend as TensorBackend;
  const where = chosen.describe?.() ?? "";
  const command = [name, ...process.argv.slice(2)].join(" ");
  const log = new RunLog(logFile, `# ${command} (seed ${o.seed})`, "--log");
  const metrics = new MetricsWriter(metricsFile, metricsOption);
  if (resumedAfter !== undefined) metrics.continueAfter(resumedAfter);
  // float64 is the course's default and goes unsaid, so float64 logs read as they always have.
  const dtype = o.dtype === "float32" ? ", float32" : "";
  return { backend, log, metrics, description: `backend ${backend.name}, ${where}${dtype}` };
}
