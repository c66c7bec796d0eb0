/**
 * The machine's float64 peak for the SIMD kernels, measured: `peakLoop`
 * (assembly/peak.ts) runs the micro-kernels' instruction mix — f64x2
 * multiplies and adds on operands loaded from L1 — with no cache miss,
 * no store and no bookkeeping, so its rate is the limit every kernel's
 * GFLOP/s can be read against.
 */
import type { Kernel, KernelArg } from "@minitorch/tensor-core";
import { SCRATCH_BASE, simdThread } from "./kernels.js";

/** Flops of one pass of peakLoop: 256 steps × 16 f64x2 operations × 2 lanes. */
export const PEAK_FLOPS_PER_ITERATION = 8192;

/** Values of the peak loop's panels (2048 doubles: A then B): near 1, so sums stay moderate. */
export function peakPanels(): Float64Array {
  return Float64Array.from({ length: 2048 }, (_, i) => 1 + ((i * 7919) % 1000) * 1e-6);
}

/** Runs `passes` passes of the peak loop on this thread and returns its result (the accumulators' sum). */
export function peakRun(passes: number): number {
  const t = simdThread();
  t.reserve(SCRATCH_BASE + 16384);
  t.f64.set(peakPanels(), SCRATCH_BASE / 8);
  return t.exports.peakLoop(passes, SCRATCH_BASE);
}

/** Work units [start, end) of `passes` peak-loop passes each. */
export function peakUnits(passes: number, start: number, end: number): void {
  for (let u = start; u < end; u++) peakRun(passes);
}

/** The peak loop as workers find it (run on the pool: all threads at once). */
export const peakKernel: Kernel = {
  name: "peakUnits",
  module: import.meta.url,
  fn: peakUnits as (...args: KernelArg[]) => void,
};
