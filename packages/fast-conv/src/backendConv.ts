/**
 * The hook for backends with their own convolution kernels: a backend whose
 * ops object has `conv1d` / `conv2d` (GpuBackend's does) gets them called
 * by Conv1dFun and Conv2dFun — forward and both backward passes — instead
 * of the CPU kernel run through `runKernel`. fast-conv defines the hook and
 * the backend, above it in the layering, implements it.
 */
import type { Tensor, TensorBackend } from "@minitorch/tensor-core";

export interface ConvKernels {
  /**
   * out ← conv1d(input, weight) for 3-D views of any strides (reverse:
   * weight anchored right); `out` [batch, out_channels, width'] may be a
   * permuted view, and width' may differ from the input's (weight gradient).
   */
  conv1d(out: Tensor, input: Tensor, weight: Tensor, reverse: boolean): void;
  /** The same in two dimensions, for 4-D views. */
  conv2d(out: Tensor, input: Tensor, weight: Tensor, reverse: boolean): void;
}

/** The convolution kernels `backend` provides itself (none for the CPU backends). */
export function convKernelsOf(backend: TensorBackend): Partial<ConvKernels> {
  return backend.ops as Partial<ConvKernels>;
}
