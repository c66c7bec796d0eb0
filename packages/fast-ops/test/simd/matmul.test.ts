import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, kernelFor, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { FastBackend, poolStats, setThreads } from "../../src/index.js";
import { SIMD_KC, SIMD_MC, matmulSimdUnits, simdMatrixMultiply } from "../../src/simd/index.js";
import { expectSameTensor, floatArray, layoutTensor, onWorkers } from "../helpers.js";
import { matmulTests } from "../matmulSuite.js";

/** A matrix (or batch of them) stored with its last two dimensions swapped when `transposed`. */
function matrix(values: ArrayLike<number>, shape: readonly number[], transposed: boolean, backend: TensorBackend): Tensor {
  const perm = shape.map((_, i) => i);
  if (transposed) [perm[shape.length - 2], perm[shape.length - 1]] = [perm[shape.length - 1]!, perm[shape.length - 2]!];
  return layoutTensor(values, shape, perm, backend);
}

/** SIMD a @ b against SimpleBackend's matmul (the reference), same values and layouts. */
function expectLikeReference(a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[], ta: boolean, tb: boolean, backend: TensorBackend = FastBackend): void {
  const got = simdMatrixMultiply(matrix(a, aShape, ta, backend), matrix(b, bShape, tb, backend));
  const expected = matrix(a, aShape, ta, SimpleBackend).matmul(matrix(b, bShape, tb, SimpleBackend));
  expectSameTensor(got, expected, 1e-12);
}

const randomValues = (shape: readonly number[]): Float64Array => rand(shape).toFloat64Array();

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd matmul", () => {
  it("[[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]] on both backends", () => {
    for (const backend of [SimpleBackend, FastBackend]) {
      const a = fromArray([1, 2, 3, 4], [2, 2], backend);
      const b = fromArray([5, 6, 7, 8], [2, 2], backend);
      expect(simdMatrixMultiply(a, b).toArray()).toEqual([[19, 22], [43, 50]]);
    }
  });

  it("k = 0 gives zeros: [2, 0] @ [0, 3] = 2×3 zeros", () => {
    const out = new Float64Array(6).fill(9);
    matmulSimdUnits(out, new Float64Array(0), Int32Array.of(0), 0, 1, new Float64Array(0), Int32Array.of(0), 3, 1, 2, 0, 3, 1, 0, 1);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("m, n in 1..70 and k past 2·KC, any operand transposed, equal SimpleBackend's product", () => {
    const sizes = fc.record({
      m: fc.integer({ min: 1, max: 70 }),
      k: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 70 }), weight: 3 }, { arbitrary: fc.integer({ min: SIMD_KC - 2, max: 2 * SIMD_KC + 5 }), weight: 1 }),
      n: fc.integer({ min: 1, max: 70 }),
    });
    fc.assert(
      fc.property(
        sizes.chain((s) =>
          fc.record({ s: fc.constant(s), a: floatArray(s.m * s.k, -10, 10), b: floatArray(s.k * s.n, -10, 10), ta: fc.boolean(), tb: fc.boolean() }),
        ),
        ({ s, a, b, ta, tb }) => expectLikeReference(a, [s.m, s.k], b, [s.k, s.n], ta, tb),
      ),
      { numRuns: 40 },
    );
  });

  it("edges of the blocking (m = MC ± 1, k = KC ± 1, n not a multiple of 4) equal the reference", () => {
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [SIMD_MC + 1, SIMD_KC + 1, 5], [SIMD_MC - 1, SIMD_KC - 1, 9], [5, SIMD_KC, 3], [2 * SIMD_MC + 3, 2 * SIMD_KC + 1, 6]] as const) {
      expectLikeReference(randomValues([m, k]), [m, k], randomValues([k, n]), [k, n], false, false);
    }
  });

  it("batched with a broadcast B: [3, 5, 4] @ [4, 6] and [2, 1, 3, 4] @ [5, 4, 2] equal the reference", () => {
    expectLikeReference(randomValues([3, 5, 4]), [3, 5, 4], randomValues([4, 6]), [4, 6], false, true);
    expectLikeReference(randomValues([2, 1, 3, 4]), [2, 1, 3, 4], randomValues([5, 4, 2]), [5, 4, 2], true, false);
  });

  it("a thread re-packs B for a new job: the same B storage with new values gives the new product", () => {
    const a = rand([8, 8], FastBackend);
    const b = rand([8, 8], FastBackend);
    const first = simdMatrixMultiply(a, b).toFloat64Array();
    b.storage.fill(0);
    expect(Array.from(simdMatrixMultiply(a, b).toFloat64Array())).toEqual(new Array(64).fill(0));
    expect(first.some((x) => x !== 0)).toBe(true);
  });

  it("on real workers: 130 × 300 @ 300 × 70 (several bands) equals the reference", async () => {
    const aValues = randomValues([130, 300]);
    const bValues = randomValues([300, 70]);
    const a = matrix(aValues, [130, 300], false, FastBackend);
    const b = matrix(bValues, [300, 70], true, FastBackend);
    const got = await onWorkers(() => simdMatrixMultiply(a, b), poolStats);
    expectSameTensor(got, matrix(aValues, [130, 300], false, SimpleBackend).matmul(matrix(bValues, [300, 70], true, SimpleBackend)), 1e-12);
  });

  it("FastBackend's matmul is this kernel", () => {
    expect(kernelFor("matmul", FastBackend)).toBe(simdMatrixMultiply);
  });

  matmulTests("fast", FastBackend);
});
