/**
 * FastOps settings from the environment, read through the one validator
 * every package uses (@minitorch/autodiff's env.ts), each checked once at
 * start-up with an error that names the variable, what it must be and what
 * it was.
 */
import os from "node:os";
import { envInt } from "@minitorch/autodiff";
import { MAX_WORKERS } from "./protocol.js";

export { envFlag, envInt } from "@minitorch/autodiff";

/** Threads of the pool, the main thread included: MINITORCH_THREADS, else the machine's parallelism. */
export function threadsFromEnv(): number {
  return envInt("MINITORCH_THREADS", { min: 1, max: MAX_WORKERS + 1, fallback: Math.min(os.availableParallelism(), MAX_WORKERS + 1) });
}
