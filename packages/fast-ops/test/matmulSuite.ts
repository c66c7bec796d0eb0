/**
 * The matmul tests, written once and run on both kernel sets: CourseBackend
 * (Task 3.2's kernel, matmul.test.ts) and FastBackend (the packed GEMM,
 * gemm.test.ts). Sizes around MC and KC reach the packed GEMM's edge cases;
 * for the course kernel they are just more shapes.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { SimpleBackend, fromArray, gradCheck, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { KC, MC, poolStats } from "../src/index.js";
import { expectSameValues, floatArray, layoutTensor, onWorkers, sizeOf } from "./helpers.js";

/**
 * `a @ b` by the definition: out[β, i, j] = Σ_p a[β_a, i, p] · b[β_b, p, j]
 * with batch dimensions broadcast, on plain row-major arrays; `scale` holds
 * Σ_p |a[β_a, i, p] · b[β_b, p, j]|, what a sum's rounding error is relative to.
 */
export function naiveMatmul(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): { shape: number[]; values: Float64Array; scale: Float64Array } {
  const [m, k] = aShape.slice(-2) as [number, number];
  const n = bShape[bShape.length - 1]!;
  const aBatch = aShape.slice(0, -2);
  const bBatch = bShape.slice(0, -2);
  const dims = Math.max(aBatch.length, bBatch.length);
  const pad = (s: readonly number[]): number[] => [...new Array<number>(dims - s.length).fill(1), ...s];
  const [pa, pb] = [pad(aBatch), pad(bBatch)];
  const batch = pa.map((s, d) => Math.max(s, pb[d]!));
  const out = new Float64Array(sizeOf(batch) * m * n);
  const scale = new Float64Array(out.length);
  const index = new Array<number>(dims).fill(0);
  for (let t = 0; t < sizeOf(batch); t++) {
    let ao = 0;
    let bo = 0;
    for (let d = 0; d < dims; d++) {
      ao = ao * pa[d]! + (pa[d] === 1 ? 0 : index[d]!);
      bo = bo * pb[d]! + (pb[d] === 1 ? 0 : index[d]!);
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        let size = 0;
        for (let p = 0; p < k; p++) {
          const term = a[ao * m * k + i * k + p]! * b[bo * k * n + p * n + j]!;
          s += term;
          size += Math.abs(term);
        }
        out[t * m * n + i * n + j] = s;
        scale[t * m * n + i * n + j] = size;
      }
    }
    for (let d = dims - 1; d >= 0; d--) {
      if (++index[d]! < batch[d]!) break;
      index[d] = 0;
    }
  }
  return { shape: [...batch, m, n], values: out, scale };
}

/** A tensor of `shape` on `backend`, stored with its last two dimensions swapped when `transposed`. */
export function matrixTensor(values: ArrayLike<number>, shape: readonly number[], transposed: boolean, backend: TensorBackend): Tensor {
  const perm = shape.map((_, i) => i);
  if (transposed) [perm[shape.length - 2], perm[shape.length - 1]] = [perm[shape.length - 1]!, perm[shape.length - 2]!];
  return layoutTensor(values, shape, perm, backend);
}

export const randomValues = (shape: readonly number[]): Float64Array => rand(shape).toFloat64Array();

/** m and n in 1..70; k usually in 1..70, sometimes past one KC block. */
export const sizes = fc.record({
  m: fc.integer({ min: 1, max: 70 }),
  k: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 70 }), weight: 3 }, { arbitrary: fc.integer({ min: KC - 2, max: 2 * KC + 5 }), weight: 1 }),
  n: fc.integer({ min: 1, max: 70 }),
});


/**
 * Checks `a @ b` on `backend` against the naive product. Kernels may add the
 * k terms in another order (in blocks of KC, in SIMD lanes), so each element
 * may differ by rounding: within 1e-13 of the sum of its terms' magnitudes
 * (k · ε · Σ|terms| is at most 6e-14 of it for k ≤ 2·KC + 5).
 */
export function expectMatmul(
  backend: TensorBackend,
  aValues: ArrayLike<number>,
  aShape: number[],
  bValues: ArrayLike<number>,
  bShape: number[],
  ta = false,
  tb = false,
): void {
  const out = matrixTensor(aValues, aShape, ta, backend).matmul(matrixTensor(bValues, bShape, tb, backend));
  const expected = naiveMatmul(aValues, aShape, bValues, bShape);
  expect(out.shape).toEqual(expected.shape);
  expectProduct(out.toFloat64Array(), expected);
}

/** Each element within 1e-13 of the magnitude of its terms (see expectMatmul) of the naive product. */
export function expectProduct(got: ArrayLike<number>, expected: { values: Float64Array; scale: Float64Array }): void {
  expect(got.length).toBe(expected.values.length);
  for (let i = 0; i < got.length; i++) {
    const error = Math.abs(got[i]! - expected.values[i]!);
    if (!(error <= 1e-13 * expected.scale[i]! + 1e-300)) {
      expect.fail(`element ${i}: got ${got[i]}, expected ${expected.values[i]} (its terms sum to ${expected.scale[i]} in magnitude)`);
    }
  }
}

/** Registers the matmul tests for `backend` (call inside a describe block). */
export function matmulTests(name: string, backend: TensorBackend): void {
  it(`[${name}] [[1,2],[3,4]] @ [[5,6],[7,8]] = [[19,22],[43,50]]`, () => {
    const a = fromArray([1, 2, 3, 4], [2, 2], backend);
    const b = fromArray([5, 6, 7, 8], [2, 2], backend);
    expect(a.matmul(b).toArray()).toEqual([[19, 22], [43, 50]]);
  });

  it(`[${name}] [1,2,3] as 1×3 @ 3×2 [[1,0],[0,1],[1,1]] = [[4,5]], and its transpose-view B gives the same`, () => {
    const a = fromArray([1, 2, 3], [1, 3], backend);
    const b = fromArray([1, 0, 0, 1, 1, 1], [3, 2], backend);
    expect(a.matmul(b).toArray()).toEqual([[4, 5]]);
    const bT = fromArray([1, 0, 1, 0, 1, 1], [2, 3], backend).permute(1, 0);
    expect(a.matmul(bT).toArray()).toEqual([[4, 5]]);
  });

  it(`[${name}] m × k @ k × n equals the naive triple loop for m, n in 1..70 and k up to past 2·KC`, () => {
    fc.assert(
      fc.property(
        sizes.chain((s) => fc.record({ s: fc.constant(s), a: floatArray(s.m * s.k, -10, 10), b: floatArray(s.k * s.n, -10, 10) })),
        ({ s, a, b }) => expectMatmul(backend, a, [s.m, s.k], b, [s.k, s.n]),
      ),
      { numRuns: 30 },
    );
  });

  it(`[${name}] sizes that are not multiples of 4 or of MC, and k = KC ± 1, equal the naive product`, () => {
    for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [MC + 1, KC + 1, 5], [MC - 1, KC - 1, 9], [5, KC, 3], [2 * MC + 3, 2 * KC + 1, 6]] as const) {
      expectMatmul(backend, randomValues([m, k]), [m, k], randomValues([k, n]), [k, n]);
    }
  });

  it(`[${name}] transposed (permuted) operands equal the naive product`, () => {
    fc.assert(
      fc.property(
        sizes.chain((s) =>
          fc.record({ s: fc.constant(s), a: floatArray(s.m * s.k, -10, 10), b: floatArray(s.k * s.n, -10, 10), ta: fc.boolean(), tb: fc.boolean() }),
        ),
        ({ s, a, b, ta, tb }) => expectMatmul(backend, a, [s.m, s.k], b, [s.k, s.n], ta, tb),
      ),
      { numRuns: 30 },
    );
  });

  it(`[${name}] batched with broadcast batch dims: [2,1,3,4] @ [5,4,2] → [2,5,3,2]; [3,4] @ [2,4,5] → [2,3,5]; [2,3,4] @ [4,6] → [2,3,6]`, () => {
    const cases: Array<[number[], number[], number[]]> = [
      [[2, 1, 3, 4], [5, 4, 2], [2, 5, 3, 2]],
      [[3, 4], [2, 4, 5], [2, 3, 5]],
      [[2, 3, 4], [4, 6], [2, 3, 6]],
      [[1, 3, 1, 2, 3], [2, 1, 4, 3, 2], [2, 3, 4, 2, 2]],
    ];
    for (const [aShape, bShape, outShape] of cases) {
      for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const a = randomValues(aShape);
        const b = randomValues(bShape);
        expect(matrixTensor(a, aShape, ta, backend).matmul(matrixTensor(b, bShape, tb, backend)).shape).toEqual(outShape);
        expectMatmul(backend, a, aShape, b, bShape, ta, tb);
      }
    }
  });

  it(`[${name}] random batch shapes with broadcasting and permuted batch dims equal the naive product`, () => {
    const operands = fc
      .record({
        batch: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        ones: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 3, maxLength: 3 }),
        drop: fc.integer({ min: 0, max: 3 }),
        m: fc.integer({ min: 1, max: 9 }),
        k: fc.integer({ min: 1, max: 9 }),
        n: fc.integer({ min: 1, max: 9 }),
        swapA: fc.boolean(),
      })
      .map(({ batch, ones, drop, m, k, n, swapA }) => {
        // One operand gets the full batch shape, the other sizes set to 1 and leading dims dropped.
        const reduced = batch.map((s, i) => (ones[i] === 0 ? 1 : s)).slice(Math.min(drop, batch.length));
        const [aBatch, bBatch] = swapA ? [reduced, batch] : [batch, reduced];
        return { aShape: [...aBatch, m, k], bShape: [...bBatch, k, n] };
      })
      .chain(({ aShape, bShape }) =>
        fc.record({
          aShape: fc.constant(aShape),
          bShape: fc.constant(bShape),
          a: floatArray(sizeOf(aShape), -10, 10),
          b: floatArray(sizeOf(bShape), -10, 10),
          reversedA: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(operands, ({ aShape, bShape, a, b, reversedA }) => {
        // A's dims stored in reverse order: every stride differs from the contiguous layout.
        const perm = aShape.map((_, i) => aShape.length - 1 - i);
        const ta = reversedA ? layoutTensor(a, aShape, perm, backend) : fromArray(a, aShape, backend);
        const out = ta.matmul(fromArray(b, bShape, backend));
        const expected = naiveMatmul(a, aShape, b, bShape);
        expect(out.shape).toEqual(expected.shape);
        expectProduct(out.toFloat64Array(), expected);
      }),
      { numRuns: 40 },
    );
  });

  it(`[${name}] 256×300 @ 300×200 runs on the workers and equals the naive product and SimpleBackend`, async () => {
    const a = randomValues([256, 300]);
    const b = randomValues([300, 200]);
    const fa = fromArray(a, [256, 300], backend);
    const fb = fromArray(b, [300, 200], backend);
    const out = await onWorkers(() => fa.matmul(fb), poolStats);
    expect(out.shape).toEqual([256, 200]);
    expectProduct(out.toFloat64Array(), naiveMatmul(a, [256, 300], b, [300, 200]));
    const simple = fromArray(a, [256, 300]).matmul(fromArray(b, [300, 200]));
    expectSameValues(out.toFloat64Array(), simple.toFloat64Array());
  });

  it(`[${name}] a batch of 16 transposed 64×80 @ 80×48 runs on the workers and equals the naive product`, async () => {
    const a = randomValues([16, 64, 80]);
    const b = randomValues([80, 48]);
    const fa = matrixTensor(a, [16, 64, 80], true, backend);
    const fb = matrixTensor(b, [80, 48], true, backend);
    const out = await onWorkers(() => fa.matmul(fb), poolStats);
    expectProduct(out.toFloat64Array(), naiveMatmul(a, [16, 64, 80], b, [80, 48]));
  });

  it(`[${name}] gradients of matmul match central differences: 3×4 @ 4×5, [2,3,4] @ [4,2], transposed operands`, () => {
    fc.assert(
      fc.property(floatArray(12, -5, 5), floatArray(20, -5, 5), fc.boolean(), fc.boolean(), (a, b, ta, tb) => {
        gradCheck((x, y) => x.matmul(y), matrixTensor(a, [3, 4], ta, backend), matrixTensor(b, [4, 5], tb, backend));
      }),
      { numRuns: 10 },
    );
    gradCheck((x, y) => x.matmul(y), rand([2, 3, 4], backend), rand([4, 2], backend));
    gradCheck((x, y) => x.matmul(y), rand([2, 1, 3, 2], backend), rand([3, 2, 4], backend));
  });

  it(`[${name}] the gradient of a product large enough to be split across the pool equals SimpleBackend's`, () => {
    const a = randomValues([96, 120]);
    const b = randomValues([120, 64]);
    const grads = (on: TensorBackend): Float64Array[] => {
      const x = fromArray(a, [96, 120], on).requiresGrad_(true);
      const y = fromArray(b, [120, 64], on).requiresGrad_(true);
      x.matmul(y).sum().backward();
      return [x.grad!.toFloat64Array(), y.grad!.toFloat64Array()];
    };
    const [fx, fy] = grads(backend);
    const [sx, sy] = grads(SimpleBackend);
    expectSameValues(fx!, sx!);
    expectSameValues(fy!, sy!);
  });
}
