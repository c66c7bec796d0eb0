/**
 * Both convolutions on PlainBackend — how a library does it in plain
 * JavaScript; the course's kernels are tensorConv1d and tensorConv2d, and
 * FastBackend runs the same scheme on WebAssembly SIMD (simd/). An
 * implicit GEMM on a zero-padded copy of the input.
 *
 * For one batch b, a 2-D convolution is the matrix product
 *   Out_b[o, q] = Σ_r W[o, r] · X_b[q ⊕ r]
 * over output positions q = (y, x) and taps r = (c, ky, kx), where
 * q ⊕ r reads in[b, c, y ± ky, x ± kx] ("+" anchors the weight at the
 * top-left, "−" — `reverse` — at the bottom-right; 0 outside the input). A
 * 1-D convolution is the case height = kernel height = 1.
 *
 * A work unit is one batch b. It first copies in[b] (any strides) into a
 * thread-local buffer with zero borders (`padInput`), so no read can fall
 * outside and no bound is checked. Then, for each tile of 4 output
 * channels × 4 output positions, a register-blocked micro-kernel walks the
 * taps: per tap it loads 4 weights and 4 inputs (each at the tap's offset
 * from its position) and does 16 multiply-adds. There is no im2col matrix
 * and nothing runs serially before the units: weights are read in place
 * through their strides. Taps go in blocks of KC so the weights of a block
 * stay in L1 while every position is visited.
 */
import type { Kernel, KernelArg, Storage } from "@minitorch/tensor-core";
import { threadContext } from "@minitorch/fast-ops/threadContext";

/** Taps per block. */
export const KC = 256;

/** Shape of a convolution in the 4-D form: [B, C, H, W] ⋆ [O, C, KH, KW] → [B, O, OH, OW]. */
export interface ConvGeometry {
  batch: number;
  inChannels: number;
  height: number;
  width: number;
  outChannels: number;
  kh: number;
  kw: number;
  outHeight: number;
  outWidth: number;
}

/** Layout of the padded input: rows and columns, and where the original starts. */
export interface Padding {
  hp: number;
  wp: number;
  top: number;
  left: number;
}

/** The geometry packed in a kernel's shape argument, [B, C, H, W, O, KH, KW, OH, OW, …]. */
export function geometryOf(shape: Int32Array): ConvGeometry {
  return {
    batch: shape[0]!,
    inChannels: shape[1]!,
    height: shape[2]!,
    width: shape[3]!,
    outChannels: shape[4]!,
    kh: shape[5]!,
    kw: shape[6]!,
    outHeight: shape[7]!,
    outWidth: shape[8]!,
  };
}

/** Padding so every read of the convolution lands inside the padded input. */
export function padding(g: ConvGeometry, reverse: boolean): Padding {
  if (reverse) {
    return {
      hp: Math.max(g.height, g.outHeight) + g.kh - 1,
      wp: Math.max(g.width, g.outWidth) + g.kw - 1,
      top: g.kh - 1,
      left: g.kw - 1,
    };
  }
  return { hp: Math.max(g.height, g.outHeight + g.kh - 1), wp: Math.max(g.width, g.outWidth + g.kw - 1), top: 0, left: 0 };
}

/** Work units of a convolution: one per batch. */
export function convUnits(g: ConvGeometry): number {
  return g.batch;
}

/**
 * Copies in[b] ([C, H, W] from `base`, strides is1..is3) into `padded`,
 * contiguous [C, hp, wp], with the input at (top, left) and zeros around it.
 */
export function padInput(
  input: Storage,
  base: number,
  is1: number,
  is2: number,
  is3: number,
  C: number,
  H: number,
  W: number,
  p: Padding,
  padded: Float64Array,
): void {
  const { hp, wp, top, left } = p;
  let dst = 0;
  for (let c = 0; c < C; c++) {
    const chan = base + c * is1;
    for (let y = 0; y < hp; y++) {
      const sy = y - top;
      if (sy < 0 || sy >= H) {
        padded.fill(0, dst, dst + wp);
        dst += wp;
        continue;
      }
      let x = 0;
      for (; x < left; x++) padded[dst++] = 0;
      let src = chan + sy * is2;
      if (is3 === 1) {
        for (let i = 0; i < W; i++) padded[dst++] = input[src + i]!;
      } else {
        for (let i = 0; i < W; i++, src += is3) padded[dst++] = input[src]!;
      }
      for (x += W; x < wp; x++) padded[dst++] = 0;
    }
  }
}

/**
 * Computes work units (batches) [start, end) of the convolution.
 *
 * `shape` = [B, C, H, W, O, KH, KW, OH, OW, reverse]; `os`, `is`, `ws` are
 * the strides of out [B, O, OH, OW], input [B, C, H, W] and weight
 * [O, C, KH, KW].
 */
export function convolveUnits(
  out: Storage,
  os: Int32Array,
  input: Storage,
  is: Int32Array,
  weight: Storage,
  ws: Int32Array,
  shape: Int32Array,
  start: number,
  end: number,
): void {
  const g = geometryOf(shape);
  const reverse = shape[9]! !== 0;
  const { inChannels: C, height: H, width: W, outChannels: O, kh: KH, kw: KW, outHeight: OH, outWidth: OW } = g;
  const pad = padding(g, reverse);
  const plane = pad.hp * pad.wp;
  const positions = OH * OW;
  const taps = C * KH * KW;
  const sign = reverse ? -1 : 1;
  const os1 = os[1]!;
  const ws0 = ws[0]!;
  const ctx = threadContext();
  const padded = ctx.scratch("implicitGemm.padded", C * plane, Float64Array);
  const tap = ctx.scratch("implicitGemm.inTaps", taps, Int32Array);
  const wtap = ctx.scratch("implicitGemm.weightTaps", taps, Int32Array);
  for (let c = 0, r = 0; c < C; c++) {
    for (let ky = 0; ky < KH; ky++) {
      for (let kx = 0; kx < KW; kx++, r++) {
        tap[r] = c * plane + sign * (ky * pad.wp + kx);
        wtap[r] = c * ws[1]! + ky * ws[2]! + kx * ws[3]!;
      }
    }
  }
  const oo = ctx.scratch("implicitGemm.outOffsets", positions, Int32Array);
  const io = ctx.scratch("implicitGemm.inOffsets", positions, Int32Array);
  for (let q = 0, y = 0, x = 0; q < positions; q++) {
    oo[q] = y * os[2]! + x * os[3]!;
    io[q] = (y + pad.top) * pad.wp + x + pad.left;
    if (++x === OW) {
      x = 0;
      y++;
    }
  }
  for (let b = start; b < end; b++) {
    const outBase = b * os[0]!;
    if (taps === 0) {
      for (let o = 0; o < O; o++) for (let q = 0; q < positions; q++) out[outBase + o * os1 + oo[q]!] = 0;
      continue;
    }
    padInput(input, b * is[0]!, is[1]!, is[2]!, is[3]!, C, H, W, pad, padded);
    for (let p0 = 0; p0 < taps; p0 += KC) {
      const kc = Math.min(KC, taps - p0);
      const first = p0 === 0;
      for (let o0 = 0; o0 < O; o0 += 4) {
        const rows = Math.min(4, O - o0);
        const rowBase = outBase + o0 * os1;
        // Missing rows of a partial tile re-read the last channel and are not stored.
        const w0 = o0 * ws0;
        const w1 = (o0 + Math.min(1, rows - 1)) * ws0;
        const w2 = (o0 + Math.min(2, rows - 1)) * ws0;
        const w3 = (o0 + Math.min(3, rows - 1)) * ws0;
        for (let j0 = 0; j0 < positions; j0 += 4) {
          const cols = Math.min(4, positions - j0);
          microKernel(weight, w0, w1, w2, w3, wtap, padded, tap, io, p0, kc, out, rowBase, os1, oo, j0, rows, cols, first);
        }
      }
    }
  }
}

/**
 * One 4×4 tile: out[4 channels, positions j0..j0+3] (+)= Σ over taps
 * [p0, p0 + kc) of W · X, of which `rows` × `cols` are valid (missing
 * positions repeat the last one and are not stored).
 */
function microKernel(
  w: Storage,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
  wtap: Int32Array,
  x: Storage,
  tap: Int32Array,
  io: Int32Array,
  p0: number,
  kc: number,
  out: Storage,
  rowBase: number,
  rowStride: number,
  oo: Int32Array,
  j0: number,
  rows: number,
  cols: number,
  first: boolean,
): void {
  const i0 = io[j0]!;
  const i1 = cols > 1 ? io[j0 + 1]! : i0;
  const i2 = cols > 2 ? io[j0 + 2]! : i1;
  const i3 = cols > 3 ? io[j0 + 3]! : i2;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = p0 + kc;
  for (let r = p0; r < end; r++) {
    const t = tap[r]!;
    const u = wtap[r]!;
    const a0 = w[w0 + u]!, a1 = w[w1 + u]!, a2 = w[w2 + u]!, a3 = w[w3 + u]!;
    const b0 = x[t + i0]!, b1 = x[t + i1]!, b2 = x[t + i2]!, b3 = x[t + i3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === 4 && cols === 4) {
    const q0 = oo[j0]!, q1 = oo[j0 + 1]!, q2 = oo[j0 + 2]!, q3 = oo[j0 + 3]!;
    let r = rowBase;
    if (first) {
      out[r + q0] = c00; out[r + q1] = c01; out[r + q2] = c02; out[r + q3] = c03; r += rowStride;
      out[r + q0] = c10; out[r + q1] = c11; out[r + q2] = c12; out[r + q3] = c13; r += rowStride;
      out[r + q0] = c20; out[r + q1] = c21; out[r + q2] = c22; out[r + q3] = c23; r += rowStride;
      out[r + q0] = c30; out[r + q1] = c31; out[r + q2] = c32; out[r + q3] = c33;
    } else {
      out[r + q0] += c00; out[r + q1] += c01; out[r + q2] += c02; out[r + q3] += c03; r += rowStride;
      out[r + q0] += c10; out[r + q1] += c11; out[r + q2] += c12; out[r + q3] += c13; r += rowStride;
      out[r + q0] += c20; out[r + q1] += c21; out[r + q2] += c22; out[r + q3] += c23; r += rowStride;
      out[r + q0] += c30; out[r + q1] += c31; out[r + q2] += c32; out[r + q3] += c33;
    }
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < rows; i++) {
    const r = rowBase + i * rowStride;
    for (let j = 0; j < cols; j++) {
      const o = r + oo[j0 + j]!;
      out[o] = first ? tile[i * 4 + j]! : out[o]! + tile[i * 4 + j]!;
    }
  }
}

/** The fast path's unit kernel as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const convolveKernel: Kernel = {
  name: "convolveUnits",
  module: import.meta.url,
  fn: convolveUnits as (...args: KernelArg[]) => void,
};
