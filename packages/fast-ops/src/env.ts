/**
 * FastOps settings from the environment, each checked once at start-up with
 * an error that names the variable, what it must be and what it was.
 */
import os from "node:os";
import { MAX_WORKERS } from "./protocol.js";

/** A yes/no setting: unset, "", "0" or "false" is off; "1" or "true" is on; anything else is an error. */
export function envFlag(name: string): boolean {
  const raw = process.env[name];
  if (raw === undefined || raw === "" || raw === "0" || raw === "false") return false;
  if (raw === "1" || raw === "true") return true;
  throw new RangeError(`${name} must be 1 or 0 (true or false), got "${raw}"`);
}

/** An integer setting in [min, max]; `fallback` when unset or empty. */
export function envInt(name: string, min: number, max: number, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw);
  if (!/^\s*[+-]?\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got "${raw}"`);
  }
  return v;
}

/** Threads of the pool, the main thread included: MINITORCH_THREADS, else the machine's parallelism. */
export function threadsFromEnv(): number {
  return envInt("MINITORCH_THREADS", 1, MAX_WORKERS + 1, Math.min(os.availableParallelism(), MAX_WORKERS + 1));
}
