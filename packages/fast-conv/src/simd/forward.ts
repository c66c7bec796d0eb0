/**
 * The convolution (forward, or reverse-anchored for the input gradient) on
 * the WebAssembly SIMD kernel `convForward` (fast-ops assembly/conv.ts).
 *
 * A work unit is one batch b and one group of output-channel tiles (one
 * group unless the batch is too small to share between the threads). Per
 * job and thread, the weights are packed into [⌈O/4⌉][taps][4] and the tap
 * offsets written once (`stamp` names the job); per batch, in[b] is copied
 * into the zero-padded buffer (kept for the next unit of the same batch);
 * per unit, the kernel fills a [4·tiles, positions] stage whose valid
 * positions are copied into out[b] through its strides.
 */
import { ScratchLayout, simdThread, type SimdThread } from "@minitorch/fast-ops/simd";
import { isCompact, paddedLayout, part, stageInput, writeTaps, type PaddedLayout } from "./geometry.js";
import type { Kernel, KernelArg } from "@minitorch/tensor-core";

/**
 * Units [start, end) of out = input ⋆ weight. `os`, `is`, `ws` are the
 * strides of out [B, O, OH, OW], input [B, C, H, W] and weight [O, C, KH,
 * KW]; shape = [B, C, H, W, O, KH, KW, OH, OW, reverse, groups] and unit
 * u is batch ⌊u / groups⌋, channel-tile group u mod groups.
 */
export function convolveSimdUnits(
  out: Float64Array,
  os: Int32Array,
  input: Float64Array,
  is: Int32Array,
  weight: Float64Array,
  ws: Int32Array,
  shape: Int32Array,
  stamp: number,
  start: number,
  end: number,
): void {
  const g = paddedLayout(shape, shape[9]! !== 0, 4);
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
  const wAt = layout.take(oTiles * taps * 32);
  const xAt = layout.take(g.length * 8);
  const inAt = layout.take(g.inChannels * g.height * g.width * 8);
  const stageAt = layout.take(oTiles * 4 * positions * 8);
  const outAt = layout.take(O * OH * OW * 8);
  const t = simdThread();
  t.reserve(layout.size);
  const key = `conv ${stamp}`;
  if (t.claim(key)) {
    writeTaps(t.i32, tapsAt / 4, g, taps);
    packWeights(t.f64, wAt / 8, weight, ws, g, oTiles);
    t.f64.fill(0, xAt / 8, xAt / 8 + g.length);
  }
  for (let u = start; u < end; u++) {
    const b = Math.floor(u / groups);
    const [t0, t1] = part(oTiles, groups, u % groups);
    if (t0 === t1) continue;
    // t.part: the batch whose padded copy the scratch holds.
    if (b !== t.part) {
      stageInput(t, xAt, inAt, input, b * is[0]!, is[1]!, is[2]!, is[3]!, g);
      t.part = b;
    }
    const stage = stageAt + t0 * 4 * positions * 8;
    t.exports.convForward(xAt + g.anchor * 8, tapsAt, taps, wAt + t0 * taps * 32, t1 - t0, stage, positions, positions, 0);
    const o0 = 4 * t0;
    const o1 = Math.min(O, 4 * t1);
    writeOutput(t, out, b * os[0]! + o0 * os[1]!, os, stage, outAt, o1 - o0, g);
  }
}

/**
 * Copies `channels` rows of the stage (positions over the padded width)
 * into out from `base` (strides os): a compact block goes through copyRows
 * and one memcpy, anything else element by element.
 */
function writeOutput(t: SimdThread, out: Float64Array, base: number, os: Int32Array, stage: number, compact: number, channels: number, g: PaddedLayout): void {
  const { outHeight: OH, outWidth: OW, wp, positions } = g;
  const [os1, os2, os3] = [os[1]!, os[2]!, os[3]!];
  if (isCompact(channels, OH, OW, os1, os2, os3)) {
    t.exports.copyRows(stage, positions, wp, compact, OH * OW, OW, channels, OH, OW);
    out.set(t.f64.subarray(compact / 8, compact / 8 + channels * OH * OW), base);
    return;
  }
  const f = t.f64;
  for (let o = 0; o < channels; o++) {
    for (let y = 0; y < OH; y++) {
      const src = stage / 8 + o * positions + y * wp;
      const dst = base + o * os1 + y * os2;
      for (let x = 0; x < OW; x++) out[dst + x * os3] = f[src + x]!;
    }
  }
}

/** Packs weight [O, C, KH, KW] (strides ws) as [oTiles][taps][4] at element `dst`, zero rows past O. */
function packWeights(f: Float64Array, dst: number, weight: Float64Array, ws: Int32Array, g: PaddedLayout, oTiles: number): void {
  const [ws0, ws1, ws2, ws3] = [ws[0]!, ws[1]!, ws[2]!, ws[3]!];
  for (let t = 0; t < oTiles; t++) {
    const rows = Math.min(4, g.outChannels - 4 * t);
    for (let c = 0; c < g.inChannels; c++) {
      for (let ky = 0; ky < g.kh; ky++) {
        for (let kx = 0; kx < g.kw; kx++) {
          const src = 4 * t * ws0 + c * ws1 + ky * ws2 + kx * ws3;
          if (rows === 4) {
            f[dst] = weight[src]!;
            f[dst + 1] = weight[src + ws0]!;
            f[dst + 2] = weight[src + 2 * ws0]!;
            f[dst + 3] = weight[src + 3 * ws0]!;
            dst += 4;
          } else {
            for (let j = 0; j < 4; j++) f[dst++] = j < rows ? weight[src + j * ws0]! : 0;
          }
        }
      }
    }
  }
}

/** The forward / reverse-anchored kernel as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const convolveSimdKernel: Kernel = {
  name: "convolveSimdUnits",
  module: import.meta.url,
  fn: convolveSimdUnits as (...args: KernelArg[]) => void,
};
