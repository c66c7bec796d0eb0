/**
 * Task 4.1: 1-D convolution, exactly as minitorch defines it.
 *
 *   input  [batch, in_channels, width]
 *   weight [out_channels, in_channels, k_width]
 *   output [batch, out_channels, width]
 *
 *   out[b, o, x] = Σ_{c, k} in[b, c, x + k] · w[o, c, k]   (0 past the right edge)
 *
 * With `reverse` the weight is anchored at the right instead:
 *   out[b, o, x] = Σ_{c, k} in[b, c, x − k] · w[o, c, k]   (0 before the left edge)
 *
 * The backward pass reuses the same kernel on permuted views: the weight
 * gradient convolves the input (channels and batch swapped) with the output
 * gradient, and the input gradient convolves the output gradient with the
 * weight in reverse.
 */
import type { Context } from "@minitorch/autodiff";
import { IndexingError, TensorFunction, emptyTensor, type Tensor } from "@minitorch/tensor-core";
import { convKernelsOf } from "./backendConv.js";
import { convolve4, convolveOn } from "./convolve.js";
import type { ConvGeometry } from "./implicitGemm.js";

/**
 * The 1-D convolution kernel with minitorch's arguments. `outShape` may
 * differ from the input's width (the weight-gradient pass writes `k_width`
 * positions while convolving with a kernel as wide as the input).
 */
export function tensorConv1d(
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
  const g = geometry1d(outShape, inputShape, weightShape);
  if (outSize !== g.batch * g.outChannels * g.outWidth) {
    throw new IndexingError(`tensorConv1d: outSize ${outSize} does not match out shape [${Array.from(outShape).join(", ")}]`);
  }
  // BEGIN ASSIGN4.1
  convolve4(
    { storage: out, strides: [outStrides[0]!, outStrides[1]!, 0, outStrides[2]!] },
    { storage: input, strides: [inputStrides[0]!, inputStrides[1]!, 0, inputStrides[2]!] },
    { storage: weight, strides: [weightStrides[0]!, weightStrides[1]!, 0, weightStrides[2]!] },
    g,
    reverse,
    (kernel, args, work) => kernel.fn(...args, 0, work),
  );
  // END ASSIGN4.1
}

function geometry1d(outShape: ArrayLike<number>, inputShape: ArrayLike<number>, weightShape: ArrayLike<number>): ConvGeometry {
  const [batch, outChannels, outWidth] = [outShape[0]!, outShape[1]!, outShape[2]!];
  const [batch2, inChannels, width] = [inputShape[0]!, inputShape[1]!, inputShape[2]!];
  const [outChannels2, inChannels2, kw] = [weightShape[0]!, weightShape[1]!, weightShape[2]!];
  if (batch !== batch2 || outChannels !== outChannels2 || inChannels !== inChannels2) {
    throw new IndexingError(
      `tensorConv1d: shapes do not fit: out [${Array.from(outShape).join(", ")}], input [${Array.from(inputShape).join(", ")}], weight [${Array.from(weightShape).join(", ")}]`,
    );
  }
  return { batch, inChannels, height: 1, width, outChannels, kh: 1, kw, outHeight: 1, outWidth };
}

/** Checks conv1d's operands, naming the op and both shapes on failure. */
export function checkConv1d(input: Tensor, weight: Tensor): void {
  const shapes = `input [${input.shape.join(", ")}], weight [${weight.shape.join(", ")}]`;
  if (input.dims !== 3) {
    throw new IndexingError(`conv1d: input must be 3-D [batch, in_channels, width], got shape [${input.shape.join(", ")}]`);
  }
  if (weight.dims !== 3) {
    throw new IndexingError(`conv1d: weight must be 3-D [out_channels, in_channels, kernel_width], got shape [${weight.shape.join(", ")}]`);
  }
  if (input.shape.some((s) => s < 1) || weight.shape.some((s) => s < 1)) {
    throw new IndexingError(`conv1d: every size must be at least 1, got ${shapes}`);
  }
  if (input.shape[1] !== weight.shape[1]) {
    throw new IndexingError(`conv1d: input has ${input.shape[1]} channels but weight expects ${weight.shape[1]} (${shapes})`);
  }
  if (weight.shape[2]! > input.shape[2]!) {
    throw new IndexingError(`conv1d: kernel width ${weight.shape[2]} is wider than the input width ${input.shape[2]} (${shapes})`);
  }
}

/** out ← conv1d(input, weight) for 3-D views of any strides, on `out`'s backend (its own kernel when it has one, see backendConv.ts). */
function conv1dInto(out: Tensor, input: Tensor, weight: Tensor, reverse: boolean): void {
  const own = convKernelsOf(out.backend);
  if (own.conv1d !== undefined) {
    own.conv1d(out, input, weight, reverse);
    return;
  }
  const [os, is, ws] = [out.strides, input.strides, weight.strides];
  const g = geometry1d(out.shape, input.shape, weight.shape);
  convolveOn(
    out.backend,
    { storage: out.storage, strides: [os[0]!, os[1]!, 0, os[2]!] },
    { storage: input.storage, strides: [is[0]!, is[1]!, 0, is[2]!] },
    { storage: weight.storage, strides: [ws[0]!, ws[1]!, 0, ws[2]!] },
    g,
    reverse,
  );
}

/** 1-D convolution as a differentiable function. */
export class Conv1dFun extends TensorFunction {
  static override forward(ctx: Context, input: Tensor, weight: Tensor): Tensor {
    checkConv1d(input, weight);
    ctx.saveForBackward(input, weight);
    const [batch, , width] = input.shape as [number, number, number];
    const out = emptyTensor([batch, weight.shape[0]!, width], input.backend);
    conv1dInto(out, input, weight, false);
    return out;
  }

  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [input, weight] = ctx.saved<[Tensor, Tensor]>();
    const [batch, inChannels, width] = input.shape as [number, number, number];
    const [outChannels, , kw] = weight.shape as [number, number, number];
    const [needInput, needWeight] = ctx.needsInputGrad;
    // BEGIN ASSIGN4.1
    let gradWeight = grad;
    if (needWeight !== false) {
      const g = emptyTensor([inChannels, outChannels, kw], grad.backend);
      conv1dInto(g, input.permute(1, 0, 2), grad.permute(1, 0, 2), false);
      gradWeight = g.permute(1, 0, 2);
    }
    let gradInput = grad;
    if (needInput !== false) {
      gradInput = emptyTensor([batch, inChannels, width], grad.backend);
      conv1dInto(gradInput, grad, weight.permute(1, 0, 2), true);
    }
    return [gradInput, gradWeight];
    // END ASSIGN4.1
  }
}

/**
 * 1-D convolution: input [batch, in_channels, width] ⋆ weight
 * [out_channels, in_channels, k_width] → [batch, out_channels, width].
 */
export function conv1d(input: Tensor, weight: Tensor): Tensor {
  return Conv1dFun.apply(input, weight);
}
