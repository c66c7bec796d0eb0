import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convolveSimd, convolveSimd32Units } from "../../src/simd/index.js";
import { naiveConv2d, operand, tensorOf, type Operand } from "../helpers.js";

type Strides4 = [number, number, number, number];
const op = (t: Tensor) => ({ storage: t.storage, strides: t.strides as Strides4 });
const on32 = { backend: FastBackend, dtype: "float32" } as const;
const rounded = (x: Operand): Operand => ({ ...x, values: x.values.map(Math.fround) });

/**
 * The float32 SIMD convolution (same height and width) against the exact
 * one of the same float32 values: each output is a sum of C·KH·KW products
 * accumulated in float32, within (taps + 2)·2⁻²⁴ · Σ|x||w| of it.
 */
function expectWithinFloat32Bound(input: Operand, weight: Operand, reverse: boolean, threads = poolStats().threads): void {
  const [x, w] = [rounded(input), rounded(weight)];
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const [O, , KH, KW] = w.shape as [number, number, number, number];
  const out = emptyTensor([B, O, H, W], FastBackend, "float32");
  const g = { batch: B, inChannels: C, height: H, width: W, outChannels: O, kh: KH, kw: KW, outHeight: H, outWidth: W };
  convolveSimd(FastBackend, op(out), op(tensorOf(x, on32)), op(tensorOf(w, on32)), g, reverse, threads);
  const got = out.toFloat64Array();
  const exact = naiveConv2d(x.values, x.shape, w.values, w.shape, reverse);
  const magnitude = naiveConv2d(x.values.map(Math.abs), x.shape, w.values.map(Math.abs), w.shape, reverse);
  const bound = (C * KH * KW + 2) * 2 ** -24;
  for (let i = 0; i < exact.length; i++) {
    if (!(Math.abs(got[i]! - exact[i]!) <= bound * magnitude[i]!)) expect.fail(`element ${i}: got ${got[i]}, exact ${exact[i]}, bound ${bound * magnitude[i]!}`);
  }
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd convolution in float32 (f32x4): forward and reverse-anchored", () => {
  it("1-D [1,2,3,4] ⋆ [1,10] = [21,32,43,4]; reversed [1,12,23,34]", () => {
    const input = Float32Array.of(1, 2, 3, 4);
    const weight = Float32Array.of(1, 10);
    const s = Int32Array.of(4, 4, 4, 1);
    const ws = Int32Array.of(2, 2, 2, 1);
    for (const [reverse, expected] of [[0, [21, 32, 43, 4]], [1, [1, 12, 23, 34]]] as const) {
      const out = new Float32Array(4);
      convolveSimd32Units(out, s, input, s, weight, ws, Int32Array.of(1, 1, 1, 4, 1, 1, 2, 1, 4, reverse, 1), 5000 + reverse, 0, 1);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  it("random shapes (widths past and short of the 8 positions of a tile), any storage order, both anchors, within float32's bound", () => {
    const cases = fc
      .record({
        b: fc.integer({ min: 1, max: 3 }),
        c: fc.integer({ min: 1, max: 5 }),
        o: fc.integer({ min: 1, max: 9 }),
        h: fc.integer({ min: 1, max: 9 }),
        w: fc.integer({ min: 1, max: 19 }),
        reverse: fc.boolean(),
      })
      .chain(({ b, c, o, h, w, reverse }) =>
        fc
          .record({ kh: fc.integer({ min: 1, max: h }), kw: fc.integer({ min: 1, max: w }) })
          .chain(({ kh, kw }) => fc.tuple(operand([b, c, h, w]), operand([o, c, kh, kw]), fc.constant(reverse))),
      );
    fc.assert(
      fc.property(cases, ([input, weight, reverse]) => expectWithinFloat32Bound(input, weight, reverse)),
      { numRuns: 40 },
    );
  });

  it("LeNet-sized (batch 8, 8 → 16 channels, 28×28, 3×3) on one and two threads, within float32's bound", () => {
    const input = { shape: [8, 8, 28, 28], values: Array.from({ length: 8 * 8 * 28 * 28 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] };
    const weight = { shape: [16, 8, 3, 3], values: Array.from({ length: 16 * 8 * 9 }, (_, i) => Math.cos(i)), perm: [0, 1, 2, 3] };
    for (const threads of [1, 2]) for (const reverse of [false, true]) expectWithinFloat32Bound(input, weight, reverse, threads);
  });
});
