/**
 * How exactly the backend suite compares: the reference backends compute in
 * float64 and are held to 1e-6; a float32 backend (GpuBackend) passes its
 * own profile — looser tolerances, and inputs on a grid its arithmetic
 * represents, so that the comparison checks the kernels and not float32
 * rounding of sums that cancel.
 */
import type { CreateOptions, Dtype, GradCheckOptions, TensorBackend } from "@minitorch/tensor-core";

export interface SuitePrecision {
  /** Forward results: |got − want| ≤ forward · (1 + |want|). */
  forward: number;
  /** Applied to every generated input value. */
  value: (x: number) => number;
  /** Options of every gradCheck. */
  gradCheck: GradCheckOptions;
  /** Scale of the fast-check run counts (a slow backend runs fewer cases). */
  runs: number;
  /** The dtype of every tensor the suite makes (float64 when absent). */
  dtype?: Dtype;
}

/** The reference backends' profile. */
export const float64: SuitePrecision = { forward: 1e-6, value: (x) => x, gradCheck: {}, runs: 1 };

/**
 * float32 tensors on a CPU backend. Each elementwise op computes in float64
 * and rounds once (relative error ≤ 2⁻²⁴ of its output; div is two ops), so
 * forward results are held to 1e-6 · (1 + |want|): relative to the output's
 * magnitude, with an absolute floor of 1e-6 near 0. Inputs lie on a grid of
 * 1/16, as for the GPU, so gradCheck's step of 1/128 is exact in float32;
 * each output is differenced before summing (`perOutput`), and the default
 * 1 % tolerance of gradCheck holds.
 */
export const float32: SuitePrecision = {
  forward: 1e-6,
  value: (x) => Math.round(x * 16) / 16,
  gradCheck: { epsilon: 1 / 128, perOutput: true },
  runs: 0.5,
  dtype: "float32",
};

/** Where the suite makes its tensors: `backend` and the profile's dtype, as creation options. */
export const creationOn = (backend: TensorBackend, p: SuitePrecision): CreateOptions => ({ backend, dtype: p.dtype ?? "float64" });

/** `n` fast-check runs scaled by the profile, at least 5. */
export const scaledRuns = (n: number, p: SuitePrecision): number => Math.max(5, Math.round(n * p.runs));
