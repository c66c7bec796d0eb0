/**
 * Tasks 4.3 and 4.4: tiling and 2-D pooling.
 */
import { ANY_BACKEND, CompositeFunction, DTYPES, IndexingError, kernelFor, registerKernel, type Tensor } from "@minitorch/tensor-core";
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

/**
 * Average pooling over kh×kw windows: [B, C, H, W] → [B, C, H/kh, W/kw].
 * Recorded as one AvgPool2d node on every backend; the backend's
 * registered "avgpool2d" kernel computes it (the course's by default).
 */
export function avgpool2d(input: Tensor, kernel: readonly [number, number]): Tensor {
  check4d(input, kernel, "avgpool2d");
  return AvgPool2d.apply(input, [kernel[0], kernel[1]]);
}

/** Task 4.3's avgpool2d: the mean of each window of `tile`. The "avgpool2d" kernel of every backend without its own. */
export function tileMean(input: Tensor, kernel: readonly [number, number]): Tensor {
  const [batch, channel] = input.shape as [number, number];
  // BEGIN ASSIGN4.3
  const [tiled, newHeight, newWidth] = tile(input, kernel);
  return tiled.mean(4).view(batch, channel, newHeight, newWidth);
  // END ASSIGN4.3
}

// tile and mean are tensor ops, which keep the dtype.
registerKernel("avgpool2d", ANY_BACKEND, tileMean, DTYPES);

/** Average pooling as one graph node, whatever composition the backend's kernel records inside it. */
export class AvgPool2d extends CompositeFunction {
  static override compose(input: Tensor, kernel: readonly [number, number]): Tensor {
    return kernelFor("avgpool2d", input.backend, input.dtype)(input, kernel);
  }
}

/**
 * Max pooling over kh×kw windows: [B, C, H, W] → [B, C, H/kh, W/kw],
 * recorded as one MaxPool2d node.
 */
export function maxpool2d(input: Tensor, kernel: readonly [number, number]): Tensor {
  check4d(input, kernel, "maxpool2d");
  return MaxPool2d.apply(input, [kernel[0], kernel[1]]);
}

/** Max pooling as one graph node: Task 4.4's composition inside it. */
export class MaxPool2d extends CompositeFunction {
  static override compose(input: Tensor, kernel: readonly [number, number]): Tensor {
    const [batch, channel] = input.shape as [number, number];
    // BEGIN ASSIGN4.4
    const [tiled, newHeight, newWidth] = tile(input, kernel);
    return max(tiled, 4).view(batch, channel, newHeight, newWidth);
    // END ASSIGN4.4
  }
}
