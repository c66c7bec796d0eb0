/**
 * The weight gradient of a convolution on the WebAssembly SIMD kernel
 * `convWeightGrad` (fast-ops assembly/conv.ts):
 *
 *   dW[o, c, ky, kx] = Σ_b Σ_{y, x} dy[b, o, y, x] · in[b, c, y + ky, x + kx]
 *
 * (forward anchoring, 0 past the edges). This is a GEMM with the
 * positions of every batch as its depth, so the work is split over the
 * batch: unit u sums batches [⌊u·B/U⌋, ⌊(u+1)·B/U⌋) into partials[u], and
 * the caller adds the U partials. That lets two threads share even
 * LeNet's first layer, whose in_channels = 1 makes the minitorch
 * formulation (a convolution with in_channels as its batch) one unit.
 */
import { ScratchLayout, simdThread } from "@minitorch/fast-ops/simd";
import { copyInterior, paddedLayout, writeTaps, type PaddedLayout } from "./geometry.js";

/** The batches of unit u of U. */
export function unitBatches(batch: number, units: number, u: number): [number, number] {
  return [Math.floor((u * batch) / units), Math.floor(((u + 1) * batch) / units)];
}

/**
 * Units [start, end) of the weight gradient: input [B, C, H, W] (strides
 * is), dy [B, O, OH, OW] (strides gs), shape = [B, C, H, W, O, KH, KW, OH,
 * OW, U]; partials is contiguous [U, O, C·KH·KW].
 */
export function convWeightGradSimdUnits(
  partials: Float64Array,
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
  const units = shape[9]!;
  const { outChannels: O, taps, positions, batch: B } = g;
  const oTiles = Math.ceil(O / 4);
  const rTiles = Math.ceil(taps / 4);
  const maxBatches = Math.ceil(B / units);
  const xStride = g.length;
  const layout = new ScratchLayout();
  const tapsAt = layout.take(rTiles * 16);
  const xAt = layout.take(maxBatches * xStride * 8);
  const dyAt = layout.take(oTiles * maxBatches * positions * 32);
  const dwAt = layout.take(rTiles * 4 * oTiles * 4 * 8);
  const t = simdThread();
  t.reserve(layout.size);
  const f = t.f64;
  const key = `weightGrad ${stamp}`;
  if (t.owner !== key) {
    writeTaps(t.i32, tapsAt / 4, g, rTiles * 4);
    f.fill(0, xAt / 8, xAt / 8 + maxBatches * xStride);
    t.owner = key;
  }
  const ldw = oTiles * 4;
  const dw = dwAt / 8;
  for (let u = start; u < end; u++) {
    const [b0, b1] = unitBatches(B, units, u);
    const nb = b1 - b0;
    const part = u * O * taps;
    if (nb === 0 || positions === 0) {
      partials.fill(0, part, part + O * taps);
      continue;
    }
    for (let i = 0; i < nb; i++) copyInterior(f, xAt / 8 + i * xStride, input, (b0 + i) * is[0]!, is[1]!, is[2]!, is[3]!, g);
    packGrad(f, dyAt / 8, grad, gs, g, b0, nb, oTiles);
    t.exports.convWeightGrad(xAt, xStride * 8, nb, tapsAt, rTiles, dyAt, positions, oTiles, dwAt, ldw, 0);
    for (let o = 0; o < O; o++) {
      for (let r = 0; r < taps; r++) partials[part + o * taps + r] = f[dw + r * ldw + o]!;
    }
  }
}

/**
 * Packs dy[b0 .. b0 + nb) ([O, OH, OW] each, strides gs) as
 * [oTiles][nb][positions][4] at element `dst`, with zeros at positions past
 * the out width and at channels past O.
 */
function packGrad(f: Float64Array, dst: number, grad: Float64Array, gs: Int32Array, g: PaddedLayout, b0: number, nb: number, oTiles: number): void {
  const { outChannels: O, outHeight: OH, outWidth: OW, wp, positions } = g;
  const [gs0, gs1, gs2, gs3] = [gs[0]!, gs[1]!, gs[2]!, gs[3]!];
  for (let t = 0; t < oTiles; t++) {
    const rows = Math.min(4, O - 4 * t);
    for (let i = 0; i < nb; i++) {
      const base = (b0 + i) * gs0 + 4 * t * gs1;
      let d = dst + ((t * nb + i) * positions) * 4;
      for (let y = 0; y < OH; y++) {
        const width = y === OH - 1 ? OW : wp;
        for (let x = 0; x < width; x++, d += 4) {
          if (x >= OW) {
            f[d] = 0;
            f[d + 1] = 0;
            f[d + 2] = 0;
            f[d + 3] = 0;
            continue;
          }
          const src = base + y * gs2 + x * gs3;
          for (let j = 0; j < 4; j++) f[d + j] = j < rows ? grad[src + j * gs1]! : 0;
        }
      }
    }
  }
}
