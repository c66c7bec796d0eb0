/**
 * The batched matrix multiply on the WebAssembly SIMD micro-kernel
 * (assembly/gemm.ts): the same blocking as the plain-TypeScript kernel
 * (gemm.ts) — work unit = a batch and a band of MC rows, depth in blocks
 * of KC — but the packed panels live in this thread's wasm memory:
 * - B is packed by each thread that works on the job, once per job and
 *   B matrix (`stamp` names the job), into 4-column panels per KC block;
 * - each unit packs its MC rows of A into 4-row panels per KC block;
 * - gemmBlock fills a [rows × n] stage, which is copied into `out`.
 * Units write disjoint rows of `out`, so they can run on any thread.
 */
import { planMatmul, type Kernel, type KernelArg, type Tensor } from "@minitorch/tensor-core";
import { ScratchLayout, nextStamp, simdThread, type SimdThread } from "./kernels.js";

/** Rows of A per work unit. */
export const SIMD_MC = 32;
/** Depth of one packed block. */
export const SIMD_KC = 256;

const pad4 = (x: number): number => (x + 3) & ~3;

/**
 * out[b] = A[b] @ B[b]: A[b] is m × k at aOffsets[b] (row stride aRow,
 * column stride aCol), B[b] is k × n at bOffsets[b] (bRow, bCol), out is
 * contiguous [batch, m, n]. Work unit u is batch ⌊u / bands⌋, rows
 * [band·MC, band·MC + MC) with bands = ⌈m / MC⌉. `stamp` is unique per
 * call, so a thread re-packs B only for a new job.
 */
export function matmulSimdUnits(
  out: Float64Array,
  a: Float64Array,
  aOffsets: Int32Array,
  aRow: number,
  aCol: number,
  b: Float64Array,
  bOffsets: Int32Array,
  bRow: number,
  bCol: number,
  m: number,
  k: number,
  n: number,
  stamp: number,
  start: number,
  end: number,
): void {
  const bands = Math.ceil(m / SIMD_MC);
  if (k === 0) {
    for (let unit = start; unit < end; unit++) {
      const batch = Math.floor(unit / bands);
      const i0 = (unit - batch * bands) * SIMD_MC;
      const base = batch * m * n + i0 * n;
      out.fill(0, base, base + Math.min(SIMD_MC, m - i0) * n);
    }
    return;
  }
  const nPad = pad4(n);
  const layout = new ScratchLayout();
  const bAt = layout.take(k * nPad * 8);
  const aAt = layout.take(SIMD_MC * SIMD_KC * 8);
  const cAt = layout.take(SIMD_MC * nPad * 8);
  const t = simdThread();
  t.reserve(layout.size);
  for (let unit = start; unit < end; unit++) {
    const batch = Math.floor(unit / bands);
    const i0 = (unit - batch * bands) * SIMD_MC;
    const rows = Math.min(SIMD_MC, m - i0);
    const rowsPad = pad4(rows);
    const key = `matmul ${stamp} ${bOffsets[batch]}`;
    if (t.claim(key)) packB(t, bAt / 8, b, bOffsets[batch]!, bRow, bCol, k, n);
    const aBase = aOffsets[batch]! + i0 * aRow;
    for (let p0 = 0; p0 < k; p0 += SIMD_KC) {
      const kc = Math.min(SIMD_KC, k - p0);
      packA(t.f64, aAt / 8, a, aBase + p0 * aCol, aRow, aCol, rows, kc);
      t.exports.gemmBlock(aAt, bAt + p0 * nPad * 8, cAt, rowsPad, nPad, kc, nPad, p0 > 0 ? 1 : 0);
    }
    const outBase = batch * m * n + i0 * n;
    const stage = cAt / 8;
    if (n === nPad) {
      out.set(t.f64.subarray(stage, stage + rows * n), outBase);
    } else {
      for (let i = 0; i < rows; i++) out.set(t.f64.subarray(stage + i * nPad, stage + i * nPad + n), outBase + i * n);
    }
  }
}

/** Packs B (k × n from `off`) into 4-column panels per KC block at element `dst`, zero-padding columns to nPad. */
function packB(t: SimdThread, dst: number, b: Float64Array, off: number, bRow: number, bCol: number, k: number, n: number): void {
  const f = t.f64;
  for (let p0 = 0; p0 < k; p0 += SIMD_KC) {
    const kc = Math.min(SIMD_KC, k - p0);
    for (let j0 = 0; j0 < n; j0 += 4) {
      const cols = Math.min(4, n - j0);
      let src = off + p0 * bRow + j0 * bCol;
      if (cols === 4) {
        for (let kk = 0; kk < kc; kk++, src += bRow, dst += 4) {
          f[dst] = b[src]!;
          f[dst + 1] = b[src + bCol]!;
          f[dst + 2] = b[src + 2 * bCol]!;
          f[dst + 3] = b[src + 3 * bCol]!;
        }
      } else {
        for (let kk = 0; kk < kc; kk++, src += bRow) {
          for (let jj = 0; jj < 4; jj++) f[dst++] = jj < cols ? b[src + jj * bCol]! : 0;
        }
      }
    }
  }
}

/** Packs rows × kc of A (from `src`) into 4-row panels at element `dst`, zero-padding rows to a multiple of 4. */
function packA(f: Float64Array, dst: number, a: Float64Array, src: number, aRow: number, aCol: number, rows: number, kc: number): void {
  for (let i0 = 0; i0 < rows; i0 += 4) {
    const valid = Math.min(4, rows - i0);
    let s = src + i0 * aRow;
    if (valid === 4) {
      for (let kk = 0; kk < kc; kk++, s += aCol, dst += 4) {
        f[dst] = a[s]!;
        f[dst + 1] = a[s + aRow]!;
        f[dst + 2] = a[s + 2 * aRow]!;
        f[dst + 3] = a[s + 3 * aRow]!;
      }
    } else {
      for (let kk = 0; kk < kc; kk++, s += aCol) {
        for (let ii = 0; ii < 4; ii++) f[dst++] = ii < valid ? a[s + ii * aRow]! : 0;
      }
    }
  }
}

/** The SIMD matmul kernel as workers find it: they import this module by its own URL (the source a test imported, or the build). */
export const matmulSimdKernel: Kernel = {
  name: "matmulSimdUnits",
  module: import.meta.url,
  fn: matmulSimdUnits as (...args: KernelArg[]) => void,
};

/** a @ b (batched, broadcasting like matmul) on the SIMD kernel, on `a`'s backend. */
export function simdMatrixMultiply(a: Tensor, b: Tensor): Tensor {
  const p = planMatmul(a, b);
  const bands = Math.ceil(p.m / SIMD_MC);
  a.backend.runKernel(
    matmulSimdKernel,
    [p.out.storage, a.storage, p.aOffsets, p.aRow, p.aCol, b.storage, p.bOffsets, p.bRow, p.bCol, p.m, p.k, p.n, nextStamp()],
    p.batch * bands,
    2 * SIMD_MC * p.k * p.n,
  );
  return p.out;
}
