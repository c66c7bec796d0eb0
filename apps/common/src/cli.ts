/**
 * Command-line plumbing shared by the apps: option parsers that reject bad
 * values with a one-line message, and a runner that turns any error into
 * one line on stderr and a non-zero exit, without a stack trace.
 */
import { envFlag } from "@minitorch/autodiff";
import { InvalidArgumentError } from "commander";
import { stopRuns } from "./runLog.js";
import { exitCodeFor, onStopSignal } from "./stopping.js";

/**
 * The one parser behind every numeric option: decimal digits only (no sign,
 * hex, octal, exponent or blanks, which `Number()` would take), within
 * [min, max] — for a seed, the range the generator keeps distinct — so a
 * value is never silently reduced, rounded or read in another base.
 */
export function integerIn(name: string, min: number, max: number, wording: string): (value: string) => number {
  return (value) => {
    const n = /^[0-9]+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be ${wording}, got "${value}".`);
    if (n > max) throw new InvalidArgumentError(`${name} must be at most ${max}, got "${value}".`);
    return n;
  };
}

export function positiveInt(name: string): (value: string) => number {
  return integerIn(name, 1, Number.MAX_SAFE_INTEGER, "a positive integer");
}

export function nonNegativeInt(name: string, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return integerIn(name, 0, max, "a non-negative integer");
}

/** The largest seed: the generator reduces seeds to 32 bits, so larger ones would repeat smaller ones' runs. */
export const MAX_SEED = 0xffffffff;

/** A decimal number (digits, an optional fraction and exponent: `0.01`, `1e-3`), never hex or `Infinity`. */
export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = /^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number, got "${value}".`);
    return n;
  };
}

export function oneOf<T extends string>(name: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value)) {
      throw new InvalidArgumentError(`${name} must be one of ${choices.join(", ")}, got "${value}".`);
    }
    return value as T;
  };
}

/** An error whose message is for the user as it is (no stack trace is shown). */
export class UsageError extends Error {
  override name = "UsageError";
}

/**
 * Runs `main`, printing `<app>: <message>` and exiting with code 1 on any
 * error, or on SIGINT, SIGTERM or SIGHUP (after `onInterrupt`) with 128 +
 * the signal's number (130 for Ctrl-C). Either way, every open run log ends
 * with a line saying why the run stopped (`stopRuns`). With
 * MINITORCH_DEBUG=1 an error's stack trace follows its message.
 */
export function runMain(app: string, main: () => Promise<void>, onInterrupt?: () => void): void {
  let debug = false;
  const fail = (e: unknown): void => {
    const message = (e instanceof Error ? e.message : String(e)).split("\n")[0]!;
    stopRuns(message);
    process.stderr.write(`${app}: ${message}\n`);
    if (debug) process.stderr.write(`${(e as Error).stack ?? ""}\n`);
    process.exit(1);
  };
  onStopSignal((signal) => {
    onInterrupt?.();
    stopRuns(`interrupted (${signal})`);
    process.stderr.write(`\n${app}: interrupted${signal === "SIGINT" ? "" : ` by ${signal}`}\n`);
    process.exit(exitCodeFor(signal));
  });
  try {
    debug = envFlag("MINITORCH_DEBUG");
  } catch (e) {
    fail(e);
    return;
  }
  main().then(() => process.exit(0), fail);
}

/** Lets the event loop turn (so that Ctrl-C is handled and timers run). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Runs units [0, count) as `run(from, to)` on consecutive slices of about
 * `sliceMs` milliseconds each (sized from the time the previous slice took
 * per unit), letting the event loop turn between slices. Training needs no
 * turn — tensor memory comes back through ordinary garbage collection — but
 * an app wants Ctrl-C handled promptly while a long epoch runs.
 */
export async function inSlices(count: number, run: (from: number, to: number) => void, sliceMs = 100): Promise<void> {
  let size = 1;
  for (let from = 0; from < count; ) {
    const to = Math.min(count, from + size);
    const started = performance.now();
    run(from, to);
    const perUnit = (performance.now() - started) / (to - from);
    size = Math.max(1, Math.floor(sliceMs / Math.max(perUnit, 0.001)));
    from = to;
    if (from < count) await yieldToEventLoop();
  }
}

/** Python's `{x:.2%}`: 0.5133 → "51.33%". */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
