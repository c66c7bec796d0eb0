/**
 * The float32 convolution micro-kernel, the f32x4 counterpart of conv.ts's
 * convForward (the scheme is explained there): the padded input of one
 * batch is [C, hp, wp] float32, a tap is a byte offset 4·(c·hp·wp ±
 * (ky·wp + kx)), and 8 consecutive positions are 8 consecutive elements.
 */
import { storeRow32 } from "./gemm32";

/**
 * out[o, q] (+)= Σ_r w[o, r] · x[q + tap[r]] for q in [0, nPos) (a multiple
 * of 8) and o in [0, 4·oTiles), in float32.
 *
 * w is packed [oTiles][nTaps][4] (4 output channels per tap); out is
 * [4·oTiles][ldo]. A 4×8 tile (4 channels × 8 positions) lives in 8 f32x4
 * registers; per tap the kernel loads 2 vectors of input and splats 4
 * weights: 64 flops for 6 loads and one tap offset.
 */
export function convForward32(x: usize, taps: usize, nTaps: i32, w: usize, oTiles: i32, out: usize, ldo: i32, nPos: i32, accumulate: bool): void {
  const tileBytes = <usize>nTaps << 4;
  const rowBytes = <usize>ldo << 2;
  for (let q0 = 0; q0 < nPos; q0 += 8) {
    const xq = x + (<usize>q0 << 2);
    let wTile = w;
    let o = out + (<usize>q0 << 2);
    for (let t = 0; t < oTiles; t++, wTile += tileBytes, o += rowBytes << 2) {
      let pw = wTile;
      let pt = taps;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let r = nTaps; // ≥ 1: a bottom-tested count-down loop, as in gemm.ts
      do {
        const px = xq + <usize>load<i32>(pt);
        const x0 = v128.load(px);
        const x1 = v128.load(px, 16);
        let s = v128.load32_splat(pw);
        c00 = f32x4.add(c00, f32x4.mul(s, x0));
        c01 = f32x4.add(c01, f32x4.mul(s, x1));
        s = v128.load32_splat(pw, 4);
        c10 = f32x4.add(c10, f32x4.mul(s, x0));
        c11 = f32x4.add(c11, f32x4.mul(s, x1));
        s = v128.load32_splat(pw, 8);
        c20 = f32x4.add(c20, f32x4.mul(s, x0));
        c21 = f32x4.add(c21, f32x4.mul(s, x1));
        s = v128.load32_splat(pw, 12);
        c30 = f32x4.add(c30, f32x4.mul(s, x0));
        c31 = f32x4.add(c31, f32x4.mul(s, x1));
        pw += 16;
        pt += 4;
      } while (--r > 0);
      storeRow32(o, c00, c01, accumulate);
      storeRow32(o + rowBytes, c10, c11, accumulate);
      storeRow32(o + 2 * rowBytes, c20, c21, accumulate);
      storeRow32(o + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}

/** stage.ts's copyRows for float32 rows: `width` f32 per row, strides in elements. */
export function copyRows32(
  src: usize,
  srcPlane: i32,
  srcRow: i32,
  dst: usize,
  dstPlane: i32,
  dstRow: i32,
  planes: i32,
  rows: i32,
  width: i32,
): void {
  const vecEnd = <usize>(width & ~3) << 2;
  const tail = width & 3;
  for (let p = 0; p < planes; p++) {
    let s = src + ((<usize>p * srcPlane) << 2);
    let d = dst + ((<usize>p * dstPlane) << 2);
    for (let r = 0; r < rows; r++, s += <usize>srcRow << 2, d += <usize>dstRow << 2) {
      for (let i: usize = 0; i < vecEnd; i += 16) v128.store(d + i, v128.load(s + i));
      for (let i = 0; i < tail; i++) store<f32>(d + vecEnd + (<usize>i << 2), load<f32>(s + vecEnd + (<usize>i << 2)));
    }
  }
}
