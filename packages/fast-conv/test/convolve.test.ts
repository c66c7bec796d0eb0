/**
 * The dispatch of convolve.ts: which kernels each backend runs, and how
 * they treat values that are not finite. Every kernel set multiplies each
 * input value into exactly the outputs the definition says, so an Infinity
 * or NaN in the input (or the upstream gradient) gives the same non-finite
 * pattern everywhere. They differ in what "reading 0 past the edge" means
 * for a non-finite weight: the course's loops skip those taps, the
 * library's kernels multiply the weight by the zeros of a padded copy —
 * conv2d(pad(x, bottom/right k − 1), w, 'valid') as PyTorch computes it —
 * so 0 · Infinity gives NaN there.
 */
import { describe, expect, it } from "vitest";
import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, kernelFor, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { conv1d, conv2d } from "../src/index.js";

const backends: ReadonlyArray<readonly [string, TensorBackend]> = [
  ["course", CourseBackend],
  ["plain", PlainBackend],
  ["fast", FastBackend],
];

/** Output, input gradient and weight gradient of `conv` on `backend`, for an upstream gradient of ones. */
function passes(conv: (x: Tensor, w: Tensor) => Tensor, x: number[], xShape: number[], w: number[], wShape: number[], backend: TensorBackend): Float64Array[] {
  const input = fromArray(x, xShape, backend).requiresGrad_(true);
  const weight = fromArray(w, wShape, backend).requiresGrad_(true);
  const out = conv(input, weight);
  out.sum().backward();
  return [out.toFloat64Array(), input.grad!.toFloat64Array(), weight.grad!.toFloat64Array()];
}

/** Equal non-finite values where `want` has them, and finite ones within 1e-12 of its magnitude. */
function expectSamePattern(got: Float64Array, want: Float64Array): void {
  expect(got.length).toBe(want.length);
  const magnitude = want.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  for (let i = 0; i < want.length; i++) {
    const ok = Number.isFinite(want[i]!) ? Math.abs(got[i]! - want[i]!) <= 1e-12 * magnitude : Object.is(got[i], want[i]);
    if (!ok) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]}`);
  }
}

/** Values 1..n with some replaced, e.g. { 5: Infinity }. */
function valuesWith(n: number, replace: Record<number, number>): number[] {
  return Array.from({ length: n }, (_, i) => replace[i] ?? ((i % 7) - 3) / 4);
}

describe("convolve: non-finite values", () => {
  // 2 batches, 2 channels, 4×5: Infinity at the first column of a row (where the padded rows of the
  // SIMD kernels wrap), −Infinity in the last column, NaN inside.
  const x2 = valuesWith(80, { 5: Infinity, 19: -Infinity, 47: NaN, 60: Infinity });
  const w2 = valuesWith(2 * 2 * 3 * 2, {});
  const x1 = valuesWith(2 * 3 * 9, { 9: Infinity, 26: -Infinity, 40: NaN });
  const w1 = valuesWith(4 * 3 * 3, {});

  for (const [name, backend] of backends) {
    it(`[${name}] an Infinity or NaN in the input reaches exactly the outputs and gradients it reaches on SimpleBackend`, () => {
      const want2 = passes(conv2d, x2, [2, 2, 4, 5], w2, [2, 2, 3, 2], SimpleBackend);
      const got2 = passes(conv2d, x2, [2, 2, 4, 5], w2, [2, 2, 3, 2], backend);
      const want1 = passes(conv1d, x1, [2, 3, 9], w1, [4, 3, 3], SimpleBackend);
      const got1 = passes(conv1d, x1, [2, 3, 9], w1, [4, 3, 3], backend);
      // The output and the weight gradient read the input; the input gradient does not.
      for (const r of [want2, want1]) expect([0, 1, 2].map((i) => r[i]!.some((v) => !Number.isFinite(v)))).toEqual([true, false, true]);
      for (let i = 0; i < 3; i++) {
        expectSamePattern(got2[i]!, want2[i]!);
        expectSamePattern(got1[i]!, want1[i]!);
      }
    });
  }

  it("a weight of Infinity: course kernels skip the taps past the edge, the library's multiply them by the padded zeros (NaN there)", () => {
    // 1×1×1×3 input [1, 2, 3] ⋆ weight [1, ∞]: out[x] = in[x]·1 + in[x + 1]·∞, and in[3] is past the edge.
    const course = passes(conv2d, [1, 2, 3], [1, 1, 1, 3], [1, Infinity], [1, 1, 1, 2], CourseBackend)[0]!;
    expect(Array.from(course)).toEqual([Infinity, Infinity, 3]);
    expect(Array.from(passes(conv2d, [1, 2, 3], [1, 1, 1, 3], [1, Infinity], [1, 1, 1, 2], SimpleBackend)[0]!)).toEqual([Infinity, Infinity, 3]);
    for (const backend of [PlainBackend, FastBackend]) {
      expect(Array.from(passes(conv2d, [1, 2, 3], [1, 1, 1, 3], [1, Infinity], [1, 1, 1, 2], backend)[0]!)).toEqual([Infinity, Infinity, NaN]);
    }
  });
});

describe("convolve: kernels by backend", () => {
  it("SimpleBackend and CourseBackend get the course's kernels, PlainBackend and FastBackend their own", () => {
    for (const name of ["conv1d", "conv2d", "conv1dWeightGrad", "conv2dWeightGrad"] as const) {
      const anyBackend = kernelFor(name, { name: "a backend with no kernels of its own" });
      expect(kernelFor(name, SimpleBackend)).toBe(anyBackend);
      expect(kernelFor(name, CourseBackend)).toBe(anyBackend);
      expect(kernelFor(name, PlainBackend)).not.toBe(anyBackend);
      expect(kernelFor(name, FastBackend)).not.toBe(anyBackend);
      expect(kernelFor(name, FastBackend)).not.toBe(kernelFor(name, PlainBackend));
    }
  });
});
