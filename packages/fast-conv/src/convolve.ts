/**
 * Runs a convolution on a backend: hands its work units (one per batch) to
 * the backend — inline for SimpleBackend, across the pool for FastBackend.
 * Shared by conv1d and conv2d, which is the 4-D case with height 1.
 */
import { builtModuleUrl } from "@minitorch/fast-ops";
import type { Kernel, KernelArg, TensorBackend } from "@minitorch/tensor-core";
import { convUnits, convolveUnits, type ConvGeometry } from "./implicitGemm.js";

/** The unit kernel as workers find it. */
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

/** convolve4 on `backend`: inline for SimpleBackend, on the pool for FastBackend. */
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
