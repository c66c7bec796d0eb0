/**
 * Task 4.4b: conv1d and conv2d on the GPU — forward by hand and against
 * the definition, the reverse anchoring the backward pass uses, and both
 * gradients against SimpleBackend, through fast-conv's Conv1dFun and
 * Conv2dFun (GpuOps provides their kernels).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimpleBackend, emptyTensor, fromArray, gradCheck, kernelFor, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { GpuBackend, conv1dShader, conv2dShader, gpu } from "../src/index.js";
import { naiveConv2d, operand, tensorOf, type Operand } from "../../fast-conv/test/helpers.js";
import { describeGpu, float32 } from "./helpers.js";
import { expectAgree } from "./agree.js";

const runs = { numRuns: 15 };

/** Values on a grid of 1/8, so float32 sums of their products are exact. */
const onGrid = (x: Operand): Operand => ({ ...x, values: x.values.map((v) => Math.round(v * 8) / 8) });

const conv1dOperands = fc
  .record({ b: fc.integer({ min: 1, max: 3 }), c: fc.integer({ min: 1, max: 3 }), o: fc.integer({ min: 1, max: 4 }), w: fc.integer({ min: 1, max: 9 }), k: fc.double({ min: 0, max: 1, noNaN: true }) })
  .chain(({ b, c, o, w, k }) => fc.tuple(operand([b, c, w]).map(onGrid), operand([o, c, Math.min(w, 1 + Math.floor(k * w))]).map(onGrid), fc.boolean()));

const conv2dOperands = fc
  .record({
    b: fc.integer({ min: 1, max: 2 }),
    c: fc.integer({ min: 1, max: 3 }),
    o: fc.integer({ min: 1, max: 4 }),
    h: fc.integer({ min: 1, max: 7 }),
    w: fc.integer({ min: 1, max: 7 }),
    kh: fc.double({ min: 0, max: 1, noNaN: true }),
    kw: fc.double({ min: 0, max: 1, noNaN: true }),
  })
  .chain(({ b, c, o, h, w, kh, kw }) =>
    fc.tuple(
      operand([b, c, h, w]).map(onGrid),
      operand([o, c, Math.min(h, 1 + Math.floor(kh * h)), Math.min(w, 1 + Math.floor(kw * w))]).map(onGrid),
      fc.boolean(),
    ),
  );

/** conv1d as conv2d of height 1. */
const as2d = (x: Operand): { values: number[]; shape: number[] } => ({ values: x.values, shape: [x.shape[0]!, x.shape[1]!, 1, x.shape[2]!] });

/** Gradients of sum(conv(input, weight) · mask) on `backend`. */
function convGrads(conv: (x: Tensor, w: Tensor) => Tensor, input: Operand, weight: Operand, backend: TensorBackend): [Tensor, Tensor] {
  const x = tensorOf(input, backend).requiresGrad_(true);
  const w = tensorOf(weight, backend).requiresGrad_(true);
  const out = conv(x, w);
  const mask = fromArray(
    Array.from({ length: out.size }, (_, i) => (i % 5) - 2),
    out.shape,
    backend,
  );
  out.mul(mask).sum().backward();
  return [x.grad!, w.grad!];
}

describe("task4_4b", () => {
  it("the kernels read strided operands and anchor the weight by reverse()", () => {
    for (const source of [conv1dShader(), conv2dShader()]) {
      expect(source).toMatch(/@compute/);
      expect(source).toMatch(/reverse\(\)/);
    }
  });

  describeGpu("on the GPU", () => {
    it("conv1d of [0,1,2,3] with [1,2]: [2,5,8,3]; reverse: [0,1,4,7]", () => {
      const x = fromArray([0, 1, 2, 3], [1, 1, 4], GpuBackend);
      const w = fromArray([1, 2], [1, 1, 2], GpuBackend);
      expect(conv1d(x, w).toArray()).toEqual([[[2, 5, 8, 3]]]);
      const out = emptyTensor([1, 1, 4], GpuBackend);
      kernelFor("conv1d", GpuBackend)(out, x, w, true);
      expect(out.toArray()).toEqual([[[0, 1, 4, 7]]]);
    });

    it("conv2d of a 3×3 ramp with a 2×2 [[1,0],[0,1]]: each output adds its pixel and the one down-right", () => {
      const x = fromArray([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 1, 3, 3], GpuBackend);
      const w = fromArray([1, 0, 0, 1], [1, 1, 2, 2], GpuBackend);
      expect(conv2d(x, w).toArray()).toEqual([[[[6, 8, 3], [12, 14, 6], [7, 8, 9]]]]);
    });

    it("conv1d forward and reverse on random shapes and layouts match the definition", () => {
      fc.assert(
        fc.property(conv1dOperands, ([input, weight, reverse]) => {
          const [b, , width] = input.shape as [number, number, number];
          const out = emptyTensor([b, weight.shape[0]!, width], GpuBackend);
          kernelFor("conv1d", GpuBackend)(out, tensorOf(input, GpuBackend), tensorOf(weight, GpuBackend), reverse);
          const i2 = as2d(input);
          const w2 = as2d(weight);
          expectAgree(out, fromArray(naiveConv2d(i2.values, i2.shape, w2.values, w2.shape, reverse), out.shape), 0);
        }),
        runs,
      );
    });

    it("conv2d forward and reverse on random shapes and layouts match the definition", () => {
      fc.assert(
        fc.property(conv2dOperands, ([input, weight, reverse]) => {
          const [b, , h, w] = input.shape as [number, number, number, number];
          const out = emptyTensor([b, weight.shape[0]!, h, w], GpuBackend);
          kernelFor("conv2d", GpuBackend)(out, tensorOf(input, GpuBackend), tensorOf(weight, GpuBackend), reverse);
          expectAgree(out, fromArray(naiveConv2d(input.values, input.shape, weight.values, weight.shape, reverse), out.shape), 0);
        }),
        runs,
      );
    });

    it("conv1d gradients (input and weight, through permuted views) agree with SimpleBackend", () => {
      fc.assert(
        fc.property(conv1dOperands, ([input, weight]) => {
          const [gx, gw] = convGrads(conv1d, input, weight, GpuBackend);
          const [sx, sw] = convGrads(conv1d, input, weight, SimpleBackend);
          expectAgree(gx, sx, 0);
          expectAgree(gw, sw, 0);
        }),
        runs,
      );
    });

    it("conv2d gradients agree with SimpleBackend", () => {
      fc.assert(
        fc.property(conv2dOperands, ([input, weight]) => {
          const [gx, gw] = convGrads(conv2d, input, weight, GpuBackend);
          const [sx, sw] = convGrads(conv2d, input, weight, SimpleBackend);
          expectAgree(gx, sx, 0);
          expectAgree(gw, sw, 0);
        }),
        runs,
      );
    });

    it("gradCheck conv1d and conv2d on GpuBackend at float32 tolerance", () => {
      const x1 = fromArray(Array.from({ length: 2 * 2 * 6 }, (_, i) => ((i * 7) % 13) / 8 - 0.75), [2, 2, 6], GpuBackend);
      const w1 = fromArray(Array.from({ length: 3 * 2 * 3 }, (_, i) => ((i * 5) % 11) / 8 - 0.5), [3, 2, 3], GpuBackend);
      gradCheck(conv1d, x1, w1, float32.gradCheck);
      const x2 = fromArray(Array.from({ length: 1 * 2 * 4 * 5 }, (_, i) => ((i * 7) % 13) / 8 - 0.75), [1, 2, 4, 5], GpuBackend);
      const w2 = fromArray(Array.from({ length: 2 * 2 * 2 * 3 }, (_, i) => ((i * 5) % 11) / 8 - 0.5), [2, 2, 2, 3], GpuBackend);
      gradCheck(conv2d, x2, w2, float32.gradCheck);
    });

    it("conv2d on GpuBackend runs its forward and both backward passes as tensor_conv2d jobs", () => {
      const before = gpu.stats().byKernel["tensor_conv2d"] ?? 0;
      const x = fromArray(new Array(2 * 3 * 5 * 5).fill(1), [2, 3, 5, 5], GpuBackend).requiresGrad_(true);
      const w = fromArray(new Array(4 * 3 * 2 * 2).fill(1), [4, 3, 2, 2], GpuBackend).requiresGrad_(true);
      conv2d(x, w).sum().backward();
      expect(gpu.stats().byKernel["tensor_conv2d"]).toBe(before + 3);
      expect(w.grad!.get(0, 0, 0, 0)).toBe(2 * 25);
    });
  });
});
