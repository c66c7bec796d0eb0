/**
 * Tasks 4.3 and 4.4: tiling and 2-D pooling.
 */
import { IndexingError, type Tensor } from "@minitorch/tensor-core";
import { max } from "./reductions.js";

function check4d(input: Tensor, kernel: readonly [number, number], op: string): [number, number, number, number] {
  if (input.dims !== 4) {
    throw new IndexingError(`${op}: input must be 4-D [batch, channel, height, width], got shape [${input.shape.join(", ")}]`);
  }
  const [kh, kw] = kernel;
  if (!Number.isInteger(kh) || !Number.isInteger(kw) || kh < 1 || kw < 1) {
    throw new IndexingError(`${op}: kernel must be two positive integers, got [${kernel.join(", ")}]`);
  }
  const [batch, channel, height, width] = input.shape as [number, number, number, number];
  if (height % kh !== 0 || width % kw !== 0) {
    throw new IndexingError(`${op}: kernel ${kh}×${kw} must divide the input's height and width, got ${height}×${width}`);
  }
  return [batch, channel, height, width];
}

/**
 * Reshapes an image batch for 2-D pooling:
 * [batch, channel, height, width] → [batch, channel, height/kh, width/kw, kh·kw],
 * so each pooling window lies along the last dimension. Views plus one
 * contiguous copy; differentiable.
 *
 * @returns the tiled tensor, the new height and the new width.
 */
export function tile(input: Tensor, kernel: readonly [number, number]): [Tensor, number, number] {
  const [batch, channel, height, width] = check4d(input, kernel, "tile");
  const [kh, kw] = kernel;
  // BEGIN ASSIGN4.3
  const newHeight = height / kh;
  const newWidth = width / kw;
  const tiled = input
    .contiguous()
    .view(batch, channel, newHeight, kh, newWidth, kw)
    .permute(0, 1, 2, 4, 3, 5)
    .contiguous()
    .view(batch, channel, newHeight, newWidth, kh * kw);
  return [tiled, newHeight, newWidth];
  // END ASSIGN4.3
}

/** Average pooling over kh×kw windows: [B, C, H, W] → [B, C, H/kh, W/kw]. */
export function avgpool2d(input: Tensor, kernel: readonly [number, number]): Tensor {
  const [batch, channel] = check4d(input, kernel, "avgpool2d");
  if (input.backend.ops.kernels !== "course") return windowMean(input, kernel);
  // BEGIN ASSIGN4.3
  const [tiled, newHeight, newWidth] = tile(input, kernel);
  return tiled.mean(4).view(batch, channel, newHeight, newWidth);
  // END ASSIGN4.3
}

/**
 * avgpool2d as a library does it (on the backends with the library's
 * kernels), without tile's copies: a contiguous input viewed as
 * [B·C·H/kh, kh, W] sums over kh (rows of W contiguous values), and the
 * result viewed as [B·C·H/kh·W/kw, kw] sums over kw. Their backward
 * broadcasts the gradient back in two passes where tile's view chain
 * copies it twice; few dimensions keep the loops' index arithmetic rare.
 */
function windowMean(input: Tensor, [kh, kw]: readonly [number, number]): Tensor {
  const [batch, channel, height, width] = input.shape as [number, number, number, number];
  const [newHeight, newWidth] = [height / kh, width / kw];
  const rows = input.contiguous().view(batch * channel * newHeight, kh, width).sum(1);
  const sums = rows.view(batch * channel * newHeight * newWidth, kw).sum(1);
  return sums.view(batch, channel, newHeight, newWidth).div(kh * kw);
}

/** Max pooling over kh×kw windows: [B, C, H, W] → [B, C, H/kh, W/kw]. */
export function maxpool2d(input: Tensor, kernel: readonly [number, number]): Tensor {
  const [batch, channel] = check4d(input, kernel, "maxpool2d");
  // BEGIN ASSIGN4.4
  const [tiled, newHeight, newWidth] = tile(input, kernel);
  return max(tiled, 4).view(batch, channel, newHeight, newWidth);
  // END ASSIGN4.4
}
