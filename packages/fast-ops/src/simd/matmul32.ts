/**
 * The float32 batched matrix multiply on the f32x4 micro-kernel
 * (assembly/gemm32.ts): matmul.ts's blocking — work unit = a batch and a
 * band of MC rows, depth in blocks of KC, B packed once per thread and job
 * — with B in panels of 8 columns, since one f32x4 pair holds 8 of them.
 * Operands and results are float32 storage, copied into and out of this
 * thread's wasm memory without conversion.
 */
import { planMatmul, type Kernel, type KernelArg, type Tensor } from "@minitorch/tensor-core";
import { ScratchLayout, nextStamp, simdThread, type SimdThread } from "./kernels.js";
import { SIMD_KC, SIMD_MC } from "./matmul.js";

const pad4 = (x: number): number => (x + 3) & ~3;
const pad8 = (x: number): number => (x + 7) & ~7;

/**
 * out[b] = A[b] @ B[b] in float32, with matmulSimdUnits's arguments (see
 * simd/matmul.ts): A[b] m × k at aOffsets[b] (row stride aRow, column
 * stride aCol), B[b] k × n at bOffsets[b], out contiguous [batch, m, n];
 * work unit u is batch ⌊u / bands⌋, rows [band·MC, band·MC + MC).
 */
export function matmulSimd32Units(
  out: Float32Array,
  a: Float32Array,
  aOffsets: Int32Array,
  aRow: number,
  aCol: number,
  b: Float32Array,
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
  const nPad = pad8(n);
  const layout = new ScratchLayout();
  const bAt = layout.take(k * nPad * 4);
  const aAt = layout.take(SIMD_MC * SIMD_KC * 4);
  const cAt = layout.take(SIMD_MC * nPad * 4);
  const t = simdThread();
  t.reserve(layout.size);
  for (let unit = start; unit < end; unit++) {
    const batch = Math.floor(unit / bands);
    const i0 = (unit - batch * bands) * SIMD_MC;
    const rows = Math.min(SIMD_MC, m - i0);
    const key = `matmul32 ${stamp} ${bOffsets[batch]}`;
    if (t.claim(key)) packB8(t, bAt / 4, b, bOffsets[batch]!, bRow, bCol, k, n);
    const aBase = aOffsets[batch]! + i0 * aRow;
    for (let p0 = 0; p0 < k; p0 += SIMD_KC) {
      const kc = Math.min(SIMD_KC, k - p0);
      packA4(t.f32, aAt / 4, a, aBase + p0 * aCol, aRow, aCol, rows, kc);
      t.exports.gemmBlock32(aAt, bAt + p0 * nPad * 4, cAt, pad4(rows), nPad, kc, nPad, p0 > 0 ? 1 : 0);
    }
    const outBase = batch * m * n + i0 * n;
    const stage = cAt / 4;
    if (n === nPad) {
      out.set(t.f32.subarray(stage, stage + rows * n), outBase);
    } else {
      for (let i = 0; i < rows; i++) out.set(t.f32.subarray(stage + i * nPad, stage + i * nPad + n), outBase + i * n);
    }
  }
}

/** Packs B (k × n from `off`) into 8-column panels per KC block at element `dst`, zero-padding columns to a multiple of 8. */
function packB8(t: SimdThread, dst: number, b: Float32Array, off: number, bRow: number, bCol: number, k: number, n: number): void {
  const f = t.f32;
  for (let p0 = 0; p0 < k; p0 += SIMD_KC) {
    const kc = Math.min(SIMD_KC, k - p0);
    for (let j0 = 0; j0 < n; j0 += 8) {
      const cols = Math.min(8, n - j0);
      let src = off + p0 * bRow + j0 * bCol;
      if (cols === 8 && bCol === 1) {
        for (let kk = 0; kk < kc; kk++, src += bRow, dst += 8) f.set(b.subarray(src, src + 8), dst);
      } else {
        for (let kk = 0; kk < kc; kk++, src += bRow) {
          for (let jj = 0; jj < 8; jj++) f[dst++] = jj < cols ? b[src + jj * bCol]! : 0;
        }
      }
    }
  }
}

/** Packs rows × kc of A (from `src`) into 4-row panels at element `dst`, zero-padding rows to a multiple of 4. */
function packA4(f: Float32Array, dst: number, a: Float32Array, src: number, aRow: number, aCol: number, rows: number, kc: number): void {
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

/** The float32 SIMD matmul kernel as workers find it (by this module's own URL). */
export const matmulSimd32Kernel: Kernel = {
  name: "matmulSimd32Units",
  module: import.meta.url,
  fn: matmulSimd32Units as (...args: KernelArg[]) => void,
};

/** a @ b (batched, broadcasting like matmul) of float32 tensors on the f32x4 kernel, on `a`'s backend. */
export function simdMatrixMultiply32(a: Tensor, b: Tensor): Tensor {
  const p = planMatmul(a, b);
  if (p.out.dtype !== "float32") throw new TypeError(`matmul: the float32 SIMD kernel got ${p.out.dtype} tensors`);
  const bands = Math.ceil(p.m / SIMD_MC);
  a.backend.runKernel(
    matmulSimd32Kernel,
    [p.out.storage, a.storage, p.aOffsets, p.aRow, p.aCol, b.storage, p.bOffsets, p.bRow, p.bCol, p.m, p.k, p.n, nextStamp()],
    p.batch * bands,
    2 * SIMD_MC * p.k * p.n,
  );
  return p.out;
}
