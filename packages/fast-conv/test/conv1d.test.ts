import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CourseBackend, PlainBackend, poolStats } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, registeredBackends, gradCheck, rand, tensor, zeros, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Conv1dFun, conv1d, conv1dKernel, convolve4, tensorConv1d } from "../src/index.js";
import {
  courseBackends,
  everyBackend,
  expectClose,
  expectSameConvolution,
  expectSameFloat32Convolution,
  floatArray,
  libraryBackends,
  naiveConv2d,
  onWorkers,
  operand,
  tensorOf,
  type Operand,
} from "./helpers.js";

/** conv1d by its definition: the 2-D one with height 1. */
function naiveConv1d(input: Operand, weight: Operand, reverse = false): Float64Array {
  const [b, c, w] = input.shape as [number, number, number];
  const [o, , k] = weight.shape as [number, number, number];
  return naiveConv2d(input.values, [b, c, 1, w], weight.values, [o, c, 1, k], reverse);
}

/**
 * tensorConv1d called directly, with minitorch's arguments, into a new
 * contiguous output; `ranges` splits the work units as threads would.
 */
function runTensorConv1d(input: Tensor, weight: Tensor, reverse: boolean, ranges: number[] = []): Tensor {
  const out = zeros([input.shape[0]!, weight.shape[0]!, input.shape[2]!], input.backend);
  const ints = (xs: readonly number[]): Int32Array => Int32Array.from(xs);
  const bounds = [0, ...ranges, out.size];
  for (let r = 0; r + 1 < bounds.length; r++) {
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
      reverse ? 1 : 0,
      bounds[r]!,
      bounds[r + 1]!,
    );
  }
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

/** 300 taps (20 channels × width 15), stored out of order: past one KC block of the fast path. */
const wideInput = (): Operand => ({ shape: [2, 20, 24], values: Array.from(rand([2, 20, 24]).toFloat64Array()), perm: [0, 2, 1] });
const wideWeight = (): Operand => ({ shape: [5, 20, 15], values: Array.from(rand([5, 20, 15]).toFloat64Array()), perm: [2, 1, 0] });

/** The tests every backend must pass, through Conv1dFun. */
function conv1dTests(name: string, backend: TensorBackend): void {
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

  it(`[${name}] 300 taps (20 channels × width 15) equal the definition`, () => {
    const [input, weight] = [wideInput(), wideWeight()];
    expectClose(conv1d(tensorOf(input, backend), tensorOf(weight, backend)).toFloat64Array(), naiveConv1d(input, weight));
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
}

/** The argument checks of conv1d: given code, run before the student's kernel, so outside the task's tag. */
function conv1dBadInputTests(name: string, backend: TensorBackend): void {
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

/** A conv1d big enough for the pool (batch 8, 16 → 32 channels, width 200, kernel 5) on `backend`, against SimpleBackend. */
async function expectPoolRun(backend: TensorBackend): Promise<void> {
  const inputValues = rand([8, 16, 200]).toFloat64Array();
  const weightValues = rand([32, 16, 5]).toFloat64Array();
  const make = (on: TensorBackend) =>
    [fromArray(inputValues, [8, 16, 200], on).requiresGrad_(true), fromArray(weightValues, [32, 16, 5], on).requiresGrad_(true)] as const;
  const [fi, fw] = make(backend);
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
}

describe("task4_1", () => {
  it("tensorConv1d [0,1,2,3] ⋆ [1,2,3]: anchored left [8, 14, 8, 3], reverse (anchored right) [0, 1, 4, 10]", () => {
    const input = fromArray([0, 1, 2, 3], [1, 1, 4]);
    const weight = fromArray([1, 2, 3], [1, 1, 3]);
    expect(runTensorConv1d(input, weight, false).toArray()).toEqual([[[8, 14, 8, 3]]]);
    expect(runTensorConv1d(input, weight, true).toArray()).toEqual([[[0, 1, 4, 10]]]);
  });

  it("tensorConv1d computes exactly the outputs in [start, end): split into ranges it gives the same result", () => {
    const input = fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 2, 3]);
    const weight = fromArray([1, -1, 2, 0.5, 3, 1, -2, 4], [2, 2, 2]);
    const out = zeros([2, 2, 3]);
    tensorConv1d(out.storage, Int32Array.of(2, 2, 3), Int32Array.of(6, 3, 1), 12, input.storage, Int32Array.of(2, 2, 3), Int32Array.of(6, 3, 1), weight.storage, Int32Array.of(2, 2, 2), Int32Array.of(4, 2, 1), 0, 4, 7);
    const written = Array.from(out.storage).map((v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0);
    expect(written).toEqual([4, 5, 6]);
    for (const reverse of [false, true]) {
      const whole = runTensorConv1d(input, weight, reverse).toFloat64Array();
      expect(runTensorConv1d(input, weight, reverse, [1, 5, 6, 11]).toFloat64Array()).toEqual(whole);
    }
  });

  it("tensorConv1d in both anchorings equals the definition on permuted operands", () => {
    fc.assert(
      fc.property(operands, fc.boolean(), ([input, weight], reverse) => {
        const out = runTensorConv1d(tensorOf(input, SimpleBackend), tensorOf(weight, SimpleBackend), reverse);
        expectClose(out.toFloat64Array(), naiveConv1d(input, weight, reverse));
      }),
      { numRuns: 40 },
    );
  });

  for (const [name, backend] of courseBackends) conv1dTests(name, backend);

  it("[course] a conv1d big enough for the pool runs on the workers and equals SimpleBackend, backward too", async () => {
    await expectPoolRun(CourseBackend);
  });

  for (const [name, backend] of [["course", CourseBackend] as const, ...libraryBackends]) {
    it(`[${name}] agrees with SimpleBackend to 1e-10 of the magnitude: forward, input and weight gradients, any layout`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => expectSameConvolution(conv1d, input, weight, backend)),
        { numRuns: 30 },
      );
      expectSameConvolution(conv1d, wideInput(), wideWeight(), backend);
    });
  }
});

// Given code: the argument checks and where the kernel comes from pass whatever the student wrote.
describe("conv1d given code", () => {
  it("tensorConv1d names the shapes that do not fit", () => {
    const out = zeros([1, 2, 4]);
    expect(() =>
      tensorConv1d(out.storage, Int32Array.of(1, 2, 4), Int32Array.of(8, 4, 1), 8, new Float64Array(4), Int32Array.of(1, 1, 4), Int32Array.of(4, 4, 1), new Float64Array(3), Int32Array.of(2, 2, 3), Int32Array.of(6, 3, 1), 0, 0, 8),
    ).toThrow(/^tensorConv1d: shapes do not fit: out \[1, 2, 4\] \(size 8\), input \[1, 1, 4\], weight \[2, 2, 3\]$/);
  });

  it("conv1d on SimpleBackend and CourseBackend runs tensorConv1d, which the workers load from conv1d itself (here the source under test)", () => {
    expect(conv1dKernel.fn).toBe(tensorConv1d);
    expect(conv1dKernel.module).toMatch(/\/fast-conv\/src\/conv1d\.ts$/);
    // The course's kernel is the "*" entry: SimpleBackend and CourseBackend register none of their own.
    expect(registeredBackends("conv1d")).toContain("*");
    expect(registeredBackends("conv1d")).not.toContain(SimpleBackend.name);
    expect(registeredBackends("conv1d")).not.toContain(CourseBackend.name);
  });

  for (const [name, backend] of courseBackends) conv1dBadInputTests(name, backend);
});

for (const [name, backend] of libraryBackends) {
  describe(`conv1d library kernels (${name})`, () => {
    conv1dTests(name, backend);
    conv1dBadInputTests(name, backend);

    it(`[${name}] a conv1d big enough for the pool runs on the workers and equals SimpleBackend, backward too`, async () => {
      await expectPoolRun(backend);
    });
  });
}

describe("conv1d implicit GEMM (PlainBackend)", () => {
  it("[plain] convolve4 in both anchorings, 300 taps crossing the KC block, equals the definition", () => {
    const [input, weight] = [wideInput(), wideWeight()];
    const [x, w] = [tensorOf(input, PlainBackend), tensorOf(weight, PlainBackend)];
    for (const reverse of [false, true]) {
      const out = zeros([2, 5, 24], PlainBackend);
      const as4 = (t: Tensor) => ({ storage: t.storage, strides: [t.strides[0]!, t.strides[1]!, 0, t.strides[2]!] as const });
      const g = { batch: 2, inChannels: 20, height: 1, width: 24, outChannels: 5, kh: 1, kw: 15, outHeight: 1, outWidth: 24 };
      convolve4(as4(out), as4(x), as4(w), g, reverse, (kernel, args, work) => kernel.fn(...args, 0, work));
      expectClose(out.toFloat64Array(), naiveConv1d(input, weight, reverse), 1e-12);
    }
  });
});

describe("conv1d in float32", () => {
  for (const [name, backend] of everyBackend) {
    it(`[${name}] [[1,2,3]] ⋆ [[1,1]] = [[3,5,3]] in float32, and the kernel registered for float32 runs`, () => {
      const out = conv1d(tensor([[[1, 2, 3]]], { backend, dtype: "float32" }), tensor([[[1, 1]]], { backend, dtype: "float32" }));
      expect(out.dtype).toBe("float32");
      expect(out.storage).toBeInstanceOf(Float32Array);
      expect(out.toArray()).toEqual([[[3, 5, 3]]]);
    });

    it(`[${name}] agrees with float64 SimpleBackend to 1e-5 of the magnitude: forward, input and weight gradients, any layout`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => expectSameFloat32Convolution(conv1d, input, weight, backend)),
        { numRuns: 15 },
      );
      expectSameFloat32Convolution(conv1d, wideInput(), wideWeight(), backend);
    });

    it(`[${name}] gradCheck in float32: inputs on a grid of 1/16, step 1/128`, () => {
      const grid = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => (((i * k) % 31) - 15) / 16);
      const x = fromArray(grid(2 * 3 * 7, 5), [2, 3, 7], { backend, dtype: "float32" });
      const w = fromArray(grid(4 * 3 * 3, 7), [4, 3, 3], { backend, dtype: "float32" });
      gradCheck(conv1d, x, w, { epsilon: 1 / 128, perOutput: true });
    });
  }

  it("mixing a float32 input with a float64 weight is an error naming the op and both dtypes", () => {
    expect(() => conv1d(rand([1, 1, 4], { dtype: "float32" }), rand([1, 1, 2]))).toThrow(
      'Conv1dFun: tensors have different dtypes (float32 and float64); convert one with t.to("float32") or t.to("float64")',
    );
  });
});
