/**
 * The machine's float64 peak for the SIMD kernels, measured: `peakLoop`
 * (assembly/peak.ts) has the micro-kernels' arithmetic (f64x2 multiplies
 * and adds into 8 accumulators, as many of each) with no memory traffic,
 * so its rate is the limit every kernel's GFLOP/s can be read against.
 */
import type { Kernel, KernelArg } from "@minitorch/tensor-core";
import { builtModuleUrl } from "../builtModule.js";
import { SCRATCH_BASE, simdThread } from "./kernels.js";

/** Flops of one iteration of peakLoop: 7 multiplies and 7 adds on 2 lanes. */
export const PEAK_FLOPS_PER_ITERATION = 28;

/** The peak loop's operands: a = (s, s/2, s/4), b = (b, b/2), factor m, increment d. */
export function peakOperands(s = 1, b = 1): number[] {
  return [s, s / 2, s / 4, b, b / 2, 1 + 1e-12, 1e-12];
}

/**
 * Runs `iterations` iterations of the peak loop on this thread with
 * peakOperands(s, b) and returns its result (the accumulators' sum).
 */
export function peakRun(iterations: number, s = 1, b = 1): number {
  const t = simdThread();
  t.reserve(SCRATCH_BASE + 128);
  const operands = peakOperands(s, b);
  for (let i = 0; i < operands.length; i++) t.f64.fill(operands[i]!, SCRATCH_BASE / 8 + 2 * i, SCRATCH_BASE / 8 + 2 * i + 2);
  return t.exports.peakLoop(iterations, SCRATCH_BASE);
}

/** Work units [start, end) of `iterations` peak-loop iterations each. */
export function peakUnits(iterations: number, start: number, end: number): void {
  for (let u = start; u < end; u++) peakRun(iterations);
}

/** The peak loop as workers find it (run on the pool: all threads at once). */
export const peakKernel: Kernel = {
  name: "peakUnits",
  module: new URL("./peak.js", builtModuleUrl(import.meta.url)).href,
  fn: peakUnits as (...args: KernelArg[]) => void,
};
