/**
 * Running the SIMD convolution kernels on a backend: the Kernel objects
 * workers load, and the calls that build their plain-array arguments from
 * 4-D operands (conv1d is the case height = kernel height = 1).
 */
import { builtModuleUrl, poolStats } from "@minitorch/fast-ops";
import { nextStamp } from "@minitorch/fast-ops/simd";
import type { Kernel, KernelArg, TensorBackend } from "@minitorch/tensor-core";
import type { Operand4 } from "../convolve.js";
import type { ConvGeometry } from "../implicitGemm.js";
import { convolveSimdUnits } from "./forward.js";
import { convWeightGradSimdUnits } from "./weightGrad.js";

/** The forward / reverse-anchored kernel as workers find it. */
export const convolveSimdKernel: Kernel = {
  name: "convolveSimdUnits",
  module: new URL("./forward.js", builtModuleUrl(import.meta.url)).href,
  fn: convolveSimdUnits as (...args: KernelArg[]) => void,
};

/** The weight-gradient kernel as workers find it. */
export const convWeightGradSimdKernel: Kernel = {
  name: "convWeightGradSimdUnits",
  module: new URL("./weightGrad.js", builtModuleUrl(import.meta.url)).href,
  fn: convWeightGradSimdUnits as (...args: KernelArg[]) => void,
};

function geometryShape(g: ConvGeometry, flag: number): Int32Array {
  return Int32Array.of(g.batch, g.inChannels, g.height, g.width, g.outChannels, g.kh, g.kw, g.outHeight, g.outWidth, flag);
}

/** Multiply-adds × 2 of one batch of the convolution. */
function flopsPerBatch(g: ConvGeometry): number {
  return 2 * g.outChannels * g.outHeight * g.outWidth * g.inChannels * g.kh * g.kw;
}

/**
 * out = input ⋆ weight in the 4-D form (anchored top-left, or bottom-right
 * with `reverse`), one work unit per batch, on `backend`.
 */
export function convolveSimd(backend: TensorBackend, out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry, reverse: boolean): void {
  backend.runKernel(
    convolveSimdKernel,
    [
      out.storage,
      Int32Array.from(out.strides),
      input.storage,
      Int32Array.from(input.strides),
      weight.storage,
      Int32Array.from(weight.strides),
      geometryShape(g, reverse ? 1 : 0),
      nextStamp(),
    ],
    g.batch,
    flopsPerBatch(g),
  );
}

/** Work units of the weight gradient: two per thread (so a slow thread is balanced), at most one per batch. */
export function weightGradUnits(batch: number): number {
  return Math.max(1, Math.min(batch, 2 * poolStats().threads));
}

/**
 * gradWeight[o, c, ky, kx] = Σ_b Σ_{y,x} grad[b, o, y, x] · input[b, c, y + ky, x + kx]
 * for input [B, C, H, W], grad [B, O, OH, OW] and gradWeight [O, C, KH, KW]
 * (any strides). `partials` ([units, O, C·KH·KW], from `backend`) receives
 * one sum per unit of batches; they are added here.
 */
export function convWeightGradSimd(
  backend: TensorBackend,
  gradWeight: Operand4,
  input: Operand4,
  grad: Operand4,
  g: ConvGeometry,
  partials: Float64Array,
  units: number,
): void {
  const taps = g.inChannels * g.kh * g.kw;
  if (partials.length < units * g.outChannels * taps) {
    throw new RangeError(`convWeightGradSimd: partials hold ${partials.length} values, need ${units * g.outChannels * taps}`);
  }
  backend.runKernel(
    convWeightGradSimdKernel,
    [partials, input.storage, Int32Array.from(input.strides), grad.storage, Int32Array.from(grad.strides), geometryShape(g, units), nextStamp()],
    units,
    (g.batch / units) * flopsPerBatch(g),
  );
  const [s0, s1, s2, s3] = gradWeight.strides;
  const out = gradWeight.storage;
  const size = g.outChannels * taps;
  for (let o = 0, i = 0; o < g.outChannels; o++) {
    for (let c = 0; c < g.inChannels; c++) {
      for (let ky = 0; ky < g.kh; ky++) {
        for (let kx = 0; kx < g.kw; kx++, i++) {
          let sum = partials[i]!;
          for (let u = 1; u < units; u++) sum += partials[u * size + i]!;
          out[o * s0 + c * s1 + ky * s2 + kx * s3] = sum;
        }
      }
    }
  }
}
