import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convolveSimd, convolveSimdUnits, forwardGroups } from "../../src/simd/index.js";
import { expectClose, naiveConv2d, onWorkers, operand, tensorOf } from "../helpers.js";

type Strides4 = [number, number, number, number];
const op = (t: Tensor) => ({ storage: t.storage, strides: t.strides as Strides4 });

/** out = input ⋆ weight (same height and width) with the SIMD kernel on FastBackend (for `threads` threads), returned row-major. */
function simdConv(input: Tensor, weight: Tensor, reverse: boolean, threads = poolStats().threads): Float64Array {
  const [B, C, H, W] = input.shape as [number, number, number, number];
  const [O, , KH, KW] = weight.shape as [number, number, number, number];
  const out = emptyTensor([B, O, H, W], FastBackend);
  convolveSimd(FastBackend, op(out), op(input), op(weight), { batch: B, inChannels: C, height: H, width: W, outChannels: O, kh: KH, kw: KW, outHeight: H, outWidth: W }, reverse, threads);
  return out.toFloat64Array();
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd convolution: forward and reverse-anchored", () => {
  it("1-D [1,2,3,4] ⋆ [1,10] = [21,32,43,4]; reversed [1,12,23,34]", () => {
    const input = new Float64Array([1, 2, 3, 4]);
    const weight = new Float64Array([1, 10]);
    const s = Int32Array.of(4, 4, 4, 1);
    const ws = Int32Array.of(2, 2, 2, 1);
    for (const [reverse, expected] of [[0, [21, 32, 43, 4]], [1, [1, 12, 23, 34]]] as const) {
      const out = new Float64Array(4);
      convolveSimdUnits(out, s, input, s, weight, ws, Int32Array.of(1, 1, 1, 4, 1, 1, 2, 1, 4, reverse, 1), 1000 + reverse, 0, 1);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  it("2-D 3×3 input 1..9 ⋆ 2×2 [[1,0],[0,1]] = [[6,8,3],[12,14,6],[7,8,9]]", () => {
    const out = new Float64Array(9);
    const s = Int32Array.of(9, 9, 3, 1);
    convolveSimdUnits(out, s, Float64Array.from({ length: 9 }, (_, i) => i + 1), s, new Float64Array([1, 0, 0, 1]), Int32Array.of(4, 4, 2, 1), Int32Array.of(1, 1, 3, 3, 1, 2, 2, 3, 3, 0, 1), 2000, 0, 1);
    expect(Array.from(out)).toEqual([6, 8, 3, 12, 14, 6, 7, 8, 9]);
  });

  it("random shapes, storage orders and both anchorings equal the definition (O not a multiple of 4, kernels up to the input's size)", () => {
    const cases = fc
      .record({
        B: fc.integer({ min: 1, max: 3 }),
        C: fc.integer({ min: 1, max: 5 }),
        O: fc.integer({ min: 1, max: 9 }),
        H: fc.integer({ min: 1, max: 8 }),
        W: fc.integer({ min: 1, max: 10 }),
        reverse: fc.boolean(),
        threads: fc.integer({ min: 1, max: 8 }),
      })
      .chain((s) => fc.record({ s: fc.constant(s), KH: fc.integer({ min: 1, max: s.H }), KW: fc.integer({ min: 1, max: s.W }) }))
      .chain(({ s, KH, KW }) =>
        fc.record({ s: fc.constant({ ...s, KH, KW }), input: operand([s.B, s.C, s.H, s.W]), weight: operand([s.O, s.C, KH, KW]) }),
      );
    fc.assert(
      fc.property(cases, ({ s, input, weight }) => {
        const got = simdConv(tensorOf(input, FastBackend), tensorOf(weight, FastBackend), s.reverse, s.threads);
        const row = (t: Tensor) => t.toFloat64Array();
        const expected = naiveConv2d(row(tensorOf(input, FastBackend)), input.shape, row(tensorOf(weight, FastBackend)), weight.shape, s.reverse);
        expectClose(got, expected, 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it("an output smaller than the input (the weight-gradient shape of minitorch's backward) equals the definition", () => {
    // out [1, 1, 2, 2] = conv of input [1, 1, 3, 3] with a 3×3 kernel, reading 0 past the edge.
    const input = Float64Array.from({ length: 9 }, (_, i) => i + 1);
    const weight = Float64Array.from({ length: 9 }, (_, i) => (i % 3) - 1);
    const out = new Float64Array(4);
    convolveSimdUnits(out, Int32Array.of(4, 4, 2, 1), input, Int32Array.of(9, 9, 3, 1), weight, Int32Array.of(9, 9, 3, 1), Int32Array.of(1, 1, 3, 3, 1, 3, 3, 2, 2, 0, 1), 3000, 0, 1);
    const at = (y: number, x: number) => (y < 3 && x < 3 ? input[y * 3 + x]! : 0);
    const expected = [[0, 0], [0, 1], [1, 0], [1, 1]].map(([y, x]) => {
      let s = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) s += at(y! + i, x! + j) * weight[i * 3 + j]!;
      return s;
    });
    expect(Array.from(out)).toEqual(expected);
  });

  it("work units split small batches into channel-tile groups: B=1, O=9 on 2 threads → 3 groups; B=4 → 1; B=1, O=4 → 1", () => {
    const g = (batch: number, outChannels: number) => ({ batch, inChannels: 1, height: 5, width: 5, outChannels, kh: 1, kw: 1, outHeight: 5, outWidth: 5 });
    expect([forwardGroups(g(1, 9), 2), forwardGroups(g(4, 9), 2), forwardGroups(g(1, 4), 2), forwardGroups(g(3, 64), 2), forwardGroups(g(0, 64), 2)]).toEqual([
      3, 1, 1, 2, 1,
    ]);
  });

  it("a new job re-packs the weights: the same weight storage with new values gives the new result", () => {
    const input = tensorOf({ shape: [2, 3, 5, 5], values: Array.from({ length: 150 }, (_, i) => i % 7), perm: [0, 1, 2, 3] }, FastBackend);
    const weight = tensorOf({ shape: [4, 3, 2, 2], values: Array.from({ length: 48 }, (_, i) => i % 5), perm: [0, 1, 2, 3] }, FastBackend);
    expect(simdConv(input, weight, false).some((x) => x !== 0)).toBe(true);
    weight.storage.fill(0);
    expect(simdConv(input, weight, false).every((x) => x === 0)).toBe(true);
  });

  it("on real workers: B16 4→8 28×28 k3×3, forward and reverse, equal the definition", async () => {
    const input = tensorOf({ shape: [16, 4, 28, 28], values: Array.from({ length: 16 * 4 * 784 }, (_, i) => Math.sin(i)), perm: [0, 2, 1, 3] }, FastBackend);
    const weight = tensorOf({ shape: [8, 4, 3, 3], values: Array.from({ length: 288 }, (_, i) => Math.cos(i)), perm: [1, 0, 2, 3] }, FastBackend);
    for (const reverse of [false, true]) {
      const got = await onWorkers(() => simdConv(input, weight, reverse));
      expectClose(got, naiveConv2d(input.toFloat64Array(), input.shape, weight.toFloat64Array(), weight.shape, reverse), 1e-12);
    }
    // One batch split into channel groups across the threads.
    const one = tensorOf({ shape: [1, 4, 28, 28], values: Array.from({ length: 4 * 784 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] }, FastBackend);
    for (const reverse of [false, true]) {
      const got = await onWorkers(() => simdConv(one, weight, reverse));
      expectClose(got, naiveConv2d(one.toFloat64Array(), one.shape, weight.toFloat64Array(), weight.shape, reverse), 1e-12);
    }
  });
});
