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

/**
 * conv.ts's convWeightGrad in float32, with 8 output channels per tile:
 *   dw[r, o] (+)= Σ_b Σ_{y, x} dy_b[o, y, x] · x_b[(y, x) + tap[r]]
 * for r in [0, 4·rTiles) and o in [0, 8·oTiles). dy is packed
 * [oTiles][nBatch][rows·cols][8]; dw is [4·rTiles][ldw]. A 4×8 tile (4 taps
 * × 8 channels) lives in 8 f32x4 registers; per position the kernel loads 2
 * vectors of dy and splats 4 inputs, one per tap. Tap offsets are bytes
 * (4 per element); the rest is as in conv.ts.
 */
export function convWeightGrad32(
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
  const rowBytes = <usize>ldw << 2;
  const wpBytes = <usize>wp << 2;
  let dyTile = dy;
  for (let t = 0; t < oTiles; t++, dyTile += dyTileBytes) {
    for (let rt = 0; rt < rTiles; rt++) {
      const pt = taps + (<usize>rt << 4);
      const t0 = <usize>load<i32>(pt), t1 = <usize>load<i32>(pt, 4), t2 = <usize>load<i32>(pt, 8), t3 = <usize>load<i32>(pt, 12);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
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
            let s = v128.load32_splat(p0);
            c00 = f32x4.add(c00, f32x4.mul(s, d0));
            c01 = f32x4.add(c01, f32x4.mul(s, d1));
            s = v128.load32_splat(p1);
            c10 = f32x4.add(c10, f32x4.mul(s, d0));
            c11 = f32x4.add(c11, f32x4.mul(s, d1));
            s = v128.load32_splat(p2);
            c20 = f32x4.add(c20, f32x4.mul(s, d0));
            c21 = f32x4.add(c21, f32x4.mul(s, d1));
            s = v128.load32_splat(p3);
            c30 = f32x4.add(c30, f32x4.mul(s, d0));
            c31 = f32x4.add(c31, f32x4.mul(s, d1));
            pd += 32;
            p0 += 4;
            p1 += 4;
            p2 += 4;
            p3 += 4;
          } while (--q > 0);
        }
      }
      const o = dw + ((<usize>(rt << 2) * ldw + (t << 3)) << 2);
      storeRow32(o, c00, c01, accumulate);
      storeRow32(o + rowBytes, c10, c11, accumulate);
      storeRow32(o + 2 * rowBytes, c20, c21, accumulate);
      storeRow32(o + 3 * rowBytes, c30, c31, accumulate);
    }
  }
}

/**
 * stage.ts's packChannelTiles in float32 with 8-channel tiles: compact
 * [O, positions] at src into tiles at dst + t·tileStride (bytes), each
 * position's channels 8t..8t+7, zeros past O.
 */
export function packChannelTiles32(src: usize, channels: i32, positions: i32, dst: usize, tileStride: i32): void {
  const plane = <usize>positions << 2;
  for (let t = 0; t < channels; t += 8) {
    const rows = min(8, channels - t);
    let d = dst + <usize>(t >> 3) * tileStride;
    let s = src + <usize>t * plane;
    for (let q = 0; q < positions; q++, d += 32, s += 4) {
      for (let j = 0; j < 8; j++) store<f32>(d + (<usize>j << 2), j < rows ? load<f32>(s + <usize>j * plane) : 0);
    }
  }
}
