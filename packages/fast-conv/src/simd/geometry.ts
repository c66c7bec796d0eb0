/**
 * Where a convolution's operands sit in a thread's wasm memory for the SIMD
 * kernels: the zero-padded input, the positions over the padded width, and
 * the tap offsets (assembly/conv.ts in fast-ops explains the scheme).
 *
 * shape = [B, C, H, W, O, KH, KW, OH, OW, flag] as in implicitGemm.ts: input
 * [B, C, H, W] ⋆ weight [O, C, KH, KW] → out [B, O, OH, OW]; `flag` is
 * `reverse` for the forward kernel and the number of work units for the
 * weight gradient; shape[10] splits the output channels into groups (see
 * forward.ts and weightGrad.ts).
 */

import type { SimdThread } from "@minitorch/fast-ops/simd";
import { geometryOf, padding, type ConvGeometry, type Padding } from "../implicitGemm.js";

/** Rounds up to a multiple of 4. */
export const pad4 = (x: number): number => (x + 3) & ~3;

/** The padded layout of one batch's input and how positions and taps address it. */
export interface PaddedLayout extends ConvGeometry, Padding {
  plane: number;
  /** Element offset of position 0 (output (0, 0)) in the padded copy. */
  anchor: number;
  /** Taps (c, ky, kx), in that order. */
  taps: number;
  /** Positions y·wp + x up to the last output, x < wp. */
  positions: number;
  /** Elements the padded copy needs so every read of the kernel lands in it. */
  length: number;
  reverse: boolean;
}

/**
 * The layout for `shape`; positions are rounded up to `posMultiple` (the
 * forward kernel computes 4 positions at a time).
 */
export function paddedLayout(shape: Int32Array, reverse: boolean, posMultiple: number): PaddedLayout {
  const g = geometryOf(shape);
  const { batch, inChannels, height, width, outChannels, kh, kw, outHeight, outWidth } = g;
  const { hp, wp, top, left } = padding(g, reverse);
  const plane = hp * wp;
  const anchor = top * wp + left;
  const exact = (outHeight - 1) * wp + outWidth;
  const positions = Math.ceil(exact / posMultiple) * posMultiple;
  const maxTap = (inChannels - 1) * plane + (reverse ? 0 : (kh - 1) * wp + kw - 1);
  const length = Math.max(inChannels * plane, anchor + positions + maxTap);
  // A literal, not spreads of g and the padding: this runs once per work unit.
  return {
    batch,
    inChannels,
    height,
    width,
    outChannels,
    kh,
    kw,
    outHeight,
    outWidth,
    hp,
    wp,
    top,
    left,
    plane,
    anchor,
    taps: inChannels * kh * kw,
    positions,
    length,
    reverse,
  };
}

/**
 * Writes the byte offset of every tap (c, ky, kx) at i32 index `at`, for
 * elements of `bytes` bytes (8: float64, 4: float32); `count` ≥ taps pads with 0.
 */
export function writeTaps(i32: Int32Array, at: number, g: PaddedLayout, count: number, bytes = 8): void {
  const sign = g.reverse ? -1 : 1;
  let r = at;
  for (let c = 0; c < g.inChannels; c++) {
    for (let ky = 0; ky < g.kh; ky++) {
      for (let kx = 0; kx < g.kw; kx++) i32[r++] = bytes * (c * g.plane + sign * (ky * g.wp + kx));
    }
  }
  for (let i = g.taps; i < count; i++) i32[r++] = 0;
}

/** Whether [n0, n1, n2] with strides s0..s2 lies at base + its row-major index (size-1 dimensions ignore their stride). */
export function isCompact(n0: number, n1: number, n2: number, s0: number, s1: number, s2: number): boolean {
  return (n2 === 1 || s2 === 1) && (n1 === 1 || s1 === n2) && (n0 === 1 || s0 === n1 * n2);
}

/** Work split into `parts` near-equal ranges: the range of part i of `total`. */
export function part(total: number, parts: number, i: number): [number, number] {
  return [Math.floor((i * total) / parts), Math.floor(((i + 1) * total) / parts)];
}

/**
 * Copies in[b] ([C, H, W] from `base`, strides is1..is3) into the padded
 * copy at byte address `padded`; only the input's own cells are written,
 * so borders zeroed once stay zero. A compact batch moves with one memcpy
 * into `compact` (C·H·W doubles of scratch) and is spread by copyRows.
 */
export function stageInput(
  t: SimdThread,
  padded: number,
  compact: number,
  input: Float64Array,
  base: number,
  is1: number,
  is2: number,
  is3: number,
  g: PaddedLayout,
): void {
  const { inChannels: C, height: H, width: W, wp, plane } = g;
  const first = padded / 8 + g.top * wp + g.left;
  if (isCompact(C, H, W, is1, is2, is3)) {
    t.f64.set(input.subarray(base, base + C * H * W), compact / 8);
    t.exports.copyRows(compact, H * W, W, first * 8, plane, wp, C, H, W);
    return;
  }
  const f64 = t.f64;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      const src = base + c * is1 + y * is2;
      const d = first + c * plane + y * wp;
      for (let x = 0; x < W; x++) f64[d + x] = input[src + x * is3]!;
    }
  }
}
