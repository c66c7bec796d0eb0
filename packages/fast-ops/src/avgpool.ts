/**
 * avgpool2d as a library does it, registered for FastBackend and
 * PlainBackend: without tile's copies, a contiguous input viewed as
 * [B·C·H/kh, kh, W] sums over kh (rows of W contiguous values), and the
 * result viewed as [B·C·H/kh·W/kw, kw] sums over kw. Their backward
 * broadcasts the gradient back in two passes where tile's view chain
 * copies it twice; few dimensions keep the loops' index arithmetic rare.
 */
import type { Tensor } from "@minitorch/tensor-core";

/** The mean of each kh×kw window of a [B, C, H, W] tensor whose H and W the window divides. */
export function windowMean(input: Tensor, [kh, kw]: readonly [number, number]): Tensor {
  const [batch, channel, height, width] = input.shape as [number, number, number, number];
  const [newHeight, newWidth] = [height / kh, width / kw];
  const rows = input.contiguous().view(batch * channel * newHeight, kh, width).sum(1);
  const sums = rows.view(batch * channel * newHeight * newWidth, kw).sum(1);
  return sums.view(batch, channel, newHeight, newWidth).div(kh * kw);
}
