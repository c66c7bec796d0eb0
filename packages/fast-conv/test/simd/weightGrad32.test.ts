import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convWeightGradSimd, weightGradSplit, type WeightGradSplit } from "../../src/simd/index.js";
import { operand, tensorOf, type Operand } from "../helpers.js";

type Strides4 = [number, number, number, number];
const op = (t: Tensor) => ({ storage: t.storage, strides: t.strides as Strides4 });
const on32 = { backend: FastBackend, dtype: "float32" } as const;
const rounded = (x: Operand): Operand => ({ ...x, values: x.values.map(Math.fround) });

/** dW[o,c,i,j] = Σ_{b,y,x} dy[b,o,y,x] · in[b,c,y+i,x+j] (0 past the edge) of `f` applied to each product, row-major. */
function naiveWeightGrad(input: Operand, dy: Operand, KH: number, KW: number, f: (x: number) => number = (x) => x): Float64Array {
  const [B, C, H, W] = input.shape as [number, number, number, number];
  const O = dy.shape[1]!;
  const out = new Float64Array(O * C * KH * KW);
  for (let o = 0; o < O; o++) {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < KH; i++) {
        for (let j = 0; j < KW; j++) {
          let s = 0;
          for (let b = 0; b < B; b++) {
            for (let y = 0; y + i < H; y++) {
              for (let x = 0; x + j < W; x++) s += f(dy.values[((b * O + o) * H + y) * W + x]! * input.values[((b * C + c) * H + y + i) * W + x + j]!);
            }
          }
          out[((o * C + c) * KH + i) * KW + j] = s;
        }
      }
    }
  }
  return out;
}

/**
 * The float32 SIMD weight gradient with `split` against the exact one of
 * the same float32 values, within (terms + 2)·2⁻²⁴·Σ|dy||x| (terms: the
 * B·H·W products each entry sums), as float32 accumulation promises.
 */
function expectWithinFloat32Bound(input: Operand, dy: Operand, KH: number, KW: number, split: WeightGradSplit): void {
  const [x, d] = [rounded(input), rounded(dy)];
  const [B, C, H, W] = x.shape as [number, number, number, number];
  const O = d.shape[1]!;
  const dw = emptyTensor([O, C, KH, KW], FastBackend, "float32");
  const partials = new Float64Array(split.chunks * O * C * KH * KW);
  const g = { batch: B, inChannels: C, height: H, width: W, outChannels: O, kh: KH, kw: KW, outHeight: H, outWidth: W };
  convWeightGradSimd(FastBackend, op(dw), op(tensorOf(x, on32)), op(tensorOf(d, on32)), g, split, partials);
  const got = dw.toFloat64Array();
  const exact = naiveWeightGrad(x, d, KH, KW);
  const magnitude = naiveWeightGrad(x, d, KH, KW, Math.abs);
  const bound = (B * H * W + 2) * 2 ** -24;
  for (let i = 0; i < exact.length; i++) {
    if (!(Math.abs(got[i]! - exact[i]!) <= bound * magnitude[i]!)) expect.fail(`element ${i}: got ${got[i]}, exact ${exact[i]}, bound ${bound * magnitude[i]!}`);
  }
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("simd weight gradient in float32 (f32x4, 8-channel tiles)", () => {
  it("random shapes (channels short of and past a tile of 8), any storage order, split over batches or over tiles, within float32's bound", () => {
    const cases = fc
      .record({
        b: fc.integer({ min: 1, max: 4 }),
        c: fc.integer({ min: 1, max: 4 }),
        o: fc.integer({ min: 1, max: 19 }),
        h: fc.integer({ min: 1, max: 7 }),
        w: fc.integer({ min: 1, max: 9 }),
        chunks: fc.integer({ min: 1, max: 4 }),
        groups: fc.integer({ min: 1, max: 4 }),
      })
      .chain(({ b, c, o, h, w, chunks, groups }) =>
        fc
          .record({ kh: fc.integer({ min: 1, max: h }), kw: fc.integer({ min: 1, max: w }) })
          .chain(({ kh, kw }) =>
            fc.tuple(operand([b, c, h, w]), operand([b, o, h, w]), fc.constant([kh, kw] as const), fc.constant({ chunks: Math.min(chunks, b), groups })),
          ),
      );
    fc.assert(
      fc.property(cases, ([input, dy, [kh, kw], split]) => expectWithinFloat32Bound(input, dy, kh, kw, split)),
      { numRuns: 40 },
    );
  });

  it("LeNet's second layer (batch 16, 4 → 8 channels, 28×28, 3×3) with the split chosen for one and two threads", () => {
    const input = { shape: [16, 4, 28, 28], values: Array.from({ length: 16 * 4 * 28 * 28 }, (_, i) => Math.sin(i)), perm: [0, 1, 2, 3] };
    const dy = { shape: [16, 8, 28, 28], values: Array.from({ length: 16 * 8 * 28 * 28 }, (_, i) => Math.cos(i * 0.3)), perm: [0, 1, 2, 3] };
    const g = { batch: 16, inChannels: 4, height: 28, width: 28, outChannels: 8, kh: 3, kw: 3, outHeight: 28, outWidth: 28 };
    for (const threads of [1, 2]) expectWithinFloat32Bound(input, dy, 3, 3, weightGradSplit(g, threads));
  });
});
