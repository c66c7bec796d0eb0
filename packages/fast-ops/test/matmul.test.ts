/**
 * Task 3.2: the course's matmul kernel (matmul.ts), called directly with
 * minitorch's arguments and through CourseBackend, and checked against the
 * library's packed GEMM (FastBackend).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { fromArray, kernelFor, type TensorBackend } from "@minitorch/tensor-core";
import { CourseBackend, FastBackend, courseMatrixMultiply, matmulKernel, poolStats, setThreads, tensorMatrixMultiply } from "../src/index.js";
import { expectSameValues, floatArray, sizeOf } from "./helpers.js";
import { matmulTests } from "./matmulSuite.js";

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

const ints = (...xs: number[]): Int32Array => Int32Array.from(xs);

describe("task3_2", () => {
  it("tensorMatrixMultiply [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]], in one range and in two", () => {
    const a = Float64Array.of(1, 2, 3, 4);
    const b = Float64Array.of(5, 6, 7, 8);
    const shape = ints(1, 2, 2);
    const strides = ints(4, 2, 1);
    const whole = new Float64Array(4);
    tensorMatrixMultiply(whole, shape, strides, a, shape, strides, b, shape, strides, 0, 4);
    expect(Array.from(whole)).toEqual([19, 22, 43, 50]);
    const split = new Float64Array(4);
    tensorMatrixMultiply(split, shape, strides, a, shape, strides, b, shape, strides, 0, 1);
    expect(Array.from(split)).toEqual([19, 0, 0, 0]);
    tensorMatrixMultiply(split, shape, strides, a, shape, strides, b, shape, strides, 1, 4);
    expect(Array.from(split)).toEqual([19, 22, 43, 50]);
  });

  it("tensorMatrixMultiply broadcasts a batch of size 1 (its batch stride is ignored) and writes through the output's strides", () => {
    // a: 2 batches of 2×2; b: one 2×2 read through the transpose of [[1,0],[2,1]]; out stored transposed per batch.
    const a = Float64Array.of(1, 2, 3, 4, 0, 1, 1, 0);
    const b = Float64Array.of(1, 0, 2, 1);
    const out = new Float64Array(8);
    tensorMatrixMultiply(out, ints(2, 2, 2), ints(4, 1, 2), a, ints(2, 2, 2), ints(4, 2, 1), b, ints(1, 2, 2), ints(1000, 1, 2), 0, 8);
    // bᵀ = [[1,2],[0,1]]; batch 0: [[1,4],[3,10]], batch 1: [[0,1],[1,2]] — stored column by column.
    expect(Array.from(out)).toEqual([1, 3, 4, 10, 0, 1, 1, 2]);
  });

  it("k = 0 gives zeros; an empty range writes nothing", () => {
    const out = Float64Array.of(7, 7, 7, 7);
    tensorMatrixMultiply(out, ints(1, 2, 2), ints(4, 2, 1), new Float64Array(0), ints(1, 2, 0), ints(0, 0, 1), new Float64Array(0), ints(1, 0, 2), ints(0, 2, 1), 2, 2);
    expect(Array.from(out)).toEqual([7, 7, 7, 7]);
    tensorMatrixMultiply(out, ints(1, 2, 2), ints(4, 2, 1), new Float64Array(0), ints(1, 2, 0), ints(0, 0, 1), new Float64Array(0), ints(1, 0, 2), ints(0, 2, 1), 0, 4);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  matmulTests("course", CourseBackend);

  it("CourseBackend and FastBackend agree on random batched products and their gradients", () => {
    const cases = fc
      .record({
        batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
        m: fc.integer({ min: 1, max: 12 }),
        k: fc.integer({ min: 1, max: 12 }),
        n: fc.integer({ min: 1, max: 12 }),
        bBatched: fc.boolean(),
      })
      .chain(({ batch, m, k, n, bBatched }) => {
        const aShape = [...batch, m, k];
        const bShape = bBatched ? [...batch, k, n] : [k, n];
        return fc.record({ aShape: fc.constant(aShape), bShape: fc.constant(bShape), a: floatArray(sizeOf(aShape), -5, 5), b: floatArray(sizeOf(bShape), -5, 5) });
      });
    fc.assert(
      fc.property(cases, ({ aShape, bShape, a, b }) => {
        const run = (backend: TensorBackend) => {
          const x = fromArray(a, aShape, backend).requiresGrad_(true);
          const y = fromArray(b, bShape, backend).requiresGrad_(true);
          const out = x.matmul(y);
          out.sum().backward();
          return [out.toFloat64Array(), x.grad!.toFloat64Array(), y.grad!.toFloat64Array()];
        };
        const course = run(CourseBackend);
        const fast = run(FastBackend);
        for (let i = 0; i < 3; i++) expectSameValues(course[i]!, fast[i]!);
      }),
      { numRuns: 40 },
    );
  });
});

// Given code: where the kernel comes from, whatever the student wrote.
describe("CourseBackend's matmul kernel (given with Task 3.2)", () => {
  it("CourseBackend's matmul is Task 3.2's kernel, which the workers load from matmul itself (here the source under test)", () => {
    expect(kernelFor("matmul", CourseBackend)).toBe(courseMatrixMultiply);
    expect(matmulKernel.fn).toBe(tensorMatrixMultiply);
    expect(matmulKernel.module).toMatch(/\/fast-ops\/src\/matmul\.ts$/);
    expect(kernelFor("matmul", FastBackend)).not.toBe(courseMatrixMultiply);
  });
});
