/**
 * Task 4.2: 2-D convolution, exactly as minitorch defines it.
 *
 *   input  [batch, in_channels, height, width]
 *   weight [out_channels, in_channels, k_height, k_width]
 *   output [batch, out_channels, height, width]
 *
 *   out[b, o, y, x] = Σ_{c, i, j} in[b, c, y + i, x + j] · w[o, c, i, j]
 *
 * reading 0 past the bottom and right edges (weight anchored top-left). With
 * `reverse` the weight is anchored bottom-right: in[b, c, y − i, x − j],
 * 0 before the top and left edges.
 *
 * Weight anchoring, for a 2×2 kernel at output (y, x):
 *
 *   forward            reverse
 *   [y,x]  [y,x+1]     [y-1,x-1] [y-1,x]
 *   [y+1,x][y+1,x+1]   [y,x-1]   [y,x]
 */
import type { Context } from "@minitorch/autodiff";
import { IndexingError, TensorFunction, emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convKernelsOf } from "./backendConv.js";
import { convolve4, convolveOn } from "./convolve.js";
import type { ConvGeometry } from "./implicitGemm.js";

type Strides4 = [number, number, number, number];

/**
 * The 2-D convolution kernel with minitorch's arguments. `outShape` may
 * differ from the input's height and width (the weight-gradient pass).
 */
export function tensorConv2d(
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  outSize: number,
  input: Float64Array,
  inputShape: Int32Array,
  inputStrides: Int32Array,
  weight: Float64Array,
  weightShape: Int32Array,
  weightStrides: Int32Array,
  reverse: boolean,
): void {
  const g = geometry2d(outShape, inputShape, weightShape);
  if (outSize !== g.batch * g.outChannels * g.outHeight * g.outWidth) {
    throw new IndexingError(`tensorConv2d: outSize ${outSize} does not match out shape [${Array.from(outShape).join(", ")}]`);
  }
  // BEGIN ASSIGN4.2
  convolve4(
    { storage: out, strides: Array.from(outStrides) as Strides4 },
    { storage: input, strides: Array.from(inputStrides) as Strides4 },
    { storage: weight, strides: Array.from(weightStrides) as Strides4 },
    g,
    reverse,
    (kernel, args, work) => kernel.fn(...args, 0, work),
  );
  // END ASSIGN4.2
}

function geometry2d(outShape: ArrayLike<number>, inputShape: ArrayLike<number>, weightShape: ArrayLike<number>): ConvGeometry {
  const [batch, outChannels, outHeight, outWidth] = [outShape[0]!, outShape[1]!, outShape[2]!, outShape[3]!];
  const [batch2, inChannels, height, width] = [inputShape[0]!, inputShape[1]!, inputShape[2]!, inputShape[3]!];
  const [outChannels2, inChannels2, kh, kw] = [weightShape[0]!, weightShape[1]!, weightShape[2]!, weightShape[3]!];
  if (batch !== batch2 || outChannels !== outChannels2 || inChannels !== inChannels2) {
    throw new IndexingError(
      `tensorConv2d: shapes do not fit: out [${Array.from(outShape).join(", ")}], input [${Array.from(inputShape).join(", ")}], weight [${Array.from(weightShape).join(", ")}]`,
    );
  }
  return { batch, inChannels, height, width, outChannels, kh, kw, outHeight, outWidth };
}

/** Checks conv2d's operands, naming the op and both shapes on failure. */
export function checkConv2d(input: Tensor, weight: Tensor): void {
  const shapes = `input [${input.shape.join(", ")}], weight [${weight.shape.join(", ")}]`;
  if (input.dims !== 4) {
    throw new IndexingError(`conv2d: input must be 4-D [batch, in_channels, height, width], got shape [${input.shape.join(", ")}]`);
  }
  if (weight.dims !== 4) {
    throw new IndexingError(
      `conv2d: weight must be 4-D [out_channels, in_channels, kernel_height, kernel_width], got shape [${weight.shape.join(", ")}]`,
    );
  }
  if (input.shape.some((s) => s < 1) || weight.shape.some((s) => s < 1)) {
    throw new IndexingError(`conv2d: every size must be at least 1, got ${shapes}`);
  }
  if (input.shape[1] !== weight.shape[1]) {
    throw new IndexingError(`conv2d: input has ${input.shape[1]} channels but weight expects ${weight.shape[1]} (${shapes})`);
  }
  if (weight.shape[2]! > input.shape[2]! || weight.shape[3]! > input.shape[3]!) {
    throw new IndexingError(
      `conv2d: kernel ${weight.shape[2]}×${weight.shape[3]} is larger than the input ${input.shape[2]}×${input.shape[3]} (${shapes})`,
    );
  }
}

/** out ← conv2d(input, weight) for 4-D views of any strides, on `out`'s backend. */
function conv2dInto(out: Tensor, input: Tensor, weight: Tensor, reverse: boolean): void {
  const own = convKernelsOf(out.backend);
  if (own.conv2d !== undefined) {
    own.conv2d(out, input, weight, reverse);
    return;
  }
  convolveOn(
    out.backend,
    { storage: out.storage, strides: out.strides as Strides4 },
    { storage: input.storage, strides: input.strides as Strides4 },
    { storage: weight.storage, strides: weight.strides as Strides4 },
    geometry2d(out.shape, input.shape, weight.shape),
    reverse,
  );
}

/** 2-D convolution as a differentiable function. */
export class Conv2dFun extends TensorFunction {
  static override forward(ctx: Context, input: Tensor, weight: Tensor): Tensor {
    checkConv2d(input, weight);
    ctx.saveForBackward(input, weight);
    const [batch, , height, width] = input.shape as [number, number, number, number];
    const out = emptyTensor([batch, weight.shape[0]!, height, width], input.backend);
    conv2dInto(out, input, weight, false);
    return out;
  }

  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [input, weight] = ctx.saved<[Tensor, Tensor]>();
    const [batch, inChannels, height, width] = input.shape as [number, number, number, number];
    const [outChannels, , kh, kw] = weight.shape as [number, number, number, number];
    const [needInput, needWeight] = ctx.needsInputGrad;
    // BEGIN ASSIGN4.2
    let gradWeight = grad;
    if (needWeight !== false) {
      const g = emptyTensor([inChannels, outChannels, kh, kw], grad.backend);
      conv2dInto(g, input.permute(1, 0, 2, 3), grad.permute(1, 0, 2, 3), false);
      gradWeight = g.permute(1, 0, 2, 3);
    }
    let gradInput = grad;
    if (needInput !== false) {
      gradInput = emptyTensor([batch, inChannels, height, width], grad.backend);
      conv2dInto(gradInput, grad, weight.permute(1, 0, 2, 3), true);
    }
    return [gradInput, gradWeight];
    // END ASSIGN4.2
  }
}

/**
 * 2-D convolution: input [batch, in_channels, height, width] ⋆ weight
 * [out_channels, in_channels, k_height, k_width] → [batch, out_channels, height, width].
 */
export function conv2d(input: Tensor, weight: Tensor): Tensor {
  return Conv2dFun.apply(input, weight);
}
