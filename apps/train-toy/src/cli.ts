/**
 * What the three toy-training commands share: their options (minitorch's
 * PTS, HIDDEN, RATE and DATASET, plus epochs, seed and --log), the run
 * log, and the epoch loop that prints minitorch's log lines.
 */
import { Random } from "@minitorch/autodiff";
import { RunLog, UsageError, nonNegativeInt, oneOf, percent, positiveInt, positiveNumber, MAX_SEED, prepareOutput } from "@minitorch/app-common";
import { toyDatasets, type Graph } from "@minitorch/datasets";
import { Command } from "commander";
import { epochLine, isLogEpoch, type ToyTrainer } from "./networks/index.js";

/** The datasets by their command-line names: simple, diag, split, xor, circle, spiral. */
export const DATASETS: Readonly<Record<string, (N: number, random: Random) => Graph>> = Object.fromEntries(
  Object.entries(toyDatasets).map(([name, make]) => [name.toLowerCase(), make]),
);

/** The options every toy command takes. */
export interface ToyOptions {
  dataset: string;
  pts: number;
  hidden: number;
  lr: number;
  epochs: number;
  seed: number;
  log?: string;
}

/** A command's defaults: minitorch's script's constants. */
export interface ToyDefaults {
  hidden: number;
  lr: number;
}

/** A commander program with the shared options; a command adds its own. */
export function toyProgram(name: string, description: string, d: ToyDefaults): Command {
  return new Command()
    .name(name)
    .description(description)
    .option("--dataset <name>", `the toy dataset: ${Object.keys(DATASETS).join(", ")}`, oneOf("--dataset", Object.keys(DATASETS)), "simple")
    .option("--pts <n>", "points in the dataset", positiveInt("--pts"), 50)
    .option("--hidden <n>", "width of the two hidden layers", positiveInt("--hidden"), d.hidden)
    .option("--lr <rate>", "SGD learning rate", positiveNumber("--lr"), d.lr)
    .option("--epochs <n>", "epochs to train", positiveInt("--epochs"), 500)
    .option("--seed <n>", "seed for the dataset's points, the initial weights and the batch order", nonNegativeInt("--seed", MAX_SEED), 0)
    .option("--log <file>", "append the log to <file> as it is written")
    .showHelpAfterError(false)
    .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });
}

/** The run's log (first line: the command) and its data, drawn from one generator seeded with --seed; the trainer draws from it next. */
export function startToyRun(name: string, o: ToyOptions): { log: RunLog; data: Graph; random: Random } {
  const logFile = o.log === undefined ? undefined : prepareOutput("--log", o.log);
  const make = DATASETS[o.dataset];
  if (make === undefined) throw new UsageError(`--dataset must be one of ${Object.keys(DATASETS).join(", ")}, got "${o.dataset}"`);
  const random = new Random(o.seed);
  const data = make(o.pts, random);
  const log = new RunLog(logFile, `# ${[name, ...process.argv.slice(2)].join(" ")} (seed ${o.seed})`);
  return { log, data, random };
}

/**
 * Trains `trainer` for `epochs` epochs, printing minitorch's line every
 * 10th epoch and at the last (with the mean time per epoch since the last
 * line when `timed`); returns the last epoch's result.
 */
export function trainAndLog(trainer: ToyTrainer, o: { epochs: number; N: number; log: RunLog; timed: boolean }): { correct: number; secondsPerEpoch: number } {
  let correct = 0;
  let since = performance.now();
  let sinceEpoch = 0;
  let total = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const r = trainer.epoch();
    correct = r.correct;
    if (isLogEpoch(epoch, o.epochs)) {
      const now = performance.now();
      const seconds = (now - since) / 1000 / (epoch - sinceEpoch);
      total += now - since;
      since = now;
      sinceEpoch = epoch;
      o.log.line(epochLine(epoch, r, o.timed ? seconds : undefined));
    }
  }
  const secondsPerEpoch = total / 1000 / o.epochs;
  o.log.line(
    `Done: ${correct} of ${o.N} correct (${percent(correct / o.N)}) after ${o.epochs} epochs` +
      (o.timed ? `, ${secondsPerEpoch.toFixed(4)} s per epoch` : ""),
  );
  return { correct, secondsPerEpoch };
}
