import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { fromArray, kernelFor, type Tensor } from "@minitorch/tensor-core";
import { FastBackend, poolStats, setThreads } from "../../src/index.js";
import { SIMD_KC, SIMD_MC, matmulSimd32Units, simdMatrixMultiply32 } from "../../src/simd/index.js";
import { floatArray, layoutTensor } from "../helpers.js";

const on32 = { backend: FastBackend, dtype: "float32" } as const;

/** A float32 matrix (or batch) stored with its last two dimensions swapped when `transposed`. */
function matrix32(values: ArrayLike<number>, shape: readonly number[], transposed: boolean): Tensor {
  const perm = shape.map((_, i) => i);
  if (transposed) [perm[shape.length - 2], perm[shape.length - 1]] = [perm[shape.length - 1]!, perm[shape.length - 2]!];
  return layoutTensor(Array.from(values, Math.fround), shape, perm, on32);
}

/**
 * Checks a float32 product against the exact one (in float64, of the same
 * float32 values): a sum of k products accumulated in float32 is within
 * (k + 2)·2⁻²⁴ · Σ|a||b| of it (the standard bound for a dot product, plus
 * the stage's rounding) — relative to the magnitude of the terms, which is
 * what float32 can promise where the sum cancels.
 */
function expectWithinFloat32Bound(a: number[], b: number[], m: number, k: number, n: number, ta: boolean, tb: boolean): void {
  const [fa, fb] = [a.map(Math.fround), b.map(Math.fround)];
  const got = simdMatrixMultiply32(matrix32(fa, [m, k], ta), matrix32(fb, [k, n], tb));
  expect(got.dtype).toBe("float32");
  const out = got.toFloat64Array();
  const u = 2 ** -24;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let exact = 0;
      let magnitude = 0;
      for (let p = 0; p < k; p++) {
        exact += fa[i * k + p]! * fb[p * n + j]!;
        magnitude += Math.abs(fa[i * k + p]! * fb[p * n + j]!);
      }
      const err = Math.abs(out[i * n + j]! - exact);
      if (!(err <= (k + 2) * u * magnitude)) expect.fail(`[${i}, ${j}] of ${m}×${k} @ ${k}×${n}: got ${out[i * n + j]}, exact ${exact}, bound ${(k + 2) * u * magnitude}`);
    }
  }
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd matmul, float32 (f32x4)", () => {
  it("[[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]] in float32; FastBackend's float32 matmul is this kernel", () => {
    const a = fromArray([1, 2, 3, 4], [2, 2], on32);
    const b = fromArray([5, 6, 7, 8], [2, 2], on32);
    const out = simdMatrixMultiply32(a, b);
    expect(out.storage).toBeInstanceOf(Float32Array);
    expect(out.toArray()).toEqual([[19, 22], [43, 50]]);
    expect(kernelFor("matmul", FastBackend, "float32")).toBe(simdMatrixMultiply32);
    expect(a.matmul(b).toArray()).toEqual([[19, 22], [43, 50]]);
  });

  it("k = 0 gives zeros: [2, 0] @ [0, 3] = 2×3 zeros", () => {
    const out = new Float32Array(6).fill(9);
    matmulSimd32Units(out, new Float32Array(0), Int32Array.of(0), 0, 1, new Float32Array(0), Int32Array.of(0), 3, 1, 2, 0, 3, 1, 0, 1);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("m, n in 1..70 (n past the 8-column panels) and k past 2·KC, any operand transposed, within float32's bound of the exact product", () => {
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
        ({ s, a, b, ta, tb }) => expectWithinFloat32Bound(a, b, s.m, s.k, s.n, ta, tb),
      ),
      { numRuns: 30 },
    );
  });

  it("a batch broadcast against one matrix: [3, 2·MC+1, 20] @ [20, 9]", () => {
    const m = 2 * SIMD_MC + 1;
    const a = Array.from({ length: 3 * m * 20 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 20 * 9 }, (_, i) => Math.cos(i));
    const got = fromArray(a, [3, m, 20], on32).matmul(fromArray(b, [20, 9], on32));
    const want = fromArray(a.map(Math.fround), [3, m, 20]).matmul(fromArray(b.map(Math.fround), [20, 9]));
    const g = got.toFloat64Array();
    const w = want.toFloat64Array();
    for (let i = 0; i < w.length; i++) expect(Math.abs(g[i]! - w[i]!)).toBeLessThanOrEqual(22 * 2 ** -24 * 20);
  });

  it("a product large enough for the pool (256×300 @ 300×200) within float32's bound, on two threads", () => {
    const [m, k, n] = [256, 300, 200];
    const a = Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
    const b = Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
    expectWithinFloat32Bound(a, b, m, k, n, false, true);
  });
});
