/**
 * The batched matrix multiply of PlainBackend — how a library does it in
 * plain JavaScript; the course's Task 3.2 kernel is in matmul.ts, and
 * FastBackend runs the same blocking on WebAssembly SIMD (simd/matmul.ts).
 *
 * out[b] = A[b] @ B[b] for every batch b, computed the way fast BLAS
 * libraries do, in plain JavaScript:
 * - B is packed once (by `packB`, on the calling thread) into panels of 4
 *   columns for each block of KC rows, so the inner loop reads it
 *   sequentially;
 * - each work unit (a batch and a band of MC rows) packs its rows of A into
 *   panels of 4 rows;
 * - a 4×4 micro-kernel keeps 16 sums in registers and does 32 flops per 8
 *   values loaded.
 * Work units write disjoint rows of `out`, so they can run on any thread.
 */
import type { Kernel, KernelArg, Storage } from "@minitorch/tensor-core";
import { threadContext } from "./threadContext.js";

/** Rows of A per work unit. */
export const MC = 32;
/** Depth of one packed block. */
export const KC = 256;

/**
 * Packs each distinct B matrix (rows stride `bRow`, columns stride `bCol`,
 * starting at `bOffsets[b]`) into 4-column panels per KC block; returns the
 * packed array and, per batch, where its packed B starts.
 */
export function packB(
  b: Storage,
  bOffsets: Int32Array,
  bRow: number,
  bCol: number,
  k: number,
  n: number,
  allocate: (size: number) => Float64Array,
): { packed: Float64Array; packedOffsets: Int32Array } {
  const nPad = (n + 3) & ~3;
  const perMatrix = k * nPad;
  const distinct = new Map<number, number>();
  const packedOffsets = new Int32Array(bOffsets.length);
  for (let i = 0; i < bOffsets.length; i++) {
    const off = bOffsets[i]!;
    let slot = distinct.get(off);
    if (slot === undefined) distinct.set(off, (slot = distinct.size));
    packedOffsets[i] = slot * perMatrix;
  }
  const packed = allocate(distinct.size * perMatrix);
  for (const [off, slot] of distinct) {
    let dst = slot * perMatrix;
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      for (let j0 = 0; j0 < nPad; j0 += 4) {
        const cols = Math.min(4, n - j0);
        for (let kk = 0; kk < kc; kk++) {
          const src = off + (p0 + kk) * bRow + j0 * bCol;
          for (let jj = 0; jj < 4; jj++) packed[dst++] = jj < cols ? b[src + jj * bCol]! : 0;
        }
      }
    }
  }
  return { packed, packedOffsets };
}

/**
 * The packed-GEMM kernel: work unit u covers batch ⌊u / bands⌋ and rows
 * [band·MC, band·MC + MC) of it, where bands = ⌈m / MC⌉. `out` is
 * contiguous [batch, m, n].
 */
export function packedGemm(
  out: Storage,
  a: Storage,
  aOffsets: Int32Array,
  aRow: number,
  aCol: number,
  bPacked: Float64Array,
  bPackedOffsets: Int32Array,
  m: number,
  k: number,
  n: number,
  start: number,
  end: number,
): void {
  const bands = Math.ceil(m / MC);
  const nPad = (n + 3) & ~3;
  const ap = threadContext().scratch("gemm.aPanel", MC * KC, Float64Array);
  for (let unit = start; unit < end; unit++) {
    const batch = Math.floor(unit / bands);
    const i0 = (unit - batch * bands) * MC;
    const rows = Math.min(MC, m - i0);
    const rowsPad = (rows + 3) & ~3;
    const aBase = aOffsets[batch]! + i0 * aRow;
    const bBase = bPackedOffsets[batch]!;
    const outBase = batch * m * n + i0 * n;
    if (k === 0) {
      out.fill(0, outBase, outBase + rows * n);
      continue;
    }
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = Math.min(KC, k - p0);
      // Pack rows [i0, i0 + rows) × columns [p0, p0 + kc) of A into 4-row panels.
      let dst = 0;
      for (let ir = 0; ir < rowsPad; ir += 4) {
        for (let kk = 0; kk < kc; kk++) {
          const src = aBase + ir * aRow + (p0 + kk) * aCol;
          for (let ii = 0; ii < 4; ii++) ap[dst++] = ir + ii < rows ? a[src + ii * aRow]! : 0;
        }
      }
      const accumulate = p0 > 0;
      const bBlock = bBase + p0 * nPad;
      for (let j0 = 0; j0 < n; j0 += 4) {
        const bp = bBlock + j0 * kc;
        const cols = Math.min(4, n - j0);
        for (let ir = 0; ir < rows; ir += 4) {
          microKernel(ap, ir * kc, bPacked, bp, kc, out, outBase + ir * n + j0, n, Math.min(4, rows - ir), cols, accumulate);
        }
      }
    }
  }
}

/** 4×4 block of out (+)= Ap panel (kc×4, row-interleaved) · Bp panel (kc×4). */
function microKernel(
  ap: Float64Array,
  pa: number,
  bp: Float64Array,
  pb: number,
  kc: number,
  out: Storage,
  o: number,
  n: number,
  rows: number,
  cols: number,
  accumulate: boolean,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let kk = 0; kk < kc; kk++) {
    const a0 = ap[pa]!, a1 = ap[pa + 1]!, a2 = ap[pa + 2]!, a3 = ap[pa + 3]!;
    const b0 = bp[pb]!, b1 = bp[pb + 1]!, b2 = bp[pb + 2]!, b3 = bp[pb + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    pa += 4;
    pb += 4;
  }
  if (rows === 4 && cols === 4) {
    if (accumulate) {
      out[o] += c00; out[o + 1] += c01; out[o + 2] += c02; out[o + 3] += c03; o += n;
      out[o] += c10; out[o + 1] += c11; out[o + 2] += c12; out[o + 3] += c13; o += n;
      out[o] += c20; out[o + 1] += c21; out[o + 2] += c22; out[o + 3] += c23; o += n;
      out[o] += c30; out[o + 1] += c31; out[o + 2] += c32; out[o + 3] += c33;
    } else {
      out[o] = c00; out[o + 1] = c01; out[o + 2] = c02; out[o + 3] = c03; o += n;
      out[o] = c10; out[o + 1] = c11; out[o + 2] = c12; out[o + 3] = c13; o += n;
      out[o] = c20; out[o + 1] = c21; out[o + 2] = c22; out[o + 3] = c23; o += n;
      out[o] = c30; out[o + 1] = c31; out[o + 2] = c32; out[o + 3] = c33;
    }
    return;
  }
  const c = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = c[i * 4 + j]!;
      if (accumulate) out[o + i * n + j] += v;
      else out[o + i * n + j] = v;
    }
  }
}

/** The packed GEMM as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const packedGemmKernel: Kernel = {
  name: "packedGemm",
  module: import.meta.url,
  fn: packedGemm as (...args: KernelArg[]) => void,
};
