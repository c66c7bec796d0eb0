/**
 * The matmul micro-kernel on packed panels (see src/simd/matmul.ts for the
 * packing and the blocking around it).
 *
 *   C[rows × cols] (+)= A[rows × kc] · B[kc × cols]
 *
 * A is packed in panels of 4 rows: for each of its rows/4 panels, kc groups
 * of 4 values (a[i0..i0+3][p]); B in panels of 4 columns: for each of its
 * cols/4 panels, kc groups of 4 values (b[p][j0..j0+3]). rows and cols are
 * multiples of 4 (packing pads with zeros). C is row-major with ldc
 * elements per row. All addresses are byte offsets in this thread's memory.
 *
 * Each 4×4 tile of C lives in 8 f64x2 registers (2 per row); per step p the
 * kernel loads 2 vectors of B, splats the 4 values of A, and does 8
 * multiplies and 8 adds — 32 flops for 6 loads.
 */
export function gemmBlock(a: usize, b: usize, c: usize, rows: i32, cols: i32, kc: i32, ldc: i32, accumulate: bool): void {
  const panelBytes = <usize>kc << 5;
  const rowBytes = <usize>ldc << 3;
  let bPanel = b;
  for (let j0 = 0; j0 < cols; j0 += 4, bPanel += panelBytes) {
    let aPanel = a;
    for (let i0 = 0; i0 < rows; i0 += 4, aPanel += panelBytes) {
      let pa = aPanel;
      let pb = bPanel;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      // A bottom-tested count-down loop: measured ~5% faster than `for (p < kc)` (kc ≥ 1 here).
      let p = kc;
      do {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        let s = v128.load64_splat(pa);
        c00 = f64x2.add(c00, f64x2.mul(s, b0));
        c01 = f64x2.add(c01, f64x2.mul(s, b1));
        s = v128.load64_splat(pa, 8);
        c10 = f64x2.add(c10, f64x2.mul(s, b0));
        c11 = f64x2.add(c11, f64x2.mul(s, b1));
        s = v128.load64_splat(pa, 16);
        c20 = f64x2.add(c20, f64x2.mul(s, b0));
        c21 = f64x2.add(c21, f64x2.mul(s, b1));
        s = v128.load64_splat(pa, 24);
        c30 = f64x2.add(c30, f64x2.mul(s, b0));
        c31 = f64x2.add(c31, f64x2.mul(s, b1));
        pa += 32;
        pb += 32;
      } while (--p > 0);
      const t = c + ((<usize>i0 * ldc + j0) << 3);
      storeRow(t, c00, c01, accumulate);
      storeRow(t + rowBytes, c10, c11, accumulate);
      storeRow(t + 2 * rowBytes, c20, c21, accumulate);
      storeRow(t + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}

/** Stores (or adds) 4 consecutive f64 held in two vectors at `p`. */
// @ts-expect-error: decorator
@inline export function storeRow(p: usize, lo: v128, hi: v128, accumulate: bool): void {
  if (accumulate) {
    lo = f64x2.add(lo, v128.load(p));
    hi = f64x2.add(hi, v128.load(p, 16));
  }
  v128.store(p, lo);
  v128.store(p, hi, 16);
}
