/**
 * Command-line plumbing shared by the apps: option parsers that reject bad
 * values with a one-line message, and a runner that turns any error into
 * one line on stderr and a non-zero exit, without a stack trace.
 */
import { envFlag } from "@minitorch/autodiff";
import { InvalidArgumentError } from "commander";
import { stopRuns } from "./runLog.js";

export function positiveInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${value}".`);
    return n;
  };
}

export function nonNegativeInt(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a non-negative integer, got "${value}".`);
    return n;
  };
}

export function positiveNumber(name: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
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
 * error, or 130 on Ctrl-C (after `onInterrupt`). Either way, every open run
 * log ends with a line saying why the run stopped (`stopRuns`). With
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
  process.once("SIGINT", () => {
    onInterrupt?.();
    stopRuns("interrupted (SIGINT)");
    process.stderr.write(`\n${app}: interrupted\n`);
    process.exit(130);
  });
  try {
    debug = envFlag("MINITORCH_DEBUG");
  } catch (e) {
    fail(e);
    return;
  }
  main().then(() => process.exit(0), fail);
}

/** Lets the event loop turn (so freed tensor storage is recycled and signals are handled). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Python's `{x:.2%}`: 0.5133 → "51.33%". */
export function percent(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}
