/**
 * Checkpoints: a model's parameters, the epoch reached, the optimizer's
 * and the random generator's state, written atomically (a temporary file in
 * the same directory, flushed, then renamed over the old one) so a crash or
 * Ctrl-C never leaves a half-written checkpoint.
 */
import fs from "node:fs";
import path from "node:path";
import { defaultRandom } from "@minitorch/autodiff";
import type { Module, SGD, StateDict } from "@minitorch/nn";
import { UsageError } from "./cli.js";
import { prepareOutput } from "@minitorch/datasets";
import type { RunLog } from "./runLog.js";

/** The largest checkpoint file read: a JSON checkpoint of a few million parameters; a bigger file is refused before it is read. */
export const MAX_CHECKPOINT_BYTES = 256 * 1024 * 1024;

export interface Checkpoint {
  format: "minitorch-ts-checkpoint";
  version: 1;
  /** Which app wrote it ("train-mnist", …). */
  app: string;
  /** The last completed epoch. */
  epoch: number;
  model: StateDict;
  optimizer: { lr: number };
  random: number[];
  /** App-specific settings needed to rebuild the model or continue. */
  settings: Record<string, unknown>;
  /** Best validation accuracy so far, in [0, 1]. */
  bestValAccuracy: number;
}

/**
 * Writes `checkpoint` to `file` atomically. The target must be a regular
 * file or absent, and every parameter value a finite number (a model whose
 * training diverged is not saved over a good checkpoint); errors name the
 * file — never the temporary one — and the parameter.
 */
export function saveCheckpoint(file: string, checkpoint: Omit<Checkpoint, "format" | "version">): void {
  const full: Checkpoint = { format: "minitorch-ts-checkpoint", version: 1, ...checkpoint };
  checkModel(full.model, `cannot save checkpoint ${file}`);
  const target = prepareOutput("checkpoint", file, { replace: true });
  // Serialise first: a value JSON cannot hold fails before any file is touched.
  const text = JSON.stringify(full);
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  let created = false;
  try {
    const fd = fs.openSync(tmp, "w");
    created = true;
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    if (created) fs.rmSync(tmp, { force: true });
    throw new Error(`cannot write checkpoint ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/**
 * Checks every parameter of a saved model: a shape of non-negative integers
 * and as many values, each a finite number. `what` starts the message.
 */
function checkModel(model: unknown, what: string): void {
  if (typeof model !== "object" || model === null || Array.isArray(model)) throw new Error(`${what}: the model is not a set of named parameters`);
  for (const [name, entry] of Object.entries(model)) {
    const e = (typeof entry === "object" && entry !== null ? entry : {}) as { shape?: unknown; data?: unknown };
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && (d as number) >= 0) || !Array.isArray(e.data)) {
      throw new Error(`${what}: parameter "${name}" needs a shape (non-negative integers) and its values`);
    }
    const size = (e.shape as number[]).reduce((a, b) => a * b, 1);
    if (e.data.length !== size) {
      throw new Error(`${what}: parameter "${name}" of shape [${e.shape.join(", ")}] needs ${size} values, has ${e.data.length}`);
    }
    const bad = e.data.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
    if (bad >= 0) {
      const v: unknown = e.data[bad];
      const shown = typeof v === "number" ? String(v) : (JSON.stringify(v) ?? String(v));
      throw new Error(`${what}: parameter "${name}" value ${bad} is ${shown}, not a finite number`);
    }
  }
}

/**
 * Reads a checkpoint, checking that it is one, that it was written by `app`
 * (or one of several apps), and that every value in it is usable (finite
 * parameters, a positive learning rate, a random state of four integers).
 */
export function loadCheckpoint(file: string, app: string | readonly string[]): Checkpoint {
  let text: string;
  try {
    // The size is checked before the file is read: a huge file is not a checkpoint of these apps.
    const bytes = fs.statSync(file).size;
    if (bytes > MAX_CHECKPOINT_BYTES) {
      throw new Error(`checkpoint ${file} is ${bytes} bytes, more than any model of these apps takes (at most ${MAX_CHECKPOINT_BYTES}); not loaded`);
    }
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new Error(`cannot read checkpoint ${file}: ${(e as NodeJS.ErrnoException).code}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`checkpoint ${file} is not valid JSON (${(e as Error).message})`);
  }
  const c = (typeof data === "object" && data !== null ? data : {}) as Partial<Checkpoint>;
  if (c.format !== "minitorch-ts-checkpoint" || c.version !== 1) throw new Error(`${file} is not a minitorch-ts checkpoint`);
  const apps: readonly string[] = typeof app === "string" ? [app] : app;
  if (!apps.includes(c.app as string)) throw new Error(`checkpoint ${file} was written by ${String(c.app)}, not ${apps.join(" or ")}`);
  const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;
  if (
    !Number.isInteger(c.epoch) ||
    !isObject(c.model) ||
    !isObject(c.optimizer) ||
    !Array.isArray(c.random) ||
    typeof c.bestValAccuracy !== "number" ||
    !isObject(c.settings)
  ) {
    throw new Error(`checkpoint ${file} is incomplete`);
  }
  const what = `checkpoint ${file}`;
  checkModel(c.model, what);
  if ((c.epoch as number) < 0) throw new Error(`${what}: epoch must be a non-negative integer, got ${c.epoch}`);
  const lr = (c.optimizer as { lr?: unknown }).lr;
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) throw new Error(`${what}: optimizer lr must be a positive number, got ${JSON.stringify(lr)}`);
  if (c.random!.length !== 4 || !c.random!.every((v) => Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) {
    throw new Error(`${what}: random state must be four 32-bit unsigned integers, got ${JSON.stringify(c.random)}`);
  }
  if (!Number.isFinite(c.bestValAccuracy) || c.bestValAccuracy! < 0 || c.bestValAccuracy! > 1) {
    throw new Error(`${what}: bestValAccuracy must be a number in [0, 1], got ${c.bestValAccuracy}`);
  }
  return c as Checkpoint;
}

/** The parts of a run that resuming restores. */
interface Resumable {
  model: Module;
  optimizer: SGD;
}

/**
 * Restores model, optimizer and random generator from checkpoint `file`
 * written by `app`, for a run of `epochs` epochs with learning rate `lr`
 * (the command line wins over the checkpoint's) and `settings`; logs what
 * differs from the run that wrote it.
 *
 * @returns the first epoch still to train and the best validation accuracy so far.
 * @throws UsageError when the checkpoint already covers `epochs`, Error when
 *   it does not fit the model.
 */
export function resumeTraining(
  file: string,
  app: string,
  run: Resumable,
  epochs: number,
  lr: number,
  settings: Record<string, unknown>,
  log: RunLog,
): { firstEpoch: number; best: number } {
  const c = loadCheckpoint(file, app);
  if (c.epoch >= epochs) {
    throw new UsageError(`--resume ${file} has already trained ${c.epoch} epochs; --epochs ${epochs} leaves nothing to do`);
  }
  try {
    run.model.loadStateDict(c.model);
  } catch (e) {
    throw new Error(`checkpoint ${file} does not fit this model: ${(e as Error).message}`);
  }
  run.optimizer.loadState(c.optimizer);
  defaultRandom.setState(c.random);
  log.line(`Resumed from ${file} after epoch ${c.epoch}`);
  if (run.optimizer.lr !== lr) {
    log.line(`Note: learning rate ${lr} (the checkpoint's run used ${run.optimizer.lr})`);
    run.optimizer.lr = lr;
  }
  for (const [key, value] of Object.entries(settings)) {
    const saved = c.settings[key];
    if (saved !== undefined && JSON.stringify(saved) !== JSON.stringify(value)) {
      log.line(`Note: ${key} is ${JSON.stringify(value)}; the checkpoint's run used ${JSON.stringify(saved)}`);
    }
  }
  return { firstEpoch: c.epoch + 1, best: c.bestValAccuracy };
}

/** Writes the checkpoint of a run at the end of `epoch` (model, optimizer, random generator). */
export function saveTraining(
  file: string,
  app: string,
  epoch: number,
  run: Resumable,
  settings: Record<string, unknown>,
  bestValAccuracy: number,
): void {
  saveCheckpoint(file, {
    app,
    epoch,
    model: run.model.stateDict(),
    optimizer: run.optimizer.state(),
    random: defaultRandom.getState(),
    settings,
    bestValAccuracy,
  });
}
