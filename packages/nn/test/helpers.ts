/**
 * Shared arbitraries and checks for the nn tests.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { evenFloats as floatsIn } from "../../tensor-core/test/layout.js";

export { evenFloats as floatsIn, floatArray } from "../../tensor-core/test/layout.js";

/** Every backend the nn functions must agree on: the reference, and the pool with each kernel set. */
export const backends: ReadonlyArray<readonly [string, TensorBackend]> = [
  ["SimpleBackend", SimpleBackend],
  ["CourseBackend", CourseBackend],
  ["PlainBackend", PlainBackend],
  ["FastBackend", FastBackend],
];

/**
 * Checks that `got` equals `want` (the reference backend's result) to
 * `relative` of its magnitude: |got − want| ≤ relative · max |want| for
 * every element, NaN only where `want` has NaN.
 */
export function expectAgree(got: ArrayLike<number>, want: ArrayLike<number>, relative = 1e-10): void {
  expect(got.length).toBe(want.length);
  let magnitude = 0;
  for (let i = 0; i < want.length; i++) if (Number.isFinite(want[i]!)) magnitude = Math.max(magnitude, Math.abs(want[i]!));
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const g = got[i]!;
    const w = want[i]!;
    const same = Number.isFinite(w) ? Math.abs(g - w) <= relative * magnitude : Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w));
    if (!same) bad.push(`[${i}] got ${g}, want ${w} (magnitude ${magnitude})`);
  }
  expect(bad).toEqual([]);
}

/**
 * `n` distinct values in a random order, consecutive ones `gap` apart around
 * a random offset: inputs without ties, whose order a central difference
 * (ε = 1e-6) cannot change.
 */
export function distinctValues(n: number, gap = 0.5): fc.Arbitrary<number[]> {
  const order = Array.from({ length: n }, (_, i) => i);
  return fc
    .tuple(fc.shuffledSubarray(order, { minLength: n, maxLength: n }), floatsIn(-5, 5))
    .map(([perm, offset]) => perm.map((i) => offset + gap * (i - n / 2)));
}

/**
 * A tensor of `shape` holding `values` in row-major order; with `transposed`
 * it is a non-contiguous view (stored with its last two dimensions swapped,
 * then permuted back), as minitorch's tensor strategies make.
 */
export function tensorOf(values: readonly number[], shape: readonly number[], backend: TensorBackend = SimpleBackend, transposed = false): Tensor {
  if (!transposed || shape.length < 2) return fromArray(values, shape, backend);
  const n = shape.length;
  const swapped = [...shape.slice(0, n - 2), shape[n - 1]!, shape[n - 2]!];
  const rows = shape[n - 2]!;
  const cols = shape[n - 1]!;
  const stored = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const base = i - (i % (rows * cols));
    const r = Math.floor((i % (rows * cols)) / cols);
    const c = i % cols;
    stored[base + c * rows + r] = values[i]!;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order[n - 2] = n - 1;
  order[n - 1] = n - 2;
  return fromArray(stored, swapped, backend).permute(...order);
}

/** Row-major index tuples of `shape`. */
export function* indicesOf(shape: readonly number[]): Generator<number[]> {
  const size = shape.reduce((a, b) => a * b, 1);
  for (let flat = 0; flat < size; flat++) {
    const index = new Array<number>(shape.length);
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    yield index;
  }
}

/**
 * Expects `got` and `want` to agree elementwise within
 * tolerance · (1 + |want|), listing the first mismatches on failure.
 */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tolerance = 1e-9): void {
  expect(got.length).toBe(want.length);
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const g = got[i]!;
    const w = want[i]!;
    if (!(Math.abs(g - w) <= tolerance * (1 + Math.abs(w)))) bad.push(`[${i}] got ${g}, want ${w}`);
  }
  expect(bad).toEqual([]);
}

/**
 * Checks `fn` on float32 tensors of `backend` against the same `fn` on
 * float64 tensors of the same (float32-rounded) values: the output and
 * every input's gradient (of an uneven weighted sum of the output) agree to
 * `relative` of their magnitude, and all of them are float32. float32
 * rounds once per op, so `relative` states how far those roundings may
 * carry; ties (max, argmax) are avoided by the caller's values.
 */
export function expectFloat32Agrees(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: ReadonlyArray<{ values: readonly number[]; shape: readonly number[] }>,
  backend: TensorBackend,
  relative = 1e-5,
): void {
  const run = (dtype: "float64" | "float32"): Float64Array[] => {
    const xs = inputs.map(({ values, shape }) => fromArray(values.map(Math.fround), shape, { backend, dtype }).requiresGrad_(true));
    const out = fn(...xs);
    expect(out.dtype).toBe(dtype);
    const weights = fromArray(
      Array.from({ length: out.size }, (_, i) => Math.fround(Math.sin(1 + 0.7 * i))),
      out.shape,
      { backend, dtype },
    );
    out.mul(weights).sum().backward();
    for (const x of xs) expect(x.grad!.dtype).toBe(dtype);
    return [out.toFloat64Array(), ...xs.map((x) => x.grad!.toFloat64Array())];
  };
  const [want, got] = [run("float64"), run("float32")];
  for (let i = 0; i < want.length; i++) expectAgree(got[i]!, want[i]!, relative);
}
