/**
 * The machine's float64 peak for the SIMD kernels, measured: `peakLoop`
 * (assembly/peak.ts) has the inner loop's arithmetic (f64x2 multiply and
 * add, 8 independent accumulators) with no memory traffic, so its rate is
 * the limit every kernel's GFLOP/s can be read against.
 */
import type { Kernel, KernelArg } from "@minitorch/tensor-core";
import { builtModuleUrl } from "../builtModule.js";
import { simdThread } from "./kernels.js";

/** Flops of one iteration of peakLoop: 8 accumulators × 2 lanes × (multiply + add). */
export const PEAK_FLOPS_PER_ITERATION = 32;

/** Work units [start, end) of `iterations` peak-loop iterations each. */
export function peakUnits(iterations: number, start: number, end: number): void {
  const { peakLoop } = simdThread().exports;
  for (let u = start; u < end; u++) peakLoop(iterations, 1 + 1e-9, 1e-9);
}

/** The peak loop as workers find it (run on the pool: all threads at once). */
export const peakKernel: Kernel = {
  name: "peakUnits",
  module: new URL("./peak.js", builtModuleUrl(import.meta.url)).href,
  fn: peakUnits as (...args: KernelArg[]) => void,
};
