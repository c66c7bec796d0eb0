/**
 * FastOps settings from the environment, read through the one validator
 * every package uses (@minitorch/autodiff's env.ts), each checked once at
 * start-up with an error that names the variable, what it must be and what
 * it was.
 */
import { envInt } from "@minitorch/autodiff";
import { MAX_THREADS } from "./runtime/control.js";
import { availableParallelism } from "./runtime/platform.js";

export { envFlag, envInt } from "@minitorch/autodiff";

/** Threads of the pool, the main thread included: MINITORCH_THREADS, else the machine's parallelism. */
export function threadsFromEnv(): number {
  return envInt("MINITORCH_THREADS", { min: 1, max: MAX_THREADS + 1, fallback: Math.min(availableParallelism(), MAX_THREADS + 1) });
}
