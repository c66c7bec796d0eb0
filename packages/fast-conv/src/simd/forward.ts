/**
 * The convolution (forward, or reverse-anchored for the input gradient) on
 * the WebAssembly SIMD kernel `convForward` (fast-ops assembly/conv.ts).
 *
 * A work unit is one batch b. Per job and thread the weights are packed
 * into [⌈O/4⌉][taps][4] and the tap offsets written, once (`stamp` names
 * the job); per unit in[b] is copied into the zero-padded buffer, the
 * kernel fills a [4·⌈O/4⌉, positions] stage, and the stage's valid
 * positions are copied into out[b] through its strides.
 */
import { ScratchLayout, simdThread } from "@minitorch/fast-ops/simd";
import { copyInterior, paddedLayout, writeTaps } from "./geometry.js";

/**
 * Units (batches) [start, end) of out = input ⋆ weight, with the arguments
 * of convolveUnits (implicitGemm.ts) plus the job's `stamp`.
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
  const { outChannels: O, outHeight: OH, outWidth: OW, taps, positions, wp } = g;
  const oTiles = Math.ceil(O / 4);
  if (taps === 0) {
    for (let b = start; b < end; b++) {
      for (let o = 0; o < O; o++) for (let y = 0; y < OH; y++) for (let x = 0; x < OW; x++) out[b * os[0]! + o * os[1]! + y * os[2]! + x * os[3]!] = 0;
    }
    return;
  }
  const layout = new ScratchLayout();
  const tapsAt = layout.take(taps * 4);
  const wAt = layout.take(oTiles * taps * 32);
  const xAt = layout.take(g.length * 8);
  const stageAt = layout.take(oTiles * 4 * positions * 8);
  const t = simdThread();
  t.reserve(layout.size);
  const f = t.f64;
  const key = `conv ${stamp}`;
  if (t.owner !== key) {
    writeTaps(t.i32, tapsAt / 4, g, taps);
    packWeights(f, wAt / 8, weight, ws, g, oTiles);
    f.fill(0, xAt / 8, xAt / 8 + g.length);
    t.owner = key;
  }
  const [os0, os1, os2, os3] = [os[0]!, os[1]!, os[2]!, os[3]!];
  const stage = stageAt / 8;
  for (let b = start; b < end; b++) {
    copyInterior(f, xAt / 8, input, b * is[0]!, is[1]!, is[2]!, is[3]!, g);
    t.exports.convForward(xAt + g.anchor * 8, tapsAt, taps, wAt, oTiles, stageAt, positions, positions, 0);
    for (let o = 0; o < O; o++) {
      for (let y = 0; y < OH; y++) {
        const src = stage + o * positions + y * wp;
        const dst = b * os0 + o * os1 + y * os2;
        if (os3 === 1) {
          for (let x = 0; x < OW; x++) out[dst + x] = f[src + x]!;
        } else {
          for (let x = 0; x < OW; x++) out[dst + x * os3] = f[src + x]!;
        }
      }
    }
  }
}

/** Packs weight [O, C, KH, KW] (strides ws) as [oTiles][taps][4] at element `dst`, zero rows past O. */
function packWeights(
  f: Float64Array,
  dst: number,
  weight: Float64Array,
  ws: Int32Array,
  g: { outChannels: number; inChannels: number; kh: number; kw: number },
  oTiles: number,
): void {
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
