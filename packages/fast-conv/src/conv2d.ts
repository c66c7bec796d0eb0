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
 *
 * `tensorConv2d` is the student's kernel. Conv2dFun runs it on SimpleBackend
 * (inline) and CourseBackend (on the worker pool); FastBackend and
 * PlainBackend run the library's kernels instead (registered in kernels.ts). Worker
 * threads load this module to find `tensorConv2d`.
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
 * The 2-D convolution kernel with minitorch's arguments, plus the range of
 * work units: it computes the output elements whose row-major ordinals (in
 * `outShape`) lie in [start, end). `reverse` is 1 for the bottom-right
 * anchor and 0 otherwise. `outShape` may differ from the input's height and
 * width (the weight-gradient pass).
 */
export function tensorConv2d(
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
  const [batch, outChannels, outHeight, outWidth] = [outShape[0]!, outShape[1]!, outShape[2]!, outShape[3]!];
  const [batch2, inChannels, height, width] = [inputShape[0]!, inputShape[1]!, inputShape[2]!, inputShape[3]!];
  const [outChannels2, inChannels2, kh, kw] = [weightShape[0]!, weightShape[1]!, weightShape[2]!, weightShape[3]!];
  if (
    batch !== batch2 ||
    outChannels !== outChannels2 ||
    inChannels !== inChannels2 ||
    outSize !== batch * outChannels * outHeight * outWidth
  ) {
    throw new IndexingError(
      `tensorConv2d: shapes do not fit: out [${Array.from(outShape).join(", ")}] (size ${outSize}), ` +
        `input [${Array.from(inputShape).join(", ")}], weight [${Array.from(weightShape).join(", ")}]`,
    );
  }
  const [os0, os1, os2, os3] = [outStrides[0]!, outStrides[1]!, outStrides[2]!, outStrides[3]!];
  const [s10, s11, s12, s13] = [inputStrides[0]!, inputStrides[1]!, inputStrides[2]!, inputStrides[3]!];
  const [s20, s21, s22, s23] = [weightStrides[0]!, weightStrides[1]!, weightStrides[2]!, weightStrides[3]!];
  // BEGIN ASSIGN4.2
  const dir = reverse ? -1 : 1; // tap (i, j) reads input position (y + dir·i, x + dir·j)
  for (let ordinal = start; ordinal < end; ordinal++) {
    const x = ordinal % outWidth;
    const y = Math.floor(ordinal / outWidth) % outHeight;
    const o = Math.floor(ordinal / (outWidth * outHeight)) % outChannels;
    const b = Math.floor(ordinal / (outWidth * outHeight * outChannels));
    // The taps whose input row and column lie inside the input; the others read 0.
    const iStart = reverse ? Math.max(0, y - height + 1) : 0;
    const iEnd = reverse ? Math.min(kh, y + 1) : Math.min(kh, height - y);
    const jStart = reverse ? Math.max(0, x - width + 1) : 0;
    const jEnd = reverse ? Math.min(kw, x + 1) : Math.min(kw, width - x);
    let acc = 0;
    for (let c = 0; c < inChannels; c++) {
      for (let i = iStart; i < iEnd; i++) {
        let inPos = b * s10 + c * s11 + (y + dir * i) * s12 + (x + dir * jStart) * s13;
        let wPos = o * s20 + c * s21 + i * s22 + jStart * s23;
        for (let j = jStart; j < jEnd; j++) {
          acc += input[inPos]! * weight[wPos]!;
          inPos += dir * s13;
          wPos += s23;
        }
      }
    }
    out[b * os0 + o * os1 + y * os2 + x * os3] = acc;
  }
  // END ASSIGN4.2
}

/** Task 4.2's kernel as the workers find it. */
export const conv2dKernel: Kernel = {
  name: "tensorConv2d",
  module: import.meta.url,
  fn: tensorConv2d as (...args: KernelArg[]) => void,
};

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
  // A batch of 0 gives an empty output, as for Linear and the pooling ops (and in PyTorch).
  if (input.shape.slice(1).some((s) => s < 1) || weight.shape.some((s) => s < 1)) {
    throw new IndexingError(`conv2d: every size but the batch must be at least 1, got ${shapes}`);
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

/**
 * Task 4.2's kernel is the reference convolution of every backend that
 * registers none of its own ("*"); the weight gradient is computed as
 * minitorch does, a forward convolution of the input and the output
 * gradient with batch and channels swapped, written through a permuted
 * view of `gradWeight`.
 */
// The course's loops read and write through the storage's own element type, so they serve both dtypes.
registerKernel("conv2d", ANY_BACKEND, (out, input, weight, reverse) => runCourseConv(conv2dKernel, out, input, weight, reverse), DTYPES);
registerKernel(
  "conv2dWeightGrad",
  ANY_BACKEND,
  (gradWeight, input, grad) =>
    kernelFor("conv2d", gradWeight.backend, gradWeight.dtype)(gradWeight.permute(1, 0, 2, 3), input.permute(1, 0, 2, 3), grad.permute(1, 0, 2, 3), false),
  DTYPES,
);

/** 2-D convolution as a differentiable function. */
export class Conv2dFun extends TensorFunction {
  static override forward(ctx: Context, input: Tensor, weight: Tensor): Tensor {
    checkConv2d(input, weight);
    ctx.saveForBackward(input, weight);
    const [batch, , height, width] = input.shape as [number, number, number, number];
    const out = emptyTensor([batch, weight.shape[0]!, height, width], input.backend, input.dtype);
    if (batch > 0) kernelFor("conv2d", out.backend, out.dtype)(out, input, weight, false);
    return out;
  }

  /** Given, as in minitorch: Conv1dFun's backward with `permute(1, 0, 2, 3)` (see conv1d.ts). */
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [input, weight] = ctx.saved<[Tensor, Tensor]>();
    const [batch, inChannels, height, width] = input.shape as [number, number, number, number];
    const [outChannels, , kh, kw] = weight.shape as [number, number, number, number];
    const [needInput, needWeight] = ctx.needsInputGrad;
    let gradWeight = grad;
    if (needWeight !== false) {
      gradWeight = emptyTensor([outChannels, inChannels, kh, kw], grad.backend, grad.dtype);
      kernelFor("conv2dWeightGrad", grad.backend, grad.dtype)(gradWeight, input, grad);
    }
    let gradInput = grad;
    if (needInput !== false) {
      gradInput = emptyTensor([batch, inChannels, height, width], grad.backend, grad.dtype);
      kernelFor("conv2d", grad.backend, grad.dtype)(gradInput, grad, weight.permute(1, 0, 2, 3), true);
    }
    return [gradInput, gradWeight];
  }
}

/**
 * 2-D convolution: input [batch, in_channels, height, width] ⋆ weight
 * [out_channels, in_channels, k_height, k_width] → [batch, out_channels, height, width].
 */
export function conv2d(input: Tensor, weight: Tensor): Tensor {
  return Conv2dFun.apply(input, weight);
}
