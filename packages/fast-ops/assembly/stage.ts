/**
 * Copies inside this thread's memory that stage a kernel's operands and
 * results: the JavaScript side moves whole contiguous blocks between a
 * tensor's storage and wasm memory (one `set`, a memcpy), and these lay
 * them out for the kernels. Addresses are byte offsets.
 */

/**
 * For p < planes, r < rows: copies `width` f64 from src + p·srcPlane +
 * r·srcRow to dst + p·dstPlane + r·dstRow (strides in elements). Pads an
 * input into its zero-bordered copy, or drops the junk columns of a
 * convolution's stage.
 */
export function copyRows(
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
  const vecEnd = <usize>(width & ~1) << 3;
  const odd = (width & 1) !== 0;
  for (let p = 0; p < planes; p++) {
    let s = src + ((<usize>p * srcPlane) << 3);
    let d = dst + ((<usize>p * dstPlane) << 3);
    for (let r = 0; r < rows; r++, s += <usize>srcRow << 3, d += <usize>dstRow << 3) {
      for (let i: usize = 0; i < vecEnd; i += 16) v128.store(d + i, v128.load(s + i));
      if (odd) store<f64>(d + vecEnd, load<f64>(s + vecEnd));
    }
  }
}

/**
 * Packs one batch of a gradient, compact [O, OH, OW] at src, into 4-channel
 * tiles for convWeightGrad: for tile t, dst + t·tileStride (bytes) gets
 * positions q = y·wp + x (q < (OH−1)·wp + OW) of 4 f64 each, channels
 * 4t..4t+3, with zeros for x ≥ OW and channels ≥ O.
 */
export function packChannelTiles(src: usize, channels: i32, outHeight: i32, outWidth: i32, wp: i32, dst: usize, tileStride: i32): void {
  const plane = <usize>(outHeight * outWidth) << 3;
  const zero = f64x2.splat(0);
  for (let t = 0; t < channels; t += 4) {
    const rows = min(4, channels - t);
    let d = dst + <usize>(t >> 2) * tileStride;
    const s0 = src + <usize>t * plane;
    for (let y = 0; y < outHeight; y++) {
      const width = y === outHeight - 1 ? outWidth : wp;
      let s = s0 + ((<usize>(y * outWidth)) << 3);
      for (let x = 0; x < width; x++, d += 32, s += 8) {
        if (x >= outWidth) {
          v128.store(d, zero);
          v128.store(d, zero, 16);
        } else if (rows === 4) {
          store<f64>(d, load<f64>(s));
          store<f64>(d, load<f64>(s + plane), 8);
          store<f64>(d, load<f64>(s + 2 * plane), 16);
          store<f64>(d, load<f64>(s + 3 * plane), 24);
        } else {
          for (let j = 0; j < 4; j++) store<f64>(d + (<usize>j << 3), j < rows ? load<f64>(s + <usize>j * plane) : 0);
        }
      }
    }
  }
}
