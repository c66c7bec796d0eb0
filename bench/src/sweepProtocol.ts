/**
 * What the `inline` section's parent process and its sweep children
 * (sweepChild.ts) exchange: the request as a JSON argument, the result as
 * one JSON line on stdout.
 */

export const SWEEP_KERNELS = ["zip", "mapInto"] as const;
export type SweepKernel = (typeof SWEEP_KERNELS)[number];

export interface SweepRequest {
  sizes: number[];
  samples: number;
  warmupMs: number;
  targetSampleMs: number;
}

export interface SweepResult {
  parallelMinCost: number;
  threads: number;
  /** Per kernel and size: per-call times of the samples, ms. */
  samples: Record<SweepKernel, Record<string, number[]>>;
  /** Jobs that went to the pool and chunks that workers did, over the whole sweep. */
  parallelJobs: number;
  workerChunks: number;
}
