/**
 * Task 3.2: the parallel batched matrix multiply, as minitorch sets it.
 *
 *   a    [batchA, m, k]      batchA = batch, or 1 (broadcast over the batch)
 *   b    [batchB, k, n]      batchB = batch, or 1
 *   out  [batch,  m, n]
 *
 *   out[β, i, j] = Σ_p a[β, i, p] · b[β, p, j]
 *
 * Every operand comes with its strides (a transposed view is just other
 * strides). CourseBackend (courseOps.ts) brings any `a.matmul(b)` to these
 * three-dimensional shapes and runs this kernel on the worker pool; the
 * library's own kernel, FastBackend's packed GEMM, is in gemm.ts.
 *
 * This module is loaded by the worker threads, so it imports nothing.
 */
import type { Kernel, KernelArg, Storage } from "@minitorch/tensor-core";

/**
 * Computes the output elements whose row-major ordinals (in `outShape`) lie
 * in [start, end): one dot product of length k each. Minitorch's rules for
 * this kernel hold here too: the outer loop is the parallel one (the pool
 * hands each thread its own range of ordinals), no index buffers and no
 * function calls inside it, and the inner loop does one multiply and no
 * writes to `out`.
 */
export function tensorMatrixMultiply(
  out: Storage,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Storage,
  aShape: Int32Array,
  aStrides: Int32Array,
  b: Storage,
  bShape: Int32Array,
  bStrides: Int32Array,
  start: number,
  end: number,
): void {
  // A batch dimension of size 1 is broadcast: every output batch reads batch 0.
  const aBatchStride = aShape[0]! > 1 ? aStrides[0]! : 0;
  const bBatchStride = bShape[0]! > 1 ? bStrides[0]! : 0;
  const rows = outShape[1]!;
  const cols = outShape[2]!;
  const inner = aShape[2]!;
  // BEGIN ASSIGN3.2
  const aRowStride = aStrides[1]!;
  const aInnerStride = aStrides[2]!;
  const bInnerStride = bStrides[1]!;
  const bColStride = bStrides[2]!;
  for (let ordinal = start; ordinal < end; ordinal++) {
    const batch = Math.floor(ordinal / (rows * cols));
    const i = Math.floor(ordinal / cols) % rows;
    const j = ordinal % cols;
    let aPos = batch * aBatchStride + i * aRowStride;
    let bPos = batch * bBatchStride + j * bColStride;
    let acc = 0;
    for (let p = 0; p < inner; p++) {
      acc += a[aPos]! * b[bPos]!;
      aPos += aInnerStride;
      bPos += bInnerStride;
    }
    out[batch * outStrides[0]! + i * outStrides[1]! + j * outStrides[2]!] = acc;
  }
  // END ASSIGN3.2
}

/** Task 3.2's kernel as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const matmulKernel: Kernel = {
  name: "tensorMatrixMultiply",
  module: import.meta.url,
  fn: tensorMatrixMultiply as (...args: KernelArg[]) => void,
};
