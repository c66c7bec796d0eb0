/**
 * The weight gradient of a convolution on the WebAssembly SIMD kernel
 * `convWeightGrad` (fast-ops assembly/conv.ts):
 *
 *   dW[o, c, ky, kx] = Σ_b Σ_{y, x} dy[b, o, y, x] · in[b, c, y + ky, x + kx]
 *
 * (forward anchoring, 0 past the edges). This is a GEMM whose depth is the
 * positions of every batch, so its work splits two ways: over batches
 * (unit sums of its batches, added afterwards by the caller) and over
 * groups of 4-channel output tiles (disjoint, but every thread stages every
 * batch). Either lets two threads share LeNet's first layer, whose
 * in_channels = 1 makes minitorch's formulation (a convolution with
 * in_channels as its batch) a single unit; run.ts picks the cheaper split.
 */
import { ScratchLayout, simdThread, type SimdThread } from "@minitorch/fast-ops/simd";
import { isCompact, paddedLayout, part, stageInput, writeTaps, type PaddedLayout } from "./geometry.js";
import type { Kernel, KernelArg } from "@minitorch/tensor-core";

/**
 * Units [start, end) of the weight gradient. input [B, C, H, W] (strides
 * is), dy [B, O, OH, OW] (strides gs); shape = [B, C, H, W, O, KH, KW, OH,
 * OW, chunks, groups]; unit u sums batch chunk ⌊u / groups⌋ for tile group
 * u mod groups into dst[chunk, o, c, ky, kx] (strides ds, 5 of them).
 */
export function convWeightGradSimdUnits(
  dst: Float64Array,
  ds: Int32Array,
  input: Float64Array,
  is: Int32Array,
  grad: Float64Array,
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
  const oTiles = Math.ceil(O / 4);
  const rTiles = Math.ceil(taps / 4);
  const maxBatches = Math.ceil(B / chunks);
  const layout = new ScratchLayout();
  const tapsAt = layout.take(rTiles * 16);
  const xAt = layout.take(maxBatches * g.length * 8);
  const inAt = layout.take(Math.max(C * g.height * g.width, O * g.outHeight * g.outWidth) * 8);
  const dyAt = layout.take(oTiles * maxBatches * positions * 32);
  const dwAt = layout.take(rTiles * 4 * oTiles * 4 * 8);
  const t = simdThread();
  t.reserve(layout.size);
  const key = `weightGrad ${stamp}`;
  if (t.claim(key)) {
    writeTaps(t.i32, tapsAt / 4, g, rTiles * 4);
    t.f64.fill(0, xAt / 8, xAt / 8 + maxBatches * g.length);
  }
  const [ds0, ds1, ds2, ds3, ds4] = [ds[0]!, ds[1]!, ds[2]!, ds[3]!, ds[4]!];
  for (let u = start; u < end; u++) {
    const chunk = Math.floor(u / groups);
    const [b0, b1] = part(B, chunks, chunk);
    const [t0, t1] = part(oTiles, groups, u % groups);
    const nb = b1 - b0;
    const ldw = 4 * (t1 - t0);
    if (t0 === t1) continue;
    if (nb > 0 && positions > 0) {
      // t.part: the batch chunk whose padded inputs the scratch holds.
      if (chunk !== t.part) {
        for (let i = 0; i < nb; i++) stageInput(t, xAt + i * g.length * 8, inAt, input, (b0 + i) * is[0]!, is[1]!, is[2]!, is[3]!, g);
        t.part = chunk;
      }
      for (let i = 0; i < nb; i++) stageGrad(t, dyAt + i * positions * 32, nb * positions * 32, inAt, grad, (b0 + i) * gs[0]!, gs, g, t0, t1);
      t.exports.convWeightGrad(xAt, g.length * 8, nb, tapsAt, rTiles, dyAt, OH, OW, g.wp, t1 - t0, dwAt, ldw, 0);
    } else {
      t.f64.fill(0, dwAt / 8, dwAt / 8 + rTiles * 4 * ldw);
    }
    const f = t.f64;
    for (let o = 4 * t0, j = 0; o < Math.min(O, 4 * t1); o++, j++) {
      let r = dwAt / 8 + j;
      for (let c = 0; c < C; c++) {
        for (let ky = 0; ky < KH; ky++) {
          const row = chunk * ds0 + o * ds1 + c * ds2 + ky * ds3;
          for (let kx = 0; kx < KW; kx++, r += ldw) dst[row + kx * ds4] = f[r]!;
        }
      }
    }
  }
}

/**
 * Packs channel tiles [t0, t1) of dy[b] (from `base`, strides gs) at byte
 * address `at`, one tile every `tileStride` bytes: every output position,
 * 4 channels each, zeros past O.
 */
function stageGrad(t: SimdThread, at: number, tileStride: number, compact: number, grad: Float64Array, base: number, gs: Int32Array, g: PaddedLayout, t0: number, t1: number): void {
  const { outChannels: O, outHeight: OH, outWidth: OW } = g;
  const o0 = 4 * t0;
  const channels = Math.min(O, 4 * t1) - o0;
  const [gs1, gs2, gs3] = [gs[1]!, gs[2]!, gs[3]!];
  if (isCompact(channels, OH, OW, gs1, gs2, gs3)) {
    const start = base + o0 * gs1;
    t.f64.set(grad.subarray(start, start + channels * OH * OW), compact / 8);
    t.exports.packChannelTiles(compact, channels, OH * OW, at, tileStride);
    return;
  }
  const f = t.f64;
  for (let tile = 0; tile < t1 - t0; tile++) {
    const rows = Math.min(4, channels - 4 * tile);
    let d = (at + tile * tileStride) / 8;
    const src0 = base + (o0 + 4 * tile) * gs1;
    for (let y = 0; y < OH; y++) {
      for (let x = 0; x < OW; x++, d += 4) {
        const src = src0 + y * gs2 + x * gs3;
        for (let j = 0; j < 4; j++) f[d + j] = j < rows ? grad[src + j * gs1]! : 0;
      }
    }
  }
}

/** The weight-gradient kernel as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const convWeightGradSimdKernel: Kernel = {
  name: "convWeightGradSimdUnits",
  module: import.meta.url,
  fn: convWeightGradSimdUnits as (...args: KernelArg[]) => void,
};
