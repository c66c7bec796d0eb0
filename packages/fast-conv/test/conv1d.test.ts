import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FastBackend, poolStats } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, gradCheck, rand, tensor, zeros, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Conv1dFun, conv1d, tensorConv1d } from "../src/index.js";
import { backends, expectClose, floatArray, naiveConv2d, onWorkers, operand, tensorOf, type Operand } from "./helpers.js";

/** conv1d by its definition: the 2-D one with height 1. */
function naiveConv1d(input: Operand, weight: Operand, reverse = false): Float64Array {
  const [b, c, w] = input.shape as [number, number, number];
  const [o, , k] = weight.shape as [number, number, number];
  return naiveConv2d(input.values, [b, c, 1, w], weight.values, [o, c, 1, k], reverse);
}

/** tensorConv1d called directly, with minitorch's arguments, into a new contiguous output. */
function runTensorConv1d(input: Tensor, weight: Tensor, reverse: boolean): Tensor {
  const out = zeros([input.shape[0]!, weight.shape[0]!, input.shape[2]!], input.backend);
  const ints = (xs: readonly number[]): Int32Array => Int32Array.from(xs);
  tensorConv1d(
    out.storage,
    ints(out.shape),
    ints(out.strides),
    out.size,
    input.storage,
    ints(input.shape),
    ints(input.strides),
    weight.storage,
    ints(weight.shape),
    ints(weight.strides),
    reverse,
  );
  return out;
}

/** Random conv1d operands: batch 1–3, channels 1–4 in and 1–6 out, width 1–9, kernel width 1..width. */
const operands = fc
  .record({
    b: fc.integer({ min: 1, max: 3 }),
    c: fc.integer({ min: 1, max: 4 }),
    o: fc.integer({ min: 1, max: 6 }),
    w: fc.integer({ min: 1, max: 9 }),
    kFraction: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .chain(({ b, c, o, w, kFraction }) => {
    const k = Math.min(w, 1 + Math.floor(kFraction * w));
    return fc.tuple(operand([b, c, w]), operand([o, c, k]));
  });

/** Operands whose kernel width is 1 or the full input width. */
const edgeWidths = fc
  .record({ b: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), o: fc.integer({ min: 1, max: 5 }), w: fc.integer({ min: 1, max: 8 }), full: fc.boolean() })
  .chain(({ b, c, o, w, full }) => fc.tuple(operand([b, c, w]), operand([o, c, full ? w : 1])));

describe("task4_1", () => {
  for (const [name, backend] of backends) {
    const t = (data: number[], shape: number[]): Tensor => fromArray(data, shape, backend);

    it(`[${name}] conv1d [0,1,2,3] ⋆ [1,2,3] = [8, 14, 8, 3]; d/d input = [1, 3, 6, 6], d/d weight = [6, 6, 5]`, () => {
      const input = tensor([0, 1, 2, 3], { backend }).view(1, 1, 4).requiresGrad_(true);
      const weight = tensor([[1, 2, 3]], { backend }).view(1, 1, 3).requiresGrad_(true);
      const out = Conv1dFun.apply(input, weight);
      expect(out.toArray()).toEqual([[[8, 14, 8, 3]]]);
      expect(out.backend).toBe(backend);
      out.sum().backward();
      expect(input.grad!.toArray()).toEqual([[[1, 3, 6, 6]]]);
      expect(weight.grad!.toArray()).toEqual([[[6, 6, 5]]]);
    });

    it(`[${name}] tensorConv1d [0,1,2,3] ⋆ [1,2,3]: anchored left [8, 14, 8, 3], reverse (anchored right) [0, 1, 4, 10]`, () => {
      const input = t([0, 1, 2, 3], [1, 1, 4]);
      const weight = t([1, 2, 3], [1, 1, 3]);
      expect(runTensorConv1d(input, weight, false).toArray()).toEqual([[[8, 14, 8, 3]]]);
      expect(runTensorConv1d(input, weight, true).toArray()).toEqual([[[0, 1, 4, 10]]]);
    });

    it(`[${name}] two channels in, two out: [[1,2,3],[4,5,6]] ⋆ weights [[[1],[0]],[[1],[1]]] = [[1,2,3],[5,7,9]]`, () => {
      const out = conv1d(t([1, 2, 3, 4, 5, 6], [1, 2, 3]), t([1, 0, 1, 1], [2, 2, 1]));
      expect(out.toArray()).toEqual([[[1, 2, 3], [5, 7, 9]]]);
    });

    it(`[${name}] conv1d equals the definition on random shapes with permuted input and weight`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => {
          const out = conv1d(tensorOf(input, backend), tensorOf(weight, backend));
          expect(out.shape).toEqual([input.shape[0], weight.shape[0], input.shape[2]]);
          expectClose(out.toFloat64Array(), naiveConv1d(input, weight));
        }),
        { numRuns: 50 },
      );
    });

    it(`[${name}] kernel width 1 and kernel width equal to the input width equal the definition`, () => {
      fc.assert(
        fc.property(edgeWidths, ([input, weight]) => {
          expectClose(conv1d(tensorOf(input, backend), tensorOf(weight, backend)).toFloat64Array(), naiveConv1d(input, weight));
        }),
        { numRuns: 30 },
      );
    });

    it(`[${name}] tensorConv1d in both anchorings equals the definition on permuted operands`, () => {
      fc.assert(
        fc.property(operands, fc.boolean(), ([input, weight], reverse) => {
          const out = runTensorConv1d(tensorOf(input, backend), tensorOf(weight, backend), reverse);
          expectClose(out.toFloat64Array(), naiveConv1d(input, weight, reverse));
        }),
        { numRuns: 40 },
      );
    });

    it(`[${name}] 300 taps (20 channels × width 15) cross the KC block and equal the definition`, () => {
      const input = { shape: [2, 20, 24], values: Array.from(rand([2, 20, 24]).toFloat64Array()), perm: [0, 2, 1] };
      const weight = { shape: [5, 20, 15], values: Array.from(rand([5, 20, 15]).toFloat64Array()), perm: [2, 1, 0] };
      for (const reverse of [false, true]) {
        const out = runTensorConv1d(tensorOf(input, backend), tensorOf(weight, backend), reverse);
        expectClose(out.toFloat64Array(), naiveConv1d(input, weight, reverse), 1e-12);
      }
    });

    it(`[${name}] gradients of 1×1×6 ⋆ 1×1×4 and 2×2×6 ⋆ 3×2×2 match central differences`, () => {
      fc.assert(
        fc.property(floatArray(6), floatArray(4), (input, weight) => {
          gradCheck(conv1d, t(input, [1, 1, 6]), t(weight, [1, 1, 4]));
        }),
        { numRuns: 20 },
      );
      fc.assert(
        fc.property(operand([2, 2, 6]), operand([3, 2, 2]), (input, weight) => {
          gradCheck(conv1d, tensorOf(input, backend), tensorOf(weight, backend));
        }),
        { numRuns: 20 },
      );
    });

    it(`[${name}] gradients on random shapes and layouts match central differences`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => {
          gradCheck(conv1d, tensorOf(input, backend), tensorOf(weight, backend));
        }),
        { numRuns: 20 },
      );
    });

    it(`[${name}] bad input: wrong ranks, channel mismatch, kernel wider than the input, zero sizes`, () => {
      const r = (shape: number[]): Tensor => rand(shape, backend);
      expect(() => conv1d(r([4, 6]), r([1, 4, 2]))).toThrow(/^conv1d: input must be 3-D \[batch, in_channels, width\], got shape \[4, 6\]$/);
      expect(() => conv1d(r([1, 1, 4, 6]), r([1, 1, 2]))).toThrow(/^conv1d: input must be 3-D .*got shape \[1, 1, 4, 6\]$/);
      expect(() => conv1d(r([1, 2, 6]), r([2, 2]))).toThrow(
        /^conv1d: weight must be 3-D \[out_channels, in_channels, kernel_width\], got shape \[2, 2\]$/,
      );
      expect(() => conv1d(r([1, 2, 6]), r([1, 3, 2]))).toThrow(
        /^conv1d: input has 2 channels but weight expects 3 \(input \[1, 2, 6\], weight \[1, 3, 2\]\)$/,
      );
      expect(() => conv1d(r([1, 2, 6]), r([1, 2, 7]))).toThrow(
        /^conv1d: kernel width 7 is wider than the input width 6 \(input \[1, 2, 6\], weight \[1, 2, 7\]\)$/,
      );
      expect(() => conv1d(zeros([1, 1, 0], backend), r([1, 1, 1]))).toThrow(
        /^conv1d: every size but the batch must be at least 1, got input \[1, 1, 0\], weight \[1, 1, 1\]$/,
      );
      expect(() => conv1d(r([1, 2, 6]), zeros([0, 2, 2], backend))).toThrow(
        /^conv1d: every size but the batch must be at least 1, got input \[1, 2, 6\], weight \[0, 2, 2\]$/,
      );
    });
  }

  it("[fast] a conv1d big enough for the pool (batch 8, 16 → 32 channels, width 200, kernel 5) runs on the workers and equals SimpleBackend, backward too", async () => {
    const inputValues = rand([8, 16, 200]).toFloat64Array();
    const weightValues = rand([32, 16, 5]).toFloat64Array();
    const make = (backend: TensorBackend) =>
      [fromArray(inputValues, [8, 16, 200], backend).requiresGrad_(true), fromArray(weightValues, [32, 16, 5], backend).requiresGrad_(true)] as const;
    const [fi, fw] = make(FastBackend);
    const [si, sw] = make(SimpleBackend);
    const before = poolStats().parallelJobs;
    const out = await onWorkers(() => conv1d(fi, fw));
    expect(poolStats().parallelJobs).toBeGreaterThan(before);
    const expected = conv1d(si, sw);
    expectClose(out.toFloat64Array(), expected.toFloat64Array());
    out.sum().backward();
    expected.sum().backward();
    expectClose(fi.grad!.toFloat64Array(), si.grad!.toFloat64Array());
    expectClose(fw.grad!.toFloat64Array(), sw.grad!.toFloat64Array());
  });
});
