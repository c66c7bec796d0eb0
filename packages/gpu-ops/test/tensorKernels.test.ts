/**
 * Task 3.3: the map, zip and reduce kernels and sum_practice, on the GPU,
 * against SimpleBackend at float32 precision: each of the library's scalar
 * operators, broadcasting, permuted layouts, reductions longer than a
 * workgroup, grids wider than one dispatch dimension, and NaN.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { operators } from "@minitorch/autodiff";
import { SimpleBackend, Tensor, fromArray, type TensorBackend } from "@minitorch/tensor-core";
import { GpuBackend, GpuCourseBackend, GpuCourseOps, GpuOps, REDUCE_THREADS, gpu, mapShader, reduceShader, sumPractice, sumPracticeKernel, wgslOperator, zipShader } from "../src/index.js";
import { layoutTensor, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";
import { describeGpu } from "./helpers.js";
import { expectAgree, gridValues } from "./agree.js";

const runs = { numRuns: 20 };
const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/** The same values and layout on both backends. */
const pair = (values: readonly number[], shape: readonly number[], perm: readonly number[]): [Tensor, Tensor] => [
  layoutTensor(values, shape, perm, SimpleBackend),
  layoutTensor(values, shape, perm, GpuCourseBackend),
];

const unary = ["neg", "id", "relu", "sigmoid", "log", "exp", "inv"] as const;
const binary = ["add", "mul", "lt", "eq", "max", "isClose", "logBack", "invBack", "reluBack", "sigmoidBack"] as const;
const mapOf = (b: TensorBackend, op: (typeof unary)[number]) => b[`${op}Map` as "negMap"];
const binaryFns: Record<(typeof binary)[number], (x: number, y: number) => number> = {
  add: operators.add,
  mul: operators.mul,
  lt: operators.lt,
  eq: operators.eq,
  max: operators.max,
  isClose: operators.isClose,
  logBack: operators.logBack,
  invBack: operators.invBack,
  reluBack: operators.reluBack,
  sigmoidBack: operators.sigmoidBack,
};

describe("task3_3", () => {
  it("the reduce and sum_practice kernels keep partials in workgroup memory and wait at workgroupBarrier", () => {
    for (const source of [reduceShader(wgslOperator(operators.add, "reduce")), sumPracticeKernel()]) {
      expect(source).toMatch(/var<workgroup>\s+cache/);
      expect(source).toMatch(/workgroupBarrier\(\)/);
    }
    expect(mapShader(wgslOperator(operators.neg, "map"))).toMatch(/fn apply\(x: f32\) -> f32 \{ if \(is_nan\(x\)\) \{ return x; \} return -x; \}/);
    expect(zipShader(wgslOperator(operators.add, "zip"))).toMatch(/@compute/);
  });

  describeGpu("on the GPU", () => {
    it("neg, relu, exp by hand: [−1, 0.5, 2] → [1, −0.5, −2], [0, 0.5, 2], [e⁻¹, e^0.5, e²]", () => {
      const a = fromArray([-1, 0.5, 2], [3], GpuCourseBackend);
      expect(a.neg().toArray()).toEqual([1, -0.5, -2]);
      expect(a.relu().toArray()).toEqual([0, 0.5, 2]);
      expectAgree(a.exp(), fromArray([Math.exp(-1), Math.exp(0.5), Math.exp(2)], [3]), 1e-6);
    });

    it("add [[1,2],[3,4]] + [10, 20] broadcasts: [[11,22],[13,24]]; sum over dim 0 [[4, 6]], max over dim 1 [[2],[4]]", () => {
      const a = fromArray([1, 2, 3, 4], [2, 2], GpuCourseBackend);
      expect(a.add(fromArray([10, 20], [2], GpuCourseBackend)).toArray()).toEqual([[11, 22], [13, 24]]);
      expect(a.sum(0).toArray()).toEqual([[4, 6]]);
      expect(GpuCourseBackend.maxReduce(a, 1).toArray()).toEqual([[2], [4]]);
    });

    for (const op of unary) {
      it(`map ${op} agrees with SimpleBackend on random shapes and layouts`, () => {
        const cases = shapes.chain((shape) => fc.tuple(fc.constant(shape), gridValues(sizeOf(shape), -20, 20), permutationOf(shape.length)));
        fc.assert(
          fc.property(cases, ([shape, values, perm]) => {
            const [s, g] = pair(values, shape, perm);
            expectAgree(mapOf(GpuCourseBackend, op)(g), mapOf(SimpleBackend, op)(s), 1e-5);
          }),
          runs,
        );
      });
    }

    for (const op of binary) {
      it(`zip ${op} agrees with SimpleBackend, with broadcasting`, () => {
        const fn = binaryFns[op];
        const cases = shapes.chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            gridValues(sizeOf(shape), -20, 20),
            permutationOf(shape.length),
            fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
          ),
        );
        fc.assert(
          fc.property(cases, ([shape, values, perm, ones]) => {
            const small = shape.map((s, d) => (ones[d] ? 1 : s));
            const bValues = Array.from({ length: sizeOf(small) }, (_, i) => values[i % values.length]! / 2 + 0.5);
            const [sa, ga] = pair(values, shape, perm);
            const sb = fromArray(bValues, small, SimpleBackend);
            const gb = fromArray(bValues, small, GpuCourseBackend);
            const zipped = (b: TensorBackend, x: Tensor, y: Tensor): Tensor => b.ops.zip(fn)(x, y);
            expectAgree(zipped(GpuCourseBackend, ga, gb), zipped(SimpleBackend, sa, sb), 1e-5);
            expectAgree(zipped(GpuCourseBackend, gb, ga), zipped(SimpleBackend, sb, sa), 1e-5);
          }),
          runs,
        );
      });
    }

    it("reduce add, mul and max over every dimension agree with SimpleBackend", () => {
      const cases = shapes.chain((shape) =>
        fc.tuple(fc.constant(shape), gridValues(sizeOf(shape), -2, 2), permutationOf(shape.length), fc.nat(shape.length - 1)),
      );
      fc.assert(
        fc.property(cases, ([shape, values, perm, dim]) => {
          const [s, g] = pair(values, shape, perm);
          expectAgree(GpuCourseBackend.addReduce(g, dim), SimpleBackend.addReduce(s, dim), 1e-5);
          expectAgree(GpuCourseBackend.mulReduce(g, dim), SimpleBackend.mulReduce(s, dim), 1e-5);
          expectAgree(GpuCourseBackend.maxReduce(g, dim), SimpleBackend.maxReduce(s, dim), 0);
        }),
        runs,
      );
    });

    it(`reduce over ${5 * REDUCE_THREADS + 3} elements (longer than a workgroup, each invocation folds several) and a start value`, () => {
      const n = 5 * REDUCE_THREADS + 3;
      const values = Array.from({ length: 3 * n }, (_, i) => ((i * 37) % 101) - 50);
      const [s, g] = pair(values, [3, n], [1, 0]);
      expectAgree(GpuCourseBackend.addReduce(g, 1), SimpleBackend.addReduce(s, 1), 0);
      expectAgree(GpuCourseBackend.maxReduce(g, 1), SimpleBackend.maxReduce(s, 1), 0);
      const plusTen = GpuCourseOps.reduce(operators.add, 10)(g, 1);
      expectAgree(plusTen, SimpleBackend.ops.reduce(operators.add, 10)(s, 1), 0);
    });

    it("a map of 4.3M elements through a permuted view: 67,188 workgroups, a grid two rows high", () => {
      const n = 4_300_000;
      const before = gpu.stats().byKernel["tensor_map(neg)"] ?? 0;
      const big = fromArray(Float64Array.from({ length: n }, (_, i) => i % 4096), [n / 2, 2], GpuCourseBackend).permute(1, 0);
      const negated = big.neg();
      expect(gpu.stats().byKernel["tensor_map(neg)"]).toBe(before + 1);
      const flat = negated.storage;
      const at = (i: number, j: number): number => flat[i * (n / 2) + j]!;
      expect([at(0, 0), at(1, 0), at(0, n / 2 - 1), at(1, n / 2 - 1)]).toEqual([-0, -1, -((n - 2) % 4096), -((n - 1) % 4096)]);
      expect(flat.every((x, k) => x === -(((k % (n / 2)) * 2 + Math.floor(k / (n / 2))) % 4096))).toBe(true);
    });

    it("NaN as PyTorch: relu(NaN) = NaN, max propagates it, comparisons with NaN are 0; log 0 = −∞, log −1 = NaN, 1/0 = ∞", () => {
      const x = fromArray([NaN, 1, -1, 0], [4], GpuCourseBackend);
      const nan = fromArray([NaN, NaN, NaN, NaN], [4], GpuCourseBackend);
      expect(x.relu().toArray()).toEqual([NaN, 1, 0, 0]);
      expect(GpuCourseBackend.maxReduce(x, 0).toArray()).toEqual([NaN]);
      expect(GpuCourseBackend.ops.zip(operators.max)(fromArray([1, 2, 3, 4], [4], GpuCourseBackend), x).toArray()).toEqual([NaN, 2, 3, 4]);
      expect(x.lt(nan).toArray()).toEqual([0, 0, 0, 0]);
      expect(nan.lt(x).toArray()).toEqual([0, 0, 0, 0]);
      expect(x.eq(x).toArray()).toEqual([0, 1, 1, 1]);
      expect(fromArray([0, -1, Infinity], [3], GpuCourseBackend).log().toArray()).toEqual([-Infinity, NaN, Infinity]);
      expect(fromArray([0, 4], [2], GpuCourseBackend).inv().toArray()).toEqual([Infinity, 0.25]);
    });

    it("float32: values beyond ±3.4e38 become ±Infinity, exp overflows past 88.7", () => {
      expect(fromArray([1e39, -1e39], [2], GpuCourseBackend).neg().toArray()).toEqual([-Infinity, Infinity]);
      expect(fromArray([89], [1], GpuCourseBackend).exp().toArray()).toEqual([Infinity]);
    });

    it("a map into a strided view over a larger storage writes only the view, in float64", () => {
      const storage = GpuCourseBackend.ops.zeros(10);
      storage.set([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1]);
      const view = Tensor.fromStorage(storage, [2, 2], [4, 1], GpuCourseBackend);
      GpuCourseBackend.negMap(fromArray([1, 2, 3, 4], [2, 2], GpuCourseBackend), view);
      expect(Array.from(storage)).toEqual([-1, -2, 0.1, 0.1, -3, -4, 0.1, 0.1, 0.1, 0.1]);
    });

    it("sum_practice sums blocks of 32: [0 … 69] → [496, 1520, 399]", () => {
      const a = fromArray(
        Array.from({ length: 70 }, (_, i) => i),
        [70],
        GpuCourseBackend,
      );
      expect(sumPractice(a).toArray()).toEqual([496, 1520, 399]);
      expect(sumPractice(fromArray([5], [1])).toArray()).toEqual([5]);
    });

    it("sum_practice of random lengths equals blockwise sums", () => {
      fc.assert(
        fc.property(gridValues(200, -10, 10).chain((v) => fc.tuple(fc.constant(v), fc.integer({ min: 1, max: 200 }))), ([values, n]) => {
          const xs = values.slice(0, n);
          const want = Array.from({ length: Math.ceil(n / 32) }, (_, b) => xs.slice(32 * b, 32 * b + 32).reduce((s, x) => s + x, 0));
          expect(sumPractice(fromArray(xs, [n])).toArray()).toEqual(want);
        }),
        runs,
      );
    });

  });
});

// Given code: the argument checks pass whatever the student wrote.
describe("kernel arguments (given with Task 3.3)", () => {
  it("a JavaScript function is refused by map, zip and reduce when called, naming it and the operators that run", () => {
    const double = (x: number): number => 2 * x;
    const x = fromArray([1, 2], [2], GpuBackend);
    // Building the kernel succeeds (a backend made from these ops imports cleanly); calling it fails.
    const doubled = GpuOps.map(double);
    expect(() => doubled(x)).toThrow(/GpuBackend\.map\(double\): a JavaScript function cannot run in a WGSL shader; GpuBackend runs the library's operators \(id, neg, relu/);
    expect(() => GpuOps.zip((x: number, y: number) => x - y)(x, x)).toThrow(/GpuBackend\.zip\(anonymous function\)/);
    expect(() => GpuOps.reduce(Math.min, Infinity)(x, 0)).toThrow(/GpuBackend\.reduce\(min\)/);
    expect(() => GpuOps.map(operators.add as unknown as (x: number) => number)(x)).toThrow(/GpuBackend\.map\(add\): map needs a function of 1 argument, add takes 2/);
  });
});

describeGpu("kernel arguments on the GPU (given with Task 3.3)", () => {
  it("sumPractice refuses anything but a non-empty 1-D tensor", () => {
    expect(() => sumPractice(fromArray([1, 2, 3, 4], [2, 2]))).toThrow(/sumPractice: input must be a non-empty 1-D tensor, got shape \[2, 2\]/);
  });
});
