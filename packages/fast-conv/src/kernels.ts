/**
 * The library's convolution kernels, registered for the backends that run
 * them: the WebAssembly SIMD kernels on FastBackend (f64x2 for float64,
 * f32x4 for float32; the storage's element type picks them) and the
 * plain-TypeScript implicit GEMM on PlainBackend (both dtypes). conv1d is the
 * 4-D case with height 1. Every other backend gets the course's kernels
 * (conv1d.ts, conv2d.ts) or registers its own (gpu-ops).
 */
import { FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { DTYPES, registerKernel, type ConvKernel, type ConvWeightGradKernel, type Tensor } from "@minitorch/tensor-core";
import { convWeightGradFast, convolve4, convolveFast, type Operand4 } from "./convolve.js";
import type { ConvGeometry } from "./implicitGemm.js";

type Strides4 = readonly [number, number, number, number];

/** A 3-D [batch, channels, width] view as the 4-D form with height 1. */
function operand3(t: Tensor): Operand4 {
  const s = t.strides;
  return { storage: t.storage, strides: [s[0]!, s[1]!, 0, s[2]!] };
}

function operand4(t: Tensor): Operand4 {
  return { storage: t.storage, strides: t.strides as unknown as Strides4 };
}

/** The 4-D geometry of out = input ⋆ weight (3-D operands have height 1). */
function geometry(out: Tensor, input: Tensor, weight: Tensor): ConvGeometry {
  const [batch, outChannels] = out.shape as [number, number];
  const inChannels = input.shape[1]!;
  const flat = out.dims === 3;
  return {
    batch,
    inChannels,
    height: flat ? 1 : input.shape[2]!,
    width: input.shape[input.dims - 1]!,
    outChannels,
    kh: flat ? 1 : weight.shape[2]!,
    kw: weight.shape[weight.dims - 1]!,
    outHeight: flat ? 1 : out.shape[2]!,
    outWidth: out.shape[out.dims - 1]!,
  };
}

type Convolve4 = (backend: Tensor["backend"], out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry, reverse: boolean) => void;

/** A ConvKernel for `dims`-D operands running `run` on the 4-D form. */
function convKernel(dims: 3 | 4, run: Convolve4): ConvKernel {
  const operand = dims === 3 ? operand3 : operand4;
  return (out, input, weight, reverse) =>
    run(out.backend, operand(out), operand(input), operand(weight), geometry(out, input, weight), reverse);
}

/**
 * A weight-gradient kernel for `dims`-D operands: minitorch's forward
 * convolution with batch and channels swapped, on `run`.
 */
function weightGradKernel(dims: 3 | 4, run: (backend: Tensor["backend"], out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry) => void): ConvWeightGradKernel {
  const order = dims === 3 ? [1, 0, 2] : [1, 0, 2, 3];
  const operand = dims === 3 ? operand3 : operand4;
  return (gradWeight, input, grad) => {
    const [out, x, w] = [gradWeight.permute(...order), input.permute(...order), grad.permute(...order)];
    run(gradWeight.backend, operand(out), operand(x), operand(w), geometry(out, x, w));
  };
}

const plain: Convolve4 = (backend, out, input, weight, g, reverse) =>
  convolve4(out, input, weight, g, reverse, (k, a, work, cost) => backend.runKernel(k, a, work, cost));

for (const [dims, conv, grad] of [
  [3, "conv1d", "conv1dWeightGrad"],
  [4, "conv2d", "conv2dWeightGrad"],
] as const) {
  registerKernel(conv, FastBackend.name, convKernel(dims, convolveFast), DTYPES);
  registerKernel(grad, FastBackend.name, weightGradKernel(dims, convWeightGradFast), DTYPES);
  // The implicit GEMM reads and writes through the storage's own element type, so it serves both dtypes.
  const plainGrad = weightGradKernel(dims, (backend, out, input, weight, g) => plain(backend, out, input, weight, g, false));
  registerKernel(conv, PlainBackend.name, convKernel(dims, plain), DTYPES);
  registerKernel(grad, PlainBackend.name, plainGrad, DTYPES);
}
