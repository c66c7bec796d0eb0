/**
 * The float32 weight gradient on the f32x4 kernel `convWeightGrad32`
 * (fast-ops assembly/conv32.ts): weightGrad.ts's work units and splits,
 * with float32 staging and output channels in tiles of 8 (one f32x4 pair):
 *
 *   dW[o, c, ky, kx] = Σ_b Σ_{y, x} dy[b, o, y, x] · in[b, c, y + ky, x + kx]
 */
import { ScratchLayout, simdThread, type SimdThread } from "@minitorch/fast-ops/simd";
import { stageInput32 } from "./forward32.js";
import { isCompact, paddedLayout, part, writeTaps, type PaddedLayout } from "./geometry.js";
import type { Kernel, KernelArg } from "@minitorch/tensor-core";

/**
 * Units [start, end) of the float32 weight gradient, with
 * convWeightGradSimdUnits's arguments (weightGrad.ts); `groups` splits the
 * 8-channel tiles. `dst` may be float64 (the partial sums of a split over
 * batches) or float32.
 */
export function convWeightGradSimd32Units(
  dst: Float64Array | Float32Array,
  ds: Int32Array,
  input: Float32Array,
  is: Int32Array,
  grad: Float32Array,
  gs: Int32Array,
  shape: Int32Array,
  stamp: number,
  start: number,
  end: number,
): void {
  const g = paddedLayout(shape, false, 1);
  const [chunks, groups] = [shape[9]!, shape[10]!];
  const { batch: B, inChannels: C, outChannels: O, kh: KH, kw: KW, taps, outHeight: OH, outWidth: OW } = g;
  const positions = OH * OW;
  const oTiles = Math.ceil(O / 8);
  const rTiles = Math.ceil(taps / 4);
  const maxBatches = Math.ceil(B / chunks);
  const layout = new ScratchLayout();
  const tapsAt = layout.take(rTiles * 16);
  const xAt = layout.take(maxBatches * g.length * 4);
  const inAt = layout.take(Math.max(C * g.height * g.width, O * g.outHeight * g.outWidth) * 4);
  const dyAt = layout.take(oTiles * maxBatches * positions * 32);
  const dwAt = layout.take(rTiles * 4 * oTiles * 8 * 4);
  const t = simdThread();
  t.reserve(layout.size);
  const key = `weightGrad32 ${stamp}`;
  if (t.claim(key)) {
    writeTaps(t.i32, tapsAt / 4, g, rTiles * 4, 4);
    t.f32.fill(0, xAt / 4, xAt / 4 + maxBatches * g.length);
  }
  const [ds0, ds1, ds2, ds3, ds4] = [ds[0]!, ds[1]!, ds[2]!, ds[3]!, ds[4]!];
  for (let u = start; u < end; u++) {
    const chunk = Math.floor(u / groups);
    const [b0, b1] = part(B, chunks, chunk);
    const [t0, t1] = part(oTiles, groups, u % groups);
    const nb = b1 - b0;
    const ldw = 8 * (t1 - t0);
    if (t0 === t1) continue;
    if (nb > 0 && positions > 0) {
      // t.part: the batch chunk whose padded inputs the scratch holds.
      if (chunk !== t.part) {
        for (let i = 0; i < nb; i++) stageInput32(t, xAt + i * g.length * 4, inAt, input, (b0 + i) * is[0]!, is[1]!, is[2]!, is[3]!, g);
        t.part = chunk;
      }
      for (let i = 0; i < nb; i++) stageGrad32(t, dyAt + i * positions * 32, nb * positions * 32, inAt, grad, (b0 + i) * gs[0]!, gs, g, t0, t1);
      t.exports.convWeightGrad32(xAt, g.length * 4, nb, tapsAt, rTiles, dyAt, OH, OW, g.wp, t1 - t0, dwAt, ldw, 0);
    } else {
      t.f32.fill(0, dwAt / 4, dwAt / 4 + rTiles * 4 * ldw);
    }
    const f = t.f32;
    for (let o = 8 * t0, j = 0; o < Math.min(O, 8 * t1); o++, j++) {
      let r = dwAt / 4 + j;
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < KH; ky++) {
          const row = chunk * ds0 + o * ds1 + c * ds2 + ky * ds3;
          for (let kx = 0; kx < KW; kx++, r += ldw) dst[row + kx * ds4] = f[r]!;
        }
      }
    }
  }
}

/** weightGrad.ts's stageGrad in float32 with 8-channel tiles of dy[b] at byte address `at`, one every `tileStride` bytes. */
function stageGrad32(t: SimdThread, at: number, tileStride: number, compact: number, grad: Float32Array, base: number, gs: Int32Array, g: PaddedLayout, t0: number, t1: number): void {
  const { outChannels: O, outHeight: OH, outWidth: OW } = g;
  const o0 = 8 * t0;
  const channels = Math.min(O, 8 * t1) - o0;
  const [gs1, gs2, gs3] = [gs[1]!, gs[2]!, gs[3]!];
  if (isCompact(channels, OH, OW, gs1, gs2, gs3)) {
    const start = base + o0 * gs1;
    t.f32.set(grad.subarray(start, start + channels * OH * OW), compact / 4);
    t.exports.packChannelTiles32(compact, channels, OH * OW, at, tileStride);
    return;
  }
  const f = t.f32;
  for (let tile = 0; tile < t1 - t0; tile++) {
    const rows = Math.min(8, channels - 8 * tile);
    let d = (at + tile * tileStride) / 4;
    const src0 = base + (o0 + 8 * tile) * gs1;
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++, d += 8) {
        const src = src0 + y * gs2 + x * gs3;
        for (let j = 0; j < 8; j++) f[d + j] = j < rows ? grad[src + j * gs1]! : 0;
      }
    }
  }
}

/** The float32 weight-gradient kernel as workers find it (by this module's own URL). */
export const convWeightGradSimd32Kernel: Kernel = {
  name: "convWeightGradSimd32Units",
  module: import.meta.url,
  fn: convWeightGradSimd32Units as (...args: KernelArg[]) => void,
};
