/**
 * Task 3.4: mm_practice and the tiled batched matmul on the GPU, against
 * SimpleBackend: sizes that do not fill the last tile, transposed views,
 * broadcast batch dimensions, and gradients.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, gradCheck } from "@minitorch/tensor-core";
import { GpuBackend, TILE, gpu, matmulShader, mmPractice, mmPracticeKernel } from "../src/index.js";
import { layoutTensor, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";
import { describeGpu, float32 } from "./helpers.js";
import { expectAgree, gridValues } from "./agree.js";

const runs = { numRuns: 15 };

describe("task3_4", () => {
  it("both kernels stage their tiles in workgroup memory between workgroupBarrier() calls", () => {
    for (const source of [matmulShader(), mmPracticeKernel()]) {
      expect(source).toMatch(/var<workgroup>\s+a_shared/);
      expect(source).toMatch(/var<workgroup>\s+b_shared/);
      expect(source).toMatch(/workgroupBarrier\(\)/);
    }
  });

  describeGpu("on the GPU", () => {
    it("mm_practice [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]", () => {
      expect(mmPractice(fromArray([1, 2, 3, 4], [2, 2]), fromArray([5, 6, 7, 8], [2, 2])).toArray()).toEqual([
        [19, 22],
        [43, 50],
      ]);
    });

    it(`mm_practice of every size 1 … ${TILE} equals the product by loops`, () => {
      for (let n = 1; n <= TILE; n++) {
        const a = fromArray(Array.from({ length: n * n }, (_, i) => (i % 7) - 3), [n, n]);
        const b = fromArray(Array.from({ length: n * n }, (_, i) => (i % 5) - 2), [n, n]);
        expectAgree(mmPractice(a, b), a.matmul(b), 0);
      }
    });

    it("[2,3] @ [3,4] by hand, and 33 × 17 @ 17 × 35 (partial tiles on every edge) against SimpleBackend", () => {
      const a = fromArray([1, 2, 3, 4, 5, 6], [2, 3], GpuBackend);
      const b = fromArray([1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1], [3, 4], GpuBackend);
      expect(a.matmul(b).toArray()).toEqual([
        [1, 2, 3, 6],
        [4, 5, 6, 15],
      ]);
      const x = Array.from({ length: 33 * 17 }, (_, i) => ((i * 13) % 17) - 8);
      const y = Array.from({ length: 17 * 35 }, (_, i) => ((i * 7) % 11) - 5);
      const want = fromArray(x, [33, 17]).matmul(fromArray(y, [17, 35]));
      expectAgree(fromArray(x, [33, 17], GpuBackend).matmul(fromArray(y, [17, 35], GpuBackend)), want, 0);
    });

    it("random sizes, layouts and broadcast batch dimensions agree with SimpleBackend", () => {
      const dim = fc.integer({ min: 1, max: 40 });
      const batches = fc.constantFrom<[number[], number[]]>([[], []], [[3], []], [[], [2]], [[2, 1], [3]], [[2, 3], [1, 3]]);
      const cases = fc.tuple(dim, dim, dim, batches).chain(([m, k, n, [ba, bb]]) =>
        fc.tuple(
          fc.constant([...ba, m, k]),
          fc.constant([...bb, k, n]),
          gridValues(sizeOf([...ba, m, k]), -4, 4),
          gridValues(sizeOf([...bb, k, n]), -4, 4),
          permutationOf(ba.length + 2),
          permutationOf(bb.length + 2),
        ),
      );
      fc.assert(
        fc.property(cases, ([sa, sb, va, vb, pa, pb]) => {
          const got = layoutTensor(va, sa, pa, GpuBackend).matmul(layoutTensor(vb, sb, pb, GpuBackend));
          const want = layoutTensor(va, sa, pa, SimpleBackend).matmul(layoutTensor(vb, sb, pb, SimpleBackend));
          expectAgree(got, want, 1e-6);
        }),
        runs,
      );
    });

    it("runs as one tiled dispatch: a 64 × 64 product is one tensor_matrix_multiply job", () => {
      const before = gpu.stats().byKernel["tensor_matrix_multiply"] ?? 0;
      const a = fromArray(new Array(64 * 64).fill(0.5), [64, 64], GpuBackend);
      expect(a.matmul(a).get(63, 63)).toBe(16);
      expect(gpu.stats().byKernel["tensor_matrix_multiply"]).toBe(before + 1);
    });

    it("gradients of a @ b agree with SimpleBackend, and pass gradCheck at float32 tolerance", () => {
      const va = Array.from({ length: 2 * 3 * 5 }, (_, i) => ((i * 5) % 9) / 4 - 1);
      const vb = Array.from({ length: 5 * 4 }, (_, i) => ((i * 3) % 7) / 4 - 0.75);
      const grads = (backend: typeof GpuBackend): [number[], number[]] => {
        const a = fromArray(va, [2, 3, 5], backend).requiresGrad_(true);
        const b = fromArray(vb, [5, 4], backend).requiresGrad_(true);
        a.matmul(b).sum().backward();
        return [Array.from(a.grad!.toFloat64Array()), Array.from(b.grad!.toFloat64Array())];
      };
      expect(grads(GpuBackend)).toEqual(grads(SimpleBackend));
      gradCheck((x, y) => x.matmul(y), fromArray(va, [2, 3, 5], GpuBackend), fromArray(vb, [5, 4], GpuBackend), float32.gradCheck);
    });

  });
});

// Given code: the argument checks pass whatever the student wrote.
describeGpu("matmul arguments (given with Task 3.4)", () => {
  it("mmPractice refuses non-square or too large matrices", () => {
    const m = fromArray(new Array(17 * 17).fill(1), [17, 17]);
    expect(() => mmPractice(m, m)).toThrow(/mmPractice: a and b must be square \[size, size\] with 1 ≤ size ≤ 16, got \[17, 17\] and \[17, 17\]/);
    expect(() => mmPractice(fromArray([1, 2], [1, 2]), fromArray([1, 2], [1, 2]))).toThrow(/mmPractice/);
  });

  it("more batch matrices than one dispatch holds is refused with the count", () => {
    const a = fromArray(new Float64Array(70_000), [70_000, 1, 1], GpuBackend);
    expect(() => a.matmul(fromArray([1], [1, 1], GpuBackend))).toThrow(/matmul: GpuBackend multiplies at most 65535 matrices at once, got 70000/);
  });
});
