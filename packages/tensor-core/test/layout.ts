/**
 * Test support shared by every package's tensor tests (imported by relative
 * path from fast-ops, fast-conv and nn): evenly spread values, random
 * storage orders, and tensors laid out in them.
 */
import fc from "fast-check";
import { fromArray, type CreateOptions, type Tensor, type TensorBackend } from "@minitorch/tensor-core";

/**
 * Floats spread evenly over [min, max]. fc.double alone draws evenly over
 * representable doubles, so nearly all its values would sit next to 0.
 */
export function evenFloats(min: number, max: number): fc.Arbitrary<number> {
  const steps = 2 ** 32 - 1;
  return fc.integer({ min: 0, max: steps }).map((n) => min + ((max - min) * n) / steps);
}

/** `n` evenly spread floats in [min, max]. */
export function floatArray(n: number, min = -100, max = 100): fc.Arbitrary<number[]> {
  return fc.array(evenFloats(min, max), { minLength: n, maxLength: n });
}

export const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** A permutation of 0..n−1. */
export const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );

/**
 * A tensor of `shape` holding `values` in row-major order, stored in the
 * dimension order `perm` and permuted back: a non-contiguous view unless
 * `perm` is the identity.
 */
export function layoutTensor(values: ArrayLike<number>, shape: readonly number[], perm: readonly number[], backend: TensorBackend | CreateOptions): Tensor {
  const n = shape.length;
  const storedShape = perm.map((p) => shape[p]!);
  const stored = new Float64Array(values.length);
  const storedStrides = new Array<number>(n);
  for (let d = n - 1, s = 1; d >= 0; d--) {
    storedStrides[d] = s;
    s *= storedShape[d]!;
  }
  // Element at row-major index i of `shape` goes to its place in the stored order.
  const index = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) {
    let pos = 0;
    for (let d = 0; d < n; d++) pos += index[perm[d]!]! * storedStrides[d]!;
    stored[pos] = values[i]!;
    for (let d = n - 1; d >= 0; d--) {
      if (++index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  const inverse = new Array<number>(n);
  perm.forEach((p, i) => (inverse[p] = i));
  return fromArray(stored, storedShape, backend).permute(...inverse);
}
