import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CourseBackend, FastBackend, PlainBackend, poolStats } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, gradCheck, rand, tensor, zeros, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Conv2dFun, conv2d, conv2dKernel, convolve4, tensorConv2d } from "../src/index.js";
import {
  courseBackends,
  everyBackend,
  expectClose,
  expectSameConvolution,
  expectSameFloat32Convolution,
  libraryBackends,
  naiveConv2d,
  onWorkers,
  operand,
  tensorOf,
  type Operand,
} from "./helpers.js";

const naive = (input: Operand, weight: Operand, reverse = false): Float64Array =>
  naiveConv2d(input.values, input.shape, weight.values, weight.shape, reverse);

/**
 * tensorConv2d called directly, with minitorch's arguments, into a new
 * contiguous output; `ranges` splits the work units as threads would.
 */
function runTensorConv2d(input: Tensor, weight: Tensor, reverse: boolean, ranges: number[] = []): Tensor {
  const [b, , h, w] = input.shape as [number, number, number, number];
  const out = zeros([b, weight.shape[0]!, h, w], input.backend);
  const ints = (xs: readonly number[]): Int32Array => Int32Array.from(xs);
  const bounds = [0, ...ranges, out.size];
  for (let r = 0; r + 1 < bounds.length; r++) {
    tensorConv2d(
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

/** Random conv2d operands: batch 1–2, channels 1–3 in and 1–6 out, height and width 1–7, kernels up to the input's size. */
const operands = fc
  .record({
    b: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    o: fc.integer({ min: 1, max: 6 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    kh: fc.double({ min: 0, max: 1, noNaN: true }),
    kw: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .chain(({ b, c, o, h, w, kh, kw }) =>
    fc.tuple(operand([b, c, h, w]), operand([o, c, Math.min(h, 1 + Math.floor(kh * h)), Math.min(w, 1 + Math.floor(kw * w))])),
  );

/** 4 × 4 input whose every row is [0, 1, 2, 3]. */
const rows0123 = [
  [0, 1, 2, 3],
  [0, 1, 2, 3],
  [0, 1, 2, 3],
  [0, 1, 2, 3],
];

/** A 1×1 kernel, a kernel as large as the input, and 288 taps (8 channels × 6×6, past one KC block of the fast path), stored out of order. */
function largeCases(): Array<[Operand, Operand]> {
  const shapes: Array<[number[], number[]]> = [
    [[2, 3, 5, 4], [4, 3, 1, 1]],
    [[1, 2, 5, 4], [3, 2, 5, 4]],
    [[2, 8, 7, 9], [5, 8, 6, 6]],
  ];
  return shapes.map(([inputShape, weightShape]) => [
    { shape: inputShape, values: Array.from(rand(inputShape).toFloat64Array()), perm: [3, 1, 0, 2] },
    { shape: weightShape, values: Array.from(rand(weightShape).toFloat64Array()), perm: [1, 2, 3, 0] },
  ]);
}

/** The tests every backend must pass, through Conv2dFun. */
function conv2dTests(name: string, backend: TensorBackend): void {
  it(`[${name}] rows [0,1,2,3] ⋆ 2×2 ones = [[2,6,10,6]×3, [1,3,5,3]], with hand-computed gradients`, () => {
    const input = tensor(rows0123, { backend }).view(1, 1, 4, 4).requiresGrad_(true);
    const weight = tensor([[1, 1], [1, 1]], { backend }).view(1, 1, 2, 2).requiresGrad_(true);
    const out = Conv2dFun.apply(input, weight);
    expect(out.toArray()).toEqual([[[[2, 6, 10, 6], [2, 6, 10, 6], [2, 6, 10, 6], [1, 3, 5, 3]]]]);
    expect(out.backend).toBe(backend);
    out.sum().backward();
    // Input (y, x) is read by the outputs at (y − 1 or y, x − 1 or x) that exist.
    expect(input.grad!.toArray()).toEqual([[[[1, 2, 2, 2], [2, 4, 4, 4], [2, 4, 4, 4], [2, 4, 4, 4]]]]);
    // Weight (i, j) sees the input rows i.. and columns j.. once each.
    expect(weight.grad!.toArray()).toEqual([[[[24, 24], [18, 18]]]]);
    gradCheck(conv2d, tensor(rows0123, { backend }).view(1, 1, 4, 4), tensor([[1, 1], [1, 1]], { backend }).view(1, 1, 2, 2));
  });

  it(`[${name}] a 1×2 kernel [[1, 10]] reads right of each position`, () => {
    const input = fromArray([1, 2, 3, 4, 5, 6], [1, 1, 2, 3], backend);
    const weight = fromArray([1, 10], [1, 1, 1, 2], backend);
    expect(conv2d(input, weight).toArray()).toEqual([[[[21, 32, 3], [54, 65, 6]]]]);
  });

  it(`[${name}] conv2d equals the six-loop definition on random shapes with permuted input and weight`, () => {
    fc.assert(
      fc.property(operands, ([input, weight]) => {
        const out = conv2d(tensorOf(input, backend), tensorOf(weight, backend));
        expect(out.shape).toEqual([input.shape[0], weight.shape[0], input.shape[2], input.shape[3]]);
        expectClose(out.toFloat64Array(), naive(input, weight));
      }),
      { numRuns: 50 },
    );
  });

  it(`[${name}] 1×1 kernels, kernels as large as the input, and 288 taps (8 channels × 6×6, past one KC block) equal the definition`, () => {
    for (const [input, weight] of largeCases()) {
      expectClose(conv2d(tensorOf(input, backend), tensorOf(weight, backend)).toFloat64Array(), naive(input, weight));
    }
  });

  it(`[${name}] gradients of 1×1×6×6 ⋆ 1×1×2×4, 2×1×6×6 ⋆ 3×1×2×4 and 2×2×6×6 ⋆ 3×2×2×4 match central differences`, () => {
    const shapes: Array<[number[], number[], number]> = [
      [[1, 1, 6, 6], [1, 1, 2, 4], 10],
      [[2, 1, 6, 6], [3, 1, 2, 4], 5],
      [[2, 2, 6, 6], [3, 2, 2, 4], 5],
    ];
    for (const [inputShape, weightShape, numRuns] of shapes) {
      fc.assert(
        fc.property(operand(inputShape), operand(weightShape), (input, weight) => {
          gradCheck(conv2d, tensorOf(input, backend), tensorOf(weight, backend));
        }),
        { numRuns },
      );
    }
  });

  it(`[${name}] gradients on random shapes and layouts match central differences`, () => {
    fc.assert(
      fc.property(operands, ([input, weight]) => {
        gradCheck(conv2d, tensorOf(input, backend), tensorOf(weight, backend));
      }),
      { numRuns: 15 },
    );
  });
}

/** The argument checks of conv2d: given code, run before the student's kernel, so outside the task's tag. */
function conv2dBadInputTests(name: string, backend: TensorBackend): void {
  it(`[${name}] bad input: wrong ranks, channel mismatch, kernel larger than the input, zero sizes`, () => {
    const r = (shape: number[]): Tensor => rand(shape, backend);
    expect(() => conv2d(r([3, 28, 28]), r([1, 3, 2, 2]))).toThrow(
      /^conv2d: input must be 4-D \[batch, in_channels, height, width\], got shape \[3, 28, 28\]$/,
    );
    expect(() => conv2d(r([1, 3, 8, 8]), r([3, 2, 2]))).toThrow(
      /^conv2d: weight must be 4-D \[out_channels, in_channels, kernel_height, kernel_width\], got shape \[3, 2, 2\]$/,
    );
    expect(() => conv2d(r([1, 2, 6, 6]), r([4, 3, 2, 2]))).toThrow(
      /^conv2d: input has 2 channels but weight expects 3 \(input \[1, 2, 6, 6\], weight \[4, 3, 2, 2\]\)$/,
    );
    expect(() => conv2d(r([1, 2, 6, 6]), r([4, 2, 7, 2]))).toThrow(
      /^conv2d: kernel 7×2 is larger than the input 6×6 \(input \[1, 2, 6, 6\], weight \[4, 2, 7, 2\]\)$/,
    );
    expect(() => conv2d(r([1, 2, 6, 5]), r([4, 2, 2, 6]))).toThrow(/^conv2d: kernel 2×6 is larger than the input 6×5/);
    expect(() => conv2d(zeros([1, 0, 6, 6], backend), r([4, 0, 2, 2]))).toThrow(
      /^conv2d: every size but the batch must be at least 1, got input \[1, 0, 6, 6\], weight \[4, 0, 2, 2\]$/,
    );
    expect(() => conv2d(r([1, 2, 6, 6]), zeros([4, 2, 0, 2], backend))).toThrow(/^conv2d: every size but the batch must be at least 1, got input \[1, 2, 6, 6\], weight \[4, 2, 0, 2\]$/);
  });
}

/** Batch 8, 8 → 16 channels, 28×28, 3×3 on `backend`, against SimpleBackend, backward too. */
async function expectPoolRun(backend: TensorBackend): Promise<void> {
  const inputValues = rand([8, 8, 28, 28]).toFloat64Array();
  const weightValues = rand([16, 8, 3, 3]).toFloat64Array();
  const make = (on: TensorBackend) =>
    [fromArray(inputValues, [8, 8, 28, 28], on).requiresGrad_(true), fromArray(weightValues, [16, 8, 3, 3], on).requiresGrad_(true)] as const;
  const [fi, fw] = make(backend);
  const [si, sw] = make(SimpleBackend);
  const before = poolStats().parallelJobs;
  const out = await onWorkers(() => conv2d(fi, fw));
  expect(poolStats().parallelJobs).toBeGreaterThan(before);
  const expected = conv2d(si, sw);
  expect(out.shape).toEqual([8, 16, 28, 28]);
  expectClose(out.toFloat64Array(), expected.toFloat64Array());
  out.sum().backward();
  expected.sum().backward();
  expectClose(fi.grad!.toFloat64Array(), si.grad!.toFloat64Array());
  expectClose(fw.grad!.toFloat64Array(), sw.grad!.toFloat64Array());
}

/** The pool's result on a transposed (permuted) input, against the definition. */
async function expectPermutedPoolRun(backend: TensorBackend): Promise<void> {
  const input = { shape: [6, 4, 20, 24], values: Array.from(rand([6, 4, 20, 24]).toFloat64Array()), perm: [0, 3, 2, 1] };
  const weight = { shape: [8, 4, 3, 5], values: Array.from(rand([8, 4, 3, 5]).toFloat64Array()), perm: [3, 2, 1, 0] };
  const fi = tensorOf(input, backend);
  const fw = tensorOf(weight, backend);
  expect(fi.isContiguous()).toBe(false);
  const out = await onWorkers(() => conv2d(fi, fw));
  expectClose(out.toFloat64Array(), naive(input, weight));
}

describe("task4_2", () => {
  it("tensorConv2d rows [0,1,2,3] ⋆ 2×2 ones: anchored top-left [[2,6,10,6]×3, [1,3,5,3]], bottom-right (reverse) [[0,1,3,5], [0,2,6,10]×3]", () => {
    const input = tensor(rows0123).view(1, 1, 4, 4);
    const weight = tensor([[1, 1], [1, 1]]).view(1, 1, 2, 2);
    expect(runTensorConv2d(input, weight, false).toArray()).toEqual([[[[2, 6, 10, 6], [2, 6, 10, 6], [2, 6, 10, 6], [1, 3, 5, 3]]]]);
    expect(runTensorConv2d(input, weight, true).toArray()).toEqual([[[[0, 1, 3, 5], [0, 2, 6, 10], [0, 2, 6, 10], [0, 2, 6, 10]]]]);
  });

  it("tensorConv2d: a 1×2 kernel [[1, 10]] anchored bottom-right reads left of each position", () => {
    const input = fromArray([1, 2, 3, 4, 5, 6], [1, 1, 2, 3]);
    const weight = fromArray([1, 10], [1, 1, 1, 2]);
    expect(runTensorConv2d(input, weight, true).toArray()).toEqual([[[[1, 12, 23], [4, 45, 56]]]]);
  });

  it("tensorConv2d computes exactly the outputs in [start, end): split into ranges it gives the same result", () => {
    const input = fromArray(Array.from({ length: 2 * 2 * 3 * 3 }, (_, i) => i + 1), [2, 2, 3, 3]);
    const weight = fromArray([1, -1, 2, 0.5, 3, 1, -2, 4, 1, 1, 1, 1, 2, 2, 2, 2], [2, 2, 2, 2]);
    const out = zeros([2, 2, 3, 3]);
    const strides = Int32Array.of(18, 9, 3, 1);
    tensorConv2d(out.storage, Int32Array.of(2, 2, 3, 3), strides, 36, input.storage, Int32Array.of(2, 2, 3, 3), strides, weight.storage, Int32Array.of(2, 2, 2, 2), Int32Array.of(8, 4, 2, 1), 0, 10, 13);
    const written = Array.from(out.storage).map((v, i) => (v !== 0 ? i : -1)).filter((i) => i >= 0);
    expect(written).toEqual([10, 11, 12]);
    for (const reverse of [false, true]) {
      const whole = runTensorConv2d(input, weight, reverse).toFloat64Array();
      expect(runTensorConv2d(input, weight, reverse, [1, 9, 10, 30]).toFloat64Array()).toEqual(whole);
    }
  });

  it("tensorConv2d in both anchorings equals the definition on permuted operands, 1×1 kernels and kernels as large as the input included", () => {
    fc.assert(
      fc.property(operands, fc.boolean(), ([input, weight], reverse) => {
        expectClose(runTensorConv2d(tensorOf(input, SimpleBackend), tensorOf(weight, SimpleBackend), reverse).toFloat64Array(), naive(input, weight, reverse));
      }),
      { numRuns: 40 },
    );
    for (const [input, weight] of largeCases()) {
      expectClose(runTensorConv2d(tensorOf(input, SimpleBackend), tensorOf(weight, SimpleBackend), true).toFloat64Array(), naive(input, weight, true));
    }
  });

  for (const [name, backend] of courseBackends) conv2dTests(name, backend);

  it("[course] batch 8, 8 → 16 channels, 28×28, 3×3 runs on the workers and equals SimpleBackend, backward too", async () => {
    await expectPoolRun(CourseBackend);
  });

  it("[course] the pool's result on a transposed (permuted) input equals the definition", async () => {
    await expectPermutedPoolRun(CourseBackend);
  });

  for (const [name, backend] of [["course", CourseBackend] as const, ...libraryBackends]) {
    it(`[${name}] agrees with SimpleBackend to 1e-10 of the magnitude: forward, input and weight gradients, any layout`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => expectSameConvolution(conv2d, input, weight, backend)),
        { numRuns: 25 },
      );
      for (const [input, weight] of largeCases()) expectSameConvolution(conv2d, input, weight, backend);
    });
  }
});

// Given code: the argument checks and where the kernel comes from pass whatever the student wrote.
describe("conv2d given code", () => {
  it("tensorConv2d names the shapes that do not fit", () => {
    const out = zeros([1, 2, 2, 2]);
    const s = Int32Array.of(8, 4, 2, 1);
    expect(() =>
      tensorConv2d(out.storage, Int32Array.of(1, 2, 2, 2), s, 8, new Float64Array(8), Int32Array.of(1, 2, 2, 2), s, new Float64Array(8), Int32Array.of(1, 2, 2, 2), s, 0, 0, 8),
    ).toThrow(/^tensorConv2d: shapes do not fit: out \[1, 2, 2, 2\] \(size 8\), input \[1, 2, 2, 2\], weight \[1, 2, 2, 2\]$/);
  });

  it("conv2d on SimpleBackend and CourseBackend runs tensorConv2d, which the workers load from conv2d itself (here the source under test)", () => {
    expect(conv2dKernel.fn).toBe(tensorConv2d);
    expect(conv2dKernel.module).toMatch(/\/fast-conv\/src\/conv2d\.ts$/);
  });

  for (const [name, backend] of courseBackends) conv2dBadInputTests(name, backend);
});

for (const [name, backend] of libraryBackends) {
  describe(`conv2d library kernels (${name})`, () => {
    conv2dTests(name, backend);
    conv2dBadInputTests(name, backend);

    it(`[${name}] batch 8, 8 → 16 channels, 28×28, 3×3 runs on the workers and equals SimpleBackend, backward too`, async () => {
      await expectPoolRun(backend);
    });

    it(`[${name}] the pool's result on a transposed (permuted) input equals the definition`, async () => {
      await expectPermutedPoolRun(backend);
    });
  });
}

describe("conv2d implicit GEMM (PlainBackend)", () => {
  it("[plain] convolve4 anchored bottom-right equals the definition, 288 taps crossing the KC block included", () => {
    for (const [input, weight] of largeCases()) {
      const [x, w] = [tensorOf(input, PlainBackend), tensorOf(weight, PlainBackend)];
      const [b, c, h, wd] = input.shape as [number, number, number, number];
      const [o, , kh, kw] = weight.shape as [number, number, number, number];
      const out = zeros([b, o, h, wd], PlainBackend);
      const as4 = (t: Tensor) => ({ storage: t.storage, strides: t.strides as [number, number, number, number] });
      const g = { batch: b, inChannels: c, height: h, width: wd, outChannels: o, kh, kw, outHeight: h, outWidth: wd };
      convolve4(as4(out), as4(x), as4(w), g, true, (kernel, args, work) => kernel.fn(...args, 0, work));
      expectClose(out.toFloat64Array(), naive(input, weight, true));
    }
  });
});

describe("conv2d in float32", () => {
  for (const [name, backend] of everyBackend) {
    it(`[${name}] [[1,2],[3,4]] ⋆ [[1,0],[0,1]] = [[5,2],[3,4]] in float32`, () => {
      const on = { backend, dtype: "float32" } as const;
      const out = conv2d(tensor([[[[1, 2], [3, 4]]]], on), tensor([[[[1, 0], [0, 1]]]], on));
      expect(out.dtype).toBe("float32");
      expect(out.storage).toBeInstanceOf(Float32Array);
      expect(out.toArray()).toEqual([[[[5, 2], [3, 4]]]]);
    });

    it(`[${name}] agrees with float64 SimpleBackend to 1e-5 of the magnitude: forward, input and weight gradients, any layout`, () => {
      fc.assert(
        fc.property(operands, ([input, weight]) => expectSameFloat32Convolution(conv2d, input, weight, backend)),
        { numRuns: 15 },
      );
      for (const [input, weight] of largeCases()) expectSameFloat32Convolution(conv2d, input, weight, backend);
    });

    it(`[${name}] gradCheck in float32: inputs on a grid of 1/16, step 1/128`, () => {
      const grid = (n: number, k: number): number[] => Array.from({ length: n }, (_, i) => (((i * k) % 31) - 15) / 16);
      const x = fromArray(grid(2 * 2 * 5 * 4, 5), [2, 2, 5, 4], { backend, dtype: "float32" });
      const w = fromArray(grid(3 * 2 * 2 * 3, 7), [3, 2, 2, 3], { backend, dtype: "float32" });
      gradCheck(conv2d, x, w, { epsilon: 1 / 128, perOutput: true });
    });
  }

  it("[fast] LeNet's second layer in float32 (batch 8, 8 → 16 channels, 28×28, 3×3: split across the pool) agrees with float64", () => {
    const input = { shape: [8, 8, 28, 28], values: Array.from({ length: 8 * 8 * 28 * 28 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] };
    const weight = { shape: [16, 8, 3, 3], values: Array.from({ length: 16 * 8 * 9 }, (_, i) => Math.cos(i)), perm: [0, 1, 2, 3] };
    expectSameFloat32Convolution(conv2d, input, weight, FastBackend);
  });
});
