/**
 * Convolution micro-kernels, as implicit GEMMs on a zero-padded input (see
 * src/simd/ and fast-conv's simd glue for the staging around them).
 *
 * The padded input of one batch is [C, hp, wp] float64; a position q is an
 * element offset y·wp + x from the anchor `x` (the input's (top, left) in
 * the padded copy), and a tap r = (c, ky, kx) is a byte offset tap[r] =
 * 8·(c·hp·wp ± (ky·wp + kx)) ("+" forward, "−" reverse-anchored). Positions
 * run over the padded width, so 4 consecutive positions are 4 consecutive
 * elements; those with x ≥ out width are computed and never copied out.
 * All addresses are byte offsets in this thread's memory.
 */
import { storeRow } from "./gemm";

/**
 * out[o, q] (+)= Σ_r w[o, r] · x[q + tap[r]] for q in [0, nPos) (a multiple
 * of 4) and o in [0, 4·oTiles).
 *
 * w is packed [oTiles][nTaps][4] (4 output channels per tap); out is
 * [4·oTiles][ldo]. A 4×4 tile (4 channels × 4 positions) lives in 8 f64x2
 * registers; per tap the kernel loads 2 vectors of input and splats 4
 * weights: 32 flops for 6 loads and one tap offset.
 */
export function convForward(x: usize, taps: usize, nTaps: i32, w: usize, oTiles: i32, out: usize, ldo: i32, nPos: i32, accumulate: bool): void {
  const tileBytes = <usize>nTaps << 5;
  const rowBytes = <usize>ldo << 3;
  for (let q0 = 0; q0 < nPos; q0 += 4) {
    const xq = x + (<usize>q0 << 3);
    let wTile = w;
    let o = out + (<usize>q0 << 3);
    for (let t = 0; t < oTiles; t++, wTile += tileBytes, o += rowBytes << 2) {
      let pw = wTile;
      let pt = taps;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let r = nTaps; // ≥ 1: a bottom-tested count-down loop, as in gemm.ts
      do {
        const px = xq + <usize>load<i32>(pt);
        const x0 = v128.load(px);
        const x1 = v128.load(px, 16);
        let s = v128.load64_splat(pw);
        c00 = f64x2.add(c00, f64x2.mul(s, x0));
        c01 = f64x2.add(c01, f64x2.mul(s, x1));
        s = v128.load64_splat(pw, 8);
        c10 = f64x2.add(c10, f64x2.mul(s, x0));
        c11 = f64x2.add(c11, f64x2.mul(s, x1));
        s = v128.load64_splat(pw, 16);
        c20 = f64x2.add(c20, f64x2.mul(s, x0));
        c21 = f64x2.add(c21, f64x2.mul(s, x1));
        s = v128.load64_splat(pw, 24);
        c30 = f64x2.add(c30, f64x2.mul(s, x0));
        c31 = f64x2.add(c31, f64x2.mul(s, x1));
        pw += 32;
        pt += 4;
      } while (--r > 0);
      storeRow(o, c00, c01, accumulate);
      storeRow(o + rowBytes, c10, c11, accumulate);
      storeRow(o + 2 * rowBytes, c20, c21, accumulate);
      storeRow(o + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}

/**
 * The weight gradient summed over nBatch batches:
 *   dw[r, o] (+)= Σ_b Σ_{y, x} dy_b[o, y, x] · x_b[(y, x) + tap[r]]
 * for r in [0, 4·rTiles) and o in [0, 4·oTiles), over `rows` × `cols`
 * positions (the output's own: rows start `wp` elements apart in the
 * padded input, and the columns past `cols` are skipped, so an input value
 * read only from there — the next row's first columns — never enters a
 * sum, not even multiplied by 0, which would turn ±Infinity into NaN).
 *
 * Batch b's padded input is anchored at x + b·xStride; dy is packed
 * [oTiles][nBatch][rows·cols][4]; dw is [4·rTiles][ldw] (tap-major, so 4
 * channels are one row segment). A 4×4 tile (4 taps × 4 channels) lives in
 * 8 registers; per position the kernel loads 2 vectors of dy and splats 4
 * inputs, one per tap.
 */
export function convWeightGrad(
  x: usize,
  xStride: i32,
  nBatch: i32,
  taps: usize,
  rTiles: i32,
  dy: usize,
  rows: i32,
  cols: i32,
  wp: i32,
  oTiles: i32,
  dw: usize,
  ldw: i32,
  accumulate: bool,
): void {
  const dyTileBytes = (<usize>nBatch * rows * cols) << 5;
  const rowBytes = <usize>ldw << 3;
  const wpBytes = <usize>wp << 3;
  let dyTile = dy;
  for (let t = 0; t < oTiles; t++, dyTile += dyTileBytes) {
    for (let rt = 0; rt < rTiles; rt++) {
      const pt = taps + (<usize>rt << 4);
      const t0 = <usize>load<i32>(pt), t1 = <usize>load<i32>(pt, 4), t2 = <usize>load<i32>(pt, 8), t3 = <usize>load<i32>(pt, 12);
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let pd = dyTile;
      let xb = x;
      for (let b = 0; b < nBatch; b++, xb += <usize>xStride) {
        let row = xb;
        for (let y = 0; y < rows; y++, row += wpBytes) {
          let p0 = row + t0, p1 = row + t1, p2 = row + t2, p3 = row + t3;
          let q = cols; // ≥ 1: a bottom-tested count-down loop, as in gemm.ts
          do {
            const d0 = v128.load(pd);
            const d1 = v128.load(pd, 16);
            let s = v128.load64_splat(p0);
            c00 = f64x2.add(c00, f64x2.mul(s, d0));
            c01 = f64x2.add(c01, f64x2.mul(s, d1));
            s = v128.load64_splat(p1);
            c10 = f64x2.add(c10, f64x2.mul(s, d0));
            c11 = f64x2.add(c11, f64x2.mul(s, d1));
            s = v128.load64_splat(p2);
            c20 = f64x2.add(c20, f64x2.mul(s, d0));
            c21 = f64x2.add(c21, f64x2.mul(s, d1));
            s = v128.load64_splat(p3);
            c30 = f64x2.add(c30, f64x2.mul(s, d0));
            c31 = f64x2.add(c31, f64x2.mul(s, d1));
            pd += 32;
            p0 += 8;
            p1 += 8;
            p2 += 8;
            p3 += 8;
          } while (--q > 0);
        }
      }
      const o = dw + ((<usize>(rt << 2) * ldw + (t << 2)) << 3);
      storeRow(o, c00, c01, accumulate);
      storeRow(o + rowBytes, c10, c11, accumulate);
      storeRow(o + 2 * rowBytes, c20, c21, accumulate);
      storeRow(o + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}
