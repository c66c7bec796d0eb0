/**
 * Comparing GpuBackend's results with the float64 reference.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { fromArray, type Tensor } from "@minitorch/tensor-core";
import { GpuBackend } from "../src/index.js";

/**
 * `got` has `want`'s shape and each element is within tolerance ·
 * (1 + |want|) of it; NaN matches NaN and infinities match themselves.
 * Lists the first mismatches.
 */
export function expectAgree(got: Tensor, want: Tensor, tolerance: number): void {
  expect(got.shape).toEqual(want.shape);
  const g = got.toFloat64Array();
  const w = want.toFloat64Array();
  const bad: string[] = [];
  for (let i = 0; i < w.length && bad.length < 5; i++) {
    const [a, b] = [g[i]!, w[i]!];
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (!(Math.abs(a - b) <= tolerance * (1 + Math.abs(b)))) bad.push(`[${i}] got ${a}, want ${b}`);
  }
  expect(bad, `elements beyond ${tolerance} · (1 + |want|)`).toEqual([]);
}

/** `n` values in [min, max] on a grid of 1/16, which float32 holds exactly. */
export function gridValues(n: number, min: number, max: number): fc.Arbitrary<number[]> {
  return fc.array(
    fc.integer({ min: Math.ceil(min * 16), max: Math.floor(max * 16) }).map((k) => k / 16),
    { minLength: n, maxLength: n },
  );
}

/** A contiguous GpuBackend tensor. */
export const onGpu = (values: ArrayLike<number>, shape: readonly number[]): Tensor => fromArray(values, shape, GpuBackend);
