/**
 * Runs a convolution on a backend, with the kernels the backend asks for
 * (`TensorOps.kernels`): the course's direct loops (Tasks 4.1, 4.2) on
 * SimpleBackend and CourseBackend, the implicit GEMM of implicitGemm.ts —
 * the fast path, shared by conv1d and conv2d (the 4-D case with height 1) —
 * on FastBackend. The backend runs the work units: inline, or across the
 * worker pool.
 */
import { builtModuleUrl, type Kernel, type KernelArg, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { convUnits, convolveUnits, type ConvGeometry } from "./implicitGemm.js";

/** True when `backend` runs the course's convolution kernels rather than the fast path. */
export function runsCourseKernels(backend: TensorBackend): boolean {
  return backend.ops.kernels === "course";
}

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

/** The fast path's unit kernel as workers find it. */
export const convolveKernel: Kernel = {
  name: "convolveUnits",
  module: new URL("./implicitGemm.js", builtModuleUrl(import.meta.url)).href,
  fn: convolveUnits as (...args: KernelArg[]) => void,
};

/** A 4-D operand: storage and strides. */
export interface Operand4 {
  storage: Float64Array;
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

/** convolve4 on `backend`: inline, or on the pool for FastBackend. */
export function convolveOn(
  backend: TensorBackend,
  out: Operand4,
  input: Operand4,
  weight: Operand4,
  g: ConvGeometry,
  reverse: boolean,
): void {
  convolve4(out, input, weight, g, reverse, (k, a, w, c) => backend.runKernel(k, a, w, c));
}
