/**
 * The float32 convolution (forward, or reverse-anchored for the input
 * gradient) on the f32x4 kernel `convForward32` (fast-ops
 * assembly/conv32.ts): forward.ts's work units, staging and scratch, with
 * float32 operands copied into and out of wasm memory as they are, and
 * positions in groups of 8 (one f32x4 pair).
 */
import { ScratchLayout, simdThread, type SimdThread } from "@minitorch/fast-ops/simd";
import { isCompact, paddedLayout, part, writeTaps, type PaddedLayout } from "./geometry.js";
import type { Kernel, KernelArg } from "@minitorch/tensor-core";

/**
 * Units [start, end) of out = input ⋆ weight in float32, with
 * convolveSimdUnits's arguments (forward.ts): strides `os`, `is`, `ws`;
 * shape = [B, C, H, W, O, KH, KW, OH, OW, reverse, groups]; unit u is batch
 * ⌊u / groups⌋, channel-tile group u mod groups.
 */
export function convolveSimd32Units(
  out: Float32Array,
  os: Int32Array,
  input: Float32Array,
  is: Int32Array,
  weight: Float32Array,
  ws: Int32Array,
  shape: Int32Array,
  stamp: number,
  start: number,
  end: number,
): void {
  const g = paddedLayout(shape, shape[9]! !== 0, 8);
  const groups = shape[10]!;
  const { outChannels: O, outHeight: OH, outWidth: OW, taps, positions } = g;
  const oTiles = Math.ceil(O / 4);
  if (taps === 0) {
    for (let u = start; u < end; u++) {
      const b = Math.floor(u / groups);
      const [t0, t1] = part(oTiles, groups, u % groups);
      for (let o = 4 * t0; o < Math.min(O, 4 * t1); o++) {
        for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[b * os[0]! + o * os[1]! + y * os[2]! + x * os[3]!] = 0;
      }
    }
    return;
  }
  const layout = new ScratchLayout();
  const tapsAt = layout.take(taps * 4);
  const wAt = layout.take(oTiles * taps * 16);
  const xAt = layout.take(g.length * 4);
  const inAt = layout.take(g.inChannels * g.height * g.width * 4);
  const stageAt = layout.take(oTiles * 4 * positions * 4);
  const outAt = layout.take(O * OH * OW * 4);
  const t = simdThread();
  t.reserve(layout.size);
  const key = `conv32 ${stamp}`;
  if (t.claim(key)) {
    writeTaps(t.i32, tapsAt / 4, g, taps, 4);
    packWeights32(t.f32, wAt / 4, weight, ws, g, oTiles);
    t.f32.fill(0, xAt / 4, xAt / 4 + g.length);
  }
  for (let u = start; u < end; u++) {
    const b = Math.floor(u / groups);
    const [t0, t1] = part(oTiles, groups, u % groups);
    if (t0 === t1) continue;
    // t.part: the batch whose padded copy the scratch holds.
    if (b !== t.part) {
      stageInput32(t, xAt, inAt, input, b * is[0]!, is[1]!, is[2]!, is[3]!, g);
      t.part = b;
    }
    const stage = stageAt + t0 * 4 * positions * 4;
    t.exports.convForward32(xAt + g.anchor * 4, tapsAt, taps, wAt + t0 * taps * 16, t1 - t0, stage, positions, positions, 0);
    const o0 = 4 * t0;
    const o1 = Math.min(O, 4 * t1);
    writeOutput32(t, out, b * os[0]! + o0 * os[1]!, os, stage, outAt, o1 - o0, g);
  }
}

/** geometry.ts's stageInput for float32: in[b] into the zero-bordered copy at byte address `padded`. */
export function stageInput32(t: SimdThread, padded: number, compact: number, input: Float32Array, base: number, is1: number, is2: number, is3: number, g: PaddedLayout): void {
  const { inChannels: C, height: H, width: W, wp, plane } = g;
  const first = padded / 4 + g.top * wp + g.left;
  if (isCompact(C, H, W, is1, is2, is3)) {
    t.f32.set(input.subarray(base, base + C * H * W), compact / 4);
    t.exports.copyRows32(compact, H * W, W, first * 4, plane, wp, C, H, W);
    return;
  }
  const f32 = t.f32;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const src = base + c * is1 + y * is2;
      const d = first + c * plane + y * wp;
      for (let x = 0; x < W; x++) f32[d + x] = input[src + x * is3]!;
    }
  }
}

/** forward.ts's writeOutput for float32: `channels` rows of the stage into out from `base` (strides os). */
function writeOutput32(t: SimdThread, out: Float32Array, base: number, os: Int32Array, stage: number, compact: number, channels: number, g: PaddedLayout): void {
  const { outHeight: OH, outWidth: OW, wp, positions } = g;
  const [os1, os2, os3] = [os[1]!, os[2]!, os[3]!];
  if (isCompact(channels, OH, OW, os1, os2, os3)) {
    t.exports.copyRows32(stage, positions, wp, compact, OH * OW, OW, channels, OH, OW);
    out.set(t.f32.subarray(compact / 4, compact / 4 + channels * OH * OW), base);
    return;
  }
  const f = t.f32;
  for (let o = 0; o < channels; o++) {
    for (let y = 0; y < OH; y++) {
      const src = stage / 4 + o * positions + y * wp;
      const dst = base + o * os1 + y * os2;
      for (let x = 0; x < OW; x++) out[dst + x * os3] = f[src + x]!;
    }
  }
}

/** Packs weight [O, C, KH, KW] (strides ws) as [oTiles][taps][4] float32 at element `dst`, zero rows past O. */
function packWeights32(f: Float32Array, dst: number, weight: Float32Array, ws: Int32Array, g: PaddedLayout, oTiles: number): void {
  const [ws0, ws1, ws2, ws3] = [ws[0]!, ws[1]!, ws[2]!, ws[3]!];
  for (let t = 0; t < oTiles; t++) {
    const rows = Math.min(4, g.outChannels - 4 * t);
    for (let c = 0; c < g.inChannels; c++) {
      for (let ky = 0; ky < g.kh; ky++) {
        for (let kx = 0; kx < g.kw; kx++) {
          const src = 4 * t * ws0 + c * ws1 + ky * ws2 + kx * ws3;
          for (let j = 0; j < 4; j++) f[dst++] = j < rows ? weight[src + j * ws0]! : 0;
        }
      }
    }
  }
}

/** The float32 forward / reverse-anchored kernel as workers find it (by this module's own URL). */
export const convolveSimd32Kernel: Kernel = {
  name: "convolveSimd32Units",
  module: import.meta.url,
  fn: convolveSimd32Units as (...args: KernelArg[]) => void,
};
