/**
 * softmax and logsoftmax (nn/reductions.ts) subtract max(x, dim) for
 * numerical safety, computed on a detached x: in the recorded graph it is a
 * constant, −max(x, dim), added to x. The exporter recognises that constant
 * by its value and computes it in the graph instead (Neg ∘ ReduceMax).
 */
import type { Tensor } from "@minitorch/tensor-core";

/** max(values, dim) of a row-major array of `shape`, keeping `dim` with size 1. */
export function maxAlong(values: Float64Array, shape: readonly number[], dim: number): Float64Array {
  const size = shape[dim]!;
  const inner = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const outer = values.length / (size * inner);
  const out = new Float64Array(outer * inner).fill(-Infinity);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < size; k++) {
      for (let i = 0; i < inner; i++) {
        const v = values[(o * size + k) * inner + i]!;
        const at = o * inner + i;
        if (v > out[at]!) out[at] = v;
      }
    }
  }
  return out;
}

/** True when `shift` equals −max(x, d) exactly (shape included). */
function isNegatedMax(shift: Tensor, x: Tensor, d: number): boolean {
  if (shift.dims !== x.dims || shift.shape[d] !== 1 || shift.shape.some((size, e) => e !== d && size !== x.shape[e])) return false;
  const s = shift.toFloat64Array();
  return maxAlong(x.toFloat64Array(), x.shape, d).every((v, k) => -v === s[k]);
}

/**
 * The dimension along which constant `shift` is −max(x, dim) in both traced
 * passes (`shift`, `x`) and (`shift2`, `x2`), or −1 when there is none.
 */
export function softmaxShiftAxis(shift: Tensor, x: Tensor, shift2: Tensor, x2: Tensor): number {
  for (let d = 0; d < x.dims; d++) if (isNegatedMax(shift, x, d) && isNegatedMax(shift2, x2, d)) return d;
  return -1;
}
