/**
 * The float32 matmul micro-kernel on packed panels (see src/simd/matmul32.ts
 * for the packing and the blocking around it), the f32x4 counterpart of
 * gemm.ts:
 *
 *   C[rows × cols] (+)= A[rows × kc] · B[kc × cols]
 *
 * A is packed in panels of 4 rows: for each of its rows/4 panels, kc groups
 * of 4 values (a[i0..i0+3][p]); B in panels of 8 columns: for each of its
 * cols/8 panels, kc groups of 8 values (b[p][j0..j0+7]). rows is a multiple
 * of 4 and cols of 8 (packing pads with zeros). C is row-major with ldc
 * elements per row. All addresses are byte offsets in this thread's memory.
 *
 * Each 4×8 tile of C lives in 8 f32x4 registers (2 per row), as gemm.ts's
 * 4×4 tile does in f64x2: the same 6 loads per step now feed 64 flops.
 * Sums accumulate in float32, as BLAS's sgemm does.
 */
export function gemmBlock32(a: usize, b: usize, c: usize, rows: i32, cols: i32, kc: i32, ldc: i32, accumulate: bool): void {
  const aPanelBytes = <usize>kc << 4;
  const bPanelBytes = <usize>kc << 5;
  const rowBytes = <usize>ldc << 2;
  let bPanel = b;
  for (let j0 = 0; j0 < cols; j0 += 8, bPanel += bPanelBytes) {
    let aPanel = a;
    for (let i0 = 0; i0 < rows; i0 += 4, aPanel += aPanelBytes) {
      let pa = aPanel;
      let pb = bPanel;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let p = kc; // ≥ 1: a bottom-tested count-down loop, as in gemm.ts
      do {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(s, b0));
        c01 = f32x4.add(c01, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 4);
        c10 = f32x4.add(c10, f32x4.mul(s, b0));
        c11 = f32x4.add(c11, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 8);
        c20 = f32x4.add(c20, f32x4.mul(s, b0));
        c21 = f32x4.add(c21, f32x4.mul(s, b1));
        s = v128.load32_splat(pa, 12);
        c30 = f32x4.add(c30, f32x4.mul(s, b0));
        c31 = f32x4.add(c31, f32x4.mul(s, b1));
        pa += 16;
        pb += 32;
      } while (--p > 0);
      const t = c + ((<usize>i0 * ldc + j0) << 2);
      storeRow32(t, c00, c01, accumulate);
      storeRow32(t + rowBytes, c10, c11, accumulate);
      storeRow32(t + 2 * rowBytes, c20, c21, accumulate);
      storeRow32(t + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}

/** Stores (or adds) 8 consecutive f32 held in two vectors at `p`. */
// @ts-expect-error: decorator
@inline export function storeRow32(p: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = f32x4.add(lo, v128.load(p));
    hi = f32x4.add(hi, v128.load(p, 16));
  }
  v128.store(p, lo);
  v128.store(p, hi, 16);
}
