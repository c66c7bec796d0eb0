/**
 * How exactly the backend suite compares: the reference backends compute in
 * float64 and are held to 1e-6; a float32 backend (GpuBackend) passes its
 * own profile — looser tolerances, and inputs on a grid its arithmetic
 * represents, so that the comparison checks the kernels and not float32
 * rounding of sums that cancel.
 */
import type { GradCheckOptions } from "@minitorch/tensor-core";

export interface SuitePrecision {
  /** Forward results: |got − want| ≤ forward · (1 + |want|). */
  forward: number;
  /** Applied to every generated input value. */
  value: (x: number) => number;
  /** Options of every gradCheck. */
  gradCheck: GradCheckOptions;
  /** Scale of the fast-check run counts (a slow backend runs fewer cases). */
  runs: number;
}

/** The reference backends' profile. */
export const float64: SuitePrecision = { forward: 1e-6, value: (x) => x, gradCheck: {}, runs: 1 };

/** `n` fast-check runs scaled by the profile, at least 5. */
export const scaledRuns = (n: number, p: SuitePrecision): number => Math.max(5, Math.round(n * p.runs));
