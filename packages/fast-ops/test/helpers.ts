/**
 * Arbitraries and checks shared by the fast-ops tests: the same values laid
 * out the same way on two backends, element-by-element comparison, and a
 * wait for work to reach the worker threads.
 */
import fc from "fast-check";
import { expect } from "vitest";
import type { Tensor } from "@minitorch/tensor-core";
import { floatArray, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";
import type { PoolStats } from "../src/index.js";

export { evenFloats as floatsIn, floatArray, layoutTensor, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";

/** Shapes of 1–4 dimensions with sizes 1–6 (size-1 dimensions included). */
export const shapes = fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 });

/** A shape, values for it, and a storage order. */
export interface Layout {
  shape: number[];
  values: number[];
  perm: number[];
}

/** A random shape with values and a random storage order. */
export function layouts(shapeArb: fc.Arbitrary<number[]> = shapes, min = -100, max = 100): fc.Arbitrary<Layout> {
  return shapeArb.chain((shape) =>
    fc.record({ shape: fc.constant(shape), values: floatArray(sizeOf(shape), min, max), perm: permutationOf(shape.length) }),
  );
}

/** `shape` with random sizes set to 1 and random leading dimensions dropped: a shape that broadcasts to it. */
export function broadcastableTo(shape: readonly number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: shape.length - 1 }), fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }))
    .map(([drop, ones]) => shape.map((s, i) => (ones[i] ? 1 : s)).slice(drop));
}

/** Same elements (NaN matching NaN), each within `tolerance` · (1 + |expected|). */
export function expectSameValues(got: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-12): void {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (g === e || (Number.isNaN(g) && Number.isNaN(e))) continue;
    if (!(Math.abs(g - e) <= tolerance * (1 + Math.abs(e)))) {
      expect.fail(`element ${i}: got ${g}, expected ${e}`);
    }
  }
}

/** Same shape and the same elements, in row-major order. */
export function expectSameTensor(got: Tensor, expected: Tensor, tolerance = 1e-12): void {
  expect(got.shape).toEqual(expected.shape);
  expectSameValues(got.toFloat64Array(), expected.toFloat64Array(), tolerance);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Repeats `op` until one run of it completes chunks on worker threads (the
 * first parallel operations may run wholly on the main thread while the
 * workers boot), and returns that run's result. Fails after `timeoutMs`.
 */
export async function onWorkers<T>(op: () => T, stats: () => PoolStats, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = stats().workerChunks;
    const result = op();
    if (stats().workerChunks > before) return result;
    if (Date.now() > deadline) {
      throw new Error(`no chunk of the operation ran on a worker within ${timeoutMs} ms: ${JSON.stringify(stats())}`);
    }
    await sleep(20);
  }
}
