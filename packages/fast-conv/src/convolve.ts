/**
 * Running convolutions on a backend's threads: the course's direct loops
 * (Tasks 4.1, 4.2) with minitorch's arguments, and the library's kernels,
 * shared by conv1d and conv2d (the 4-D case with height 1) — the
 * plain-TypeScript implicit GEMM of implicitGemm.ts and the WebAssembly
 * SIMD kernels of simd/. Which of them an op gets is the kernel registry's
 * answer (kernels.ts registers them). The backend runs the work units:
 * inline, or across the worker pool.
 */
import { allocateStorage } from "@minitorch/fast-ops";
import { type Kernel, type KernelArg, type Storage, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { convUnits, convolveKernel, type ConvGeometry } from "./implicitGemm.js";

export { convolveKernel };
import { convWeightGradSimd, convolveSimd, weightGradSplit } from "./simd/run.js";

/**
 * Runs a course kernel (`tensorConv1d` or `tensorConv2d`) with minitorch's
 * arguments on `out`'s backend: one work unit per output element, each
 * costing a multiply-add per tap (Cin · KH · KW of them).
 */
export function runCourseConv(kernel: Kernel, out: Tensor, input: Tensor, weight: Tensor, reverse: boolean): void {
  const taps = weight.size / weight.shape[0]!;
  out.backend.runKernel(
    kernel,
    [
      out.storage,
      out.data.shapeArray,
      out.data.stridesArray,
      out.size,
      input.storage,
      input.data.shapeArray,
      input.data.stridesArray,
      weight.storage,
      weight.data.shapeArray,
      weight.data.stridesArray,
      reverse ? 1 : 0,
    ],
    out.size,
    2 * taps,
  );
}

/** A 4-D operand: storage and strides. */
export interface Operand4 {
  storage: Storage;
  strides: readonly [number, number, number, number];
}

/** Floating-point operations of a convolution (2 per multiply-add). */
export function convFlops(g: ConvGeometry): number {
  return 2 * g.batch * g.outChannels * g.outHeight * g.outWidth * g.inChannels * g.kh * g.kw;
}

/**
 * out = input ⋆ weight in the 4-D form (see implicitGemm.ts); `run`
 * executes the work units (one per batch).
 */
export function convolve4(
  out: Operand4,
  input: Operand4,
  weight: Operand4,
  g: ConvGeometry,
  reverse: boolean,
  run: (kernel: Kernel, args: readonly KernelArg[], work: number, cost: number) => void,
): void {
  const shape = Int32Array.of(
    g.batch,
    g.inChannels,
    g.height,
    g.width,
    g.outChannels,
    g.kh,
    g.kw,
    g.outHeight,
    g.outWidth,
    reverse ? 1 : 0,
  );
  run(
    convolveKernel,
    [
      out.storage,
      Int32Array.from(out.strides),
      input.storage,
      Int32Array.from(input.strides),
      weight.storage,
      Int32Array.from(weight.strides),
      shape,
    ],
    convUnits(g),
    convFlops(g) / g.batch,
  );
}

/**
 * out = input ⋆ weight in the 4-D form on `backend` with the SIMD kernels:
 * the forward / reverse-anchored kernel.
 */
export function convolveFast(backend: TensorBackend, out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry, reverse: boolean): void {
  convolveSimd(backend, out, input, weight, g, reverse, backend.ops.threads?.() ?? 1);
}

/**
 * The weight gradient on `backend` with the SIMD kernels, given as
 * minitorch computes it: a forward convolution of the input and the output
 * gradient with batch and channels swapped (`out`, `input`, `weight` are
 * those swapped operands, `g` their geometry). Its kernel covers more
 * positions than its output, so it runs on the weight-gradient kernel:
 * out[n, m, i, j] = Σ_{k,y,x} in[n, k, i + y, j + x] · w[m, k, y, x] is
 * that kernel's dW[m, n, i, j] with k as its batch, whose depth (every
 * position of every k) suits the GEMM, where the forward kernel would spend
 * most of its work on positions it discards. A kernel no larger than its
 * output (a weight as large as the input) has no such depth and stays on
 * the forward kernel.
 */
export function convWeightGradFast(backend: TensorBackend, out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry): void {
  const threads = backend.ops.threads?.() ?? 1;
  if (g.kh * g.kw <= g.outHeight * g.outWidth) {
    convolveSimd(backend, out, input, weight, g, false, threads);
    return;
  }
  const wg: ConvGeometry = {
    batch: g.inChannels,
    inChannels: g.batch,
    height: g.height,
    width: g.width,
    outChannels: g.outChannels,
    kh: g.outHeight,
    kw: g.outWidth,
    outHeight: g.kh,
    outWidth: g.kw,
  };
  const split = weightGradSplit(wg, threads);
  const partials = split.chunks > 1 ? allocateStorage(split.chunks * wg.outChannels * wg.inChannels * wg.kh * wg.kw, false) : undefined;
  convWeightGradSimd(backend, swap01(out), swap01(input), swap01(weight), wg, split, partials);
}

/** The operand with its first two dimensions swapped (a permute(1, 0, 2, 3) view). */
function swap01(x: Operand4): Operand4 {
  const [s0, s1, s2, s3] = x.strides;
  return { storage: x.storage, strides: [s1, s0, s2, s3] };
}
