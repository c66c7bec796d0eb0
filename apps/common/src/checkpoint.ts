/**
 * Checkpoints: a model's parameters, the epoch reached, the optimizer's
 * and the random generator's state, written atomically (a temporary file in
 * the same directory, flushed, then renamed over the old one) so a crash or
 * Ctrl-C never leaves a half-written checkpoint.
 */
import fs from "node:fs";
import path from "node:path";
import type { StateDict } from "@minitorch/nn";

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

export function saveCheckpoint(file: string, checkpoint: Omit<Checkpoint, "format" | "version">): void {
  const full: Checkpoint = { format: "minitorch-ts-checkpoint", version: 1, ...checkpoint };
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  // Serialise first: a value JSON cannot hold fails before any file is touched.
  const text = JSON.stringify(full);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Reads a checkpoint, checking that it is one and that it was written by `app`. */
export function loadCheckpoint(file: string, app: string): Checkpoint {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read checkpoint ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(`checkpoint ${file} is not valid JSON (${(e as Error).message})`);
  }
  const c = (typeof data === "object" && data !== null ? data : {}) as Partial<Checkpoint>;
  if (c.format !== "minitorch-ts-checkpoint" || c.version !== 1) throw new Error(`${file} is not a minitorch-ts checkpoint`);
  if (c.app !== app) throw new Error(`checkpoint ${file} was written by ${String(c.app)}, not ${app}`);
  const isObject = (v: unknown): boolean => typeof v === "object" && v !== null;
  if (
    !Number.isInteger(c.epoch) ||
    !isObject(c.model) ||
    !isObject(c.optimizer) ||
    !Array.isArray(c.random) ||
    typeof c.bestValAccuracy !== "number"
  ) {
    throw new Error(`checkpoint ${file} is incomplete`);
  }
  return c as Checkpoint;
}
