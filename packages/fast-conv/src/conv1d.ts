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
 * `tensorConv1d` is the student's kernel. Conv1dFun runs it on SimpleBackend
 * (inline) and CourseBackend (on the worker pool); FastBackend and
 * PlainBackend run the library's kernels instead (registered in kernels.ts). The backward
 * pass, given as in minitorch, reuses the kernel on permuted views.
 *
 * Worker threads load this module to find `tensorConv1d`, so it imports only
 * tensor-core and the (equally light) library kernels.
 */
import type { Context } from "@minitorch/autodiff";
import {
  ANY_BACKEND,
  DTYPES,
  IndexingError,
  TensorFunction,
  emptyTensor,
  kernelFor,
  registerKernel,
  type Kernel,
  type KernelArg,
  type Storage,
  type Tensor,
} from "@minitorch/tensor-core";
import { runCourseConv } from "./convolve.js";
// The library's kernels register themselves beside the course's.
import "./kernels.js";

/**
 * The 1-D convolution kernel with minitorch's arguments, plus the range of
 * work units: it computes the output elements whose row-major ordinals (in
 * `outShape`) lie in [start, end). `reverse` is 1 for the right-anchored
 * form and 0 otherwise (kernel arguments reach the workers as numbers).
 * `outShape` may differ from the input's width: the weight-gradient pass
 * writes `k_width` positions while convolving with a kernel as wide as the
 * input.
 */
export function tensorConv1d(
  out: Storage,
  outShape: Int32Array,
  outStrides: Int32Array,
  outSize: number,
  input: Storage,
  inputShape: Int32Array,
  inputStrides: Int32Array,
  weight: Storage,
  weightShape: Int32Array,
  weightStrides: Int32Array,
  reverse: number,
  start: number,
  end: number,
): void {
  const [batch, outChannels, outWidth] = [outShape[0]!, outShape[1]!, outShape[2]!];
  const [batch2, inChannels, width] = [inputShape[0]!, inputShape[1]!, inputShape[2]!];
  const [outChannels2, inChannels2, kw] = [weightShape[0]!, weightShape[1]!, weightShape[2]!];
  if (batch !== batch2 || outChannels !== outChannels2 || inChannels !== inChannels2 || outSize !== batch * outChannels * outWidth) {
    throw new IndexingError(
      `tensorConv1d: shapes do not fit: out [${Array.from(outShape).join(", ")}] (size ${outSize}), ` +
        `input [${Array.from(inputShape).join(", ")}], weight [${Array.from(weightShape).join(", ")}]`,
    );
  }
  const [os0, os1, os2] = [outStrides[0]!, outStrides[1]!, outStrides[2]!];
  const [s10, s11, s12] = [inputStrides[0]!, inputStrides[1]!, inputStrides[2]!];
  const [s20, s21, s22] = [weightStrides[0]!, weightStrides[1]!, weightStrides[2]!];
  // BEGIN ASSIGN4.1
  const dir = reverse ? -1 : 1; // tap k reads input position x + dir·k
  for (let ordinal = start; ordinal < end; ordinal++) {
    const x = ordinal % outWidth;
    const o = Math.floor(ordinal / outWidth) % outChannels;
    const b = Math.floor(ordinal / (outWidth * outChannels));
    // The taps whose input position lies in [0, width); the others read 0.
    const kStart = reverse ? Math.max(0, x - width + 1) : 0;
    const kEnd = reverse ? Math.min(kw, x + 1) : Math.min(kw, width - x);
    let acc = 0;
    for (let c = 0; c < inChannels; c++) {
      let inPos = b * s10 + c * s11 + (x + dir * kStart) * s12;
      let wPos = o * s20 + c * s21 + kStart * s22;
      for (let k = kStart; k < kEnd; k++) {
        acc += input[inPos]! * weight[wPos]!;
        inPos += dir * s12;
        wPos += s22;
      }
    }
    out[b * os0 + o * os1 + x * os2] = acc;
  }
  // END ASSIGN4.1
}

/** Task 4.1's kernel as the workers find it. */
export const conv1dKernel: Kernel = {
  name: "tensorConv1d",
  module: import.meta.url,
  fn: tensorConv1d as (...args: KernelArg[]) => void,
};

/** Checks conv1d's operands, naming the op and both shapes on failure. */
export function checkConv1d(input: Tensor, weight: Tensor): void {
  const shapes = `input [${input.shape.join(", ")}], weight [${weight.shape.join(", ")}]`;
  if (input.dims !== 3) {
    throw new IndexingError(`conv1d: input must be 3-D [batch, in_channels, width], got shape [${input.shape.join(", ")}]`);
  }
  if (weight.dims !== 3) {
    throw new IndexingError(`conv1d: weight must be 3-D [out_channels, in_channels, kernel_width], got shape [${weight.shape.join(", ")}]`);
  }
  // A batch of 0 gives an empty output, as for Linear and the pooling ops (and in PyTorch).
  if (input.shape.slice(1).some((s) => s < 1) || weight.shape.some((s) => s < 1)) {
    throw new IndexingError(`conv1d: every size but the batch must be at least 1, got ${shapes}`);
  }
  if (input.shape[1] !== weight.shape[1]) {
    throw new IndexingError(`conv1d: input has ${input.shape[1]} channels but weight expects ${weight.shape[1]} (${shapes})`);
  }
  if (weight.shape[2]! > input.shape[2]!) {
    throw new IndexingError(`conv1d: kernel width ${weight.shape[2]} is wider than the input width ${input.shape[2]} (${shapes})`);
  }
}

/**
 * Task 4.1's kernel is the reference convolution of every backend that
 * registers none of its own ("*"); the weight gradient is computed as
 * minitorch does, a forward convolution of the input and the output
 * gradient with batch and channels swapped, written through a permuted
 * view of `gradWeight`.
 */
// The course's loops read and write through the storage's own element type, so they serve both dtypes.
registerKernel("conv1d", ANY_BACKEND, (out, input, weight, reverse) => runCourseConv(conv1dKernel, out, input, weight, reverse), DTYPES);
registerKernel(
  "conv1dWeightGrad",
  ANY_BACKEND,
  (gradWeight, input, grad) =>
    kernelFor("conv1d", gradWeight.backend, gradWeight.dtype)(gradWeight.permute(1, 0, 2), input.permute(1, 0, 2), grad.permute(1, 0, 2), false),
  DTYPES,
);

/** 1-D convolution as a differentiable function. */
export class Conv1dFun extends TensorFunction {
  static override forward(ctx: Context, input: Tensor, weight: Tensor): Tensor {
    checkConv1d(input, weight);
    ctx.saveForBackward(input, weight);
    const [batch, , width] = input.shape as [number, number, number];
    const out = emptyTensor([batch, weight.shape[0]!, width], input.backend, input.dtype);
    if (batch > 0) kernelFor("conv1d", out.backend, out.dtype)(out, input, weight, false);
    return out;
  }

  /**
   * Given, as in minitorch: both gradients are convolutions of the kernel.
   * gradWeight[o, c, k] = Σ_{b,x} in[b, c, x + k] · grad[b, o, x] — the input
   * (batch and channels swapped) convolved with the gradient as the weight;
   * gradInput[b, c, x] = Σ_{o,k} grad[b, o, x − k] · w[o, c, k] — the
   * gradient convolved in reverse with the weight's channels swapped.
   */
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [input, weight] = ctx.saved<[Tensor, Tensor]>();
    const [batch, inChannels, width] = input.shape as [number, number, number];
    const [outChannels, , kw] = weight.shape as [number, number, number];
    const [needInput, needWeight] = ctx.needsInputGrad;
    let gradWeight = grad;
    if (needWeight !== false) {
      gradWeight = emptyTensor([outChannels, inChannels, kw], grad.backend, grad.dtype);
      kernelFor("conv1dWeightGrad", grad.backend, grad.dtype)(gradWeight, input, grad);
    }
    let gradInput = grad;
    if (needInput !== false) {
      gradInput = emptyTensor([batch, inChannels, width], grad.backend, grad.dtype);
      kernelFor("conv1d", grad.backend, grad.dtype)(gradInput, grad, weight.permute(1, 0, 2), true);
    }
    return [gradInput, gradWeight];
  }
}

/**
 * 1-D convolution: input [batch, in_channels, width] ⋆ weight
 * [out_channels, in_channels, k_width] → [batch, out_channels, width].
 */
export function conv1d(input: Tensor, weight: Tensor): Tensor {
  return Conv1dFun.apply(input, weight);
}
