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
 * Packs one batch of a gradient, compact [O, positions] at src, into
 * 4-channel tiles for convWeightGrad: tile t, at dst + t·tileStride
 * (bytes), holds every position's channels 4t..4t+3, zeros past O.
 */
export function packChannelTiles(src: usize, channels: i32, positions: i32, dst: usize, tileStride: i32): void {
  const plane = <usize>positions << 3;
  for (let t = 0; t < channels; t += 4) {
    const rows = min(4, channels - t);
    let d = dst + <usize>(t >> 2) * tileStride;
    let s = src + <usize>t * plane;
    for (let q = 0; q < positions; q++, d += 32, s += 8) {
      if (rows === 4) {
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
