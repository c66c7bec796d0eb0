import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convWeightGradSimd, convWeightGradSimdUnits, part, weightGradSplit, type WeightGradSplit } from "../../src/simd/index.js";
import { expectClose, onWorkers, operand, tensorOf } from "../helpers.js";

type Strides4 = [number, number, number, number];
const op = (t: Tensor) => ({ storage: t.storage, strides: t.strides as Strides4 });

/** dW[o,c,i,j] = Σ_{b,y,x} dy[b,o,y,x] · in[b,c,y+i,x+j] (0 past the edge), row-major arrays. */
function naiveWeightGrad(input: ArrayLike<number>, [B, C, H, W]: readonly number[], dy: ArrayLike<number>, O: number, KH: number, KW: number): Float64Array {
  const out = new Float64Array(O * C! * KH * KW);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C!; c++) {
      for (let i = 0; i < KH; i++) {
        for (let j = 0; j < KW; j++) {
          let s = 0;
          for (let b = 0; b < B!; b++) {
            for (let y = 0; y + i < H!; y++) {
              for (let x = 0; x + j < W!; x++) s += dy[((b * O + o) * H! + y) * W! + x]! * input[((b * C! + c) * H! + y + i) * W! + x + j]!;
            }
          }
          out[((o * C! + c) * KH + i) * KW + j] = s;
        }
      }
    }
  }
  return out;
}

const geometry = (B: number, C: number, H: number, W: number, O: number, KH: number, KW: number) => ({
  batch: B,
  inChannels: C,
  height: H,
  width: W,
  outChannels: O,
  kh: KH,
  kw: KW,
  outHeight: H,
  outWidth: W,
});

/** The SIMD weight gradient on FastBackend with `split`, returned row-major [O, C, KH, KW]. */
function simdWeightGrad(input: Tensor, dy: Tensor, KH: number, KW: number, split: WeightGradSplit, transposedOut = false): Float64Array {
  const [B, C, H, W] = input.shape as [number, number, number, number];
  const O = dy.shape[1]!;
  const dw = transposedOut ? emptyTensor([C, O, KH, KW], FastBackend).permute(1, 0, 2, 3) : emptyTensor([O, C, KH, KW], FastBackend);
  const partials = emptyTensor([split.chunks * O * C * KH * KW], FastBackend).storage as Float64Array;
  convWeightGradSimd(FastBackend, op(dw), op(input), op(dy), geometry(B, C, H, W, O, KH, KW), split, partials);
  return dw.toFloat64Array();
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd convolution: weight gradient", () => {
  it("1-D in [1,2,3,4], dy [1,0,0,1], kernel 2: dW = [1·1 + 1·4, 1·2 + 0] = [5, 2]", () => {
    const dw = new Float64Array(2);
    const s = Int32Array.of(4, 4, 4, 1);
    const ds = Int32Array.of(0, 2, 2, 2, 1);
    convWeightGradSimdUnits(dw, ds, new Float64Array([1, 2, 3, 4]), s, new Float64Array([1, 0, 0, 1]), s, Int32Array.of(1, 1, 1, 4, 1, 1, 2, 1, 4, 1, 1), 5000, 0, 1);
    expect(Array.from(dw)).toEqual([5, 2]);
  });

  it("parts split evenly and cover each index once: 5 in 3 → [0,1), [1,3), [3,5)", () => {
    expect([0, 1, 2].map((i) => part(5, 3, i))).toEqual([[0, 1], [1, 3], [3, 5]]);
  });

  it("the split: one thread → one unit; LeNet-1 (O=4) → batches; heavy 32→64 28×28 → batches; Kim 100→100 W52 → channel tiles", () => {
    expect(weightGradSplit(geometry(16, 32, 28, 28, 64, 3, 3), 1)).toEqual({ chunks: 1, groups: 1 });
    expect(weightGradSplit(geometry(16, 1, 28, 28, 4, 3, 3), 2)).toEqual({ chunks: 4, groups: 1 });
    expect(weightGradSplit(geometry(16, 32, 28, 28, 64, 3, 3), 2)).toEqual({ chunks: 4, groups: 1 });
    expect(weightGradSplit(geometry(10, 100, 1, 52, 100, 1, 5), 2)).toEqual({ chunks: 1, groups: 4 });
    expect(weightGradSplit(geometry(3, 2, 5, 5, 8, 3, 3), 4)).toEqual({ chunks: 3, groups: 1 });
  });

  it("a batch of 0 gives a zero gradient through strides (one unit, no partials), on 1 or 4 threads", () => {
    for (const threads of [1, 4]) {
      const split = weightGradSplit(geometry(0, 2, 3, 3, 3, 2, 2), threads);
      expect(split).toEqual({ chunks: 1, groups: 1 });
      const dw = emptyTensor([2, 3, 2, 2], FastBackend).permute(1, 0, 2, 3);
      dw.storage.fill(7);
      convWeightGradSimd(FastBackend, op(dw), op(emptyTensor([0, 2, 3, 3], FastBackend)), op(emptyTensor([0, 3, 3, 3], FastBackend)), geometry(0, 2, 3, 3, 3, 2, 2), split);
      expect(Array.from(dw.toFloat64Array())).toEqual(new Array(24).fill(0));
    }
  });

  it("one batch on 2 threads still splits: B1 100→100 W52 k5 → 4 channel-tile groups", () => {
    expect(weightGradSplit(geometry(1, 100, 1, 52, 100, 1, 5), 2)).toEqual({ chunks: 1, groups: 4 });
  });

  it("a split over batches without partials names what it needs", () => {
    const t = (shape: number[]) => emptyTensor(shape, FastBackend);
    expect(() => convWeightGradSimd(FastBackend, op(t([2, 1, 1, 1])), op(t([2, 1, 3, 3])), op(t([2, 2, 3, 3])), geometry(2, 1, 3, 3, 2, 1, 1), { chunks: 2, groups: 1 })).toThrow(
      "convWeightGradSimd: 2 batch chunks need partials of 4 values, got none",
    );
  });

  it("random shapes, storage orders, batch chunks and channel groups equal the definition (any O and tap count, output written through strides)", () => {
    const cases = fc
      .record({
        B: fc.integer({ min: 1, max: 4 }),
        C: fc.integer({ min: 1, max: 4 }),
        O: fc.integer({ min: 1, max: 9 }),
        H: fc.integer({ min: 1, max: 7 }),
        W: fc.integer({ min: 1, max: 9 }),
        transposedOut: fc.boolean(),
      })
      .chain((s) =>
        fc.record({
          s: fc.constant(s),
          KH: fc.integer({ min: 1, max: s.H }),
          KW: fc.integer({ min: 1, max: s.W }),
          chunks: fc.integer({ min: 1, max: s.B }),
          groups: fc.integer({ min: 1, max: Math.ceil(s.O / 4) + 1 }),
        }),
      )
      .chain(({ s, KH, KW, chunks, groups }) =>
        fc.record({ s: fc.constant({ ...s, KH, KW, chunks, groups }), input: operand([s.B, s.C, s.H, s.W]), dy: operand([s.B, s.O, s.H, s.W]) }),
      );
    fc.assert(
      fc.property(cases, ({ s, input, dy }) => {
        const x = tensorOf(input, FastBackend);
        const g = tensorOf(dy, FastBackend);
        const got = simdWeightGrad(x, g, s.KH, s.KW, { chunks: s.chunks, groups: s.groups }, s.transposedOut);
        expectClose(got, naiveWeightGrad(x.toFloat64Array(), x.shape, g.toFloat64Array(), s.O, s.KH, s.KW), 1e-12);
      }),
      { numRuns: 60 },
    );
  });

  it("on real workers: LeNet's first layer (B16 1→4 28×28 k3×3, in_channels 1) splits over threads and equals the definition", async () => {
    const x = tensorOf({ shape: [16, 1, 28, 28], values: Array.from({ length: 16 * 784 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] }, FastBackend);
    const dy = tensorOf({ shape: [16, 4, 28, 28], values: Array.from({ length: 16 * 4 * 784 }, (_, i) => Math.cos(i)), perm: [1, 0, 2, 3] }, FastBackend);
    const split = weightGradSplit(geometry(16, 1, 28, 28, 4, 3, 3), poolStats().threads);
    expect(split.chunks).toBeGreaterThan(1);
    const got = await onWorkers(() => simdWeightGrad(x, dy, 3, 3, split));
    expectClose(got, naiveWeightGrad(x.toFloat64Array(), x.shape, dy.toFloat64Array(), 4, 3, 3), 1e-11);
  });

  it("on real workers: Kim's conv1d (B10 100→100 W52 k5 as height 1) split over channel tiles equals the definition", async () => {
    const x = tensorOf({ shape: [10, 100, 1, 52], values: Array.from({ length: 52000 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] }, FastBackend);
    const dy = tensorOf({ shape: [10, 100, 1, 52], values: Array.from({ length: 52000 }, (_, i) => Math.cos(i)), perm: [0, 1, 2, 3] }, FastBackend);
    const split = weightGradSplit(geometry(10, 100, 1, 52, 100, 1, 5), poolStats().threads);
    expect(split.groups).toBeGreaterThan(1);
    const got = await onWorkers(() => simdWeightGrad(x, dy, 1, 5, split));
    expectClose(got, naiveWeightGrad(x.toFloat64Array(), x.shape, dy.toFloat64Array(), 100, 1, 5), 1e-11);
  });
});
