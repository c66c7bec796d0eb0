/**
 * Running the SIMD convolution kernels on a backend: the Kernel objects
 * workers load, how the work is split into units, and the calls that build
 * the kernels' plain-array arguments from 4-D operands (conv1d is the case
 * height = kernel height = 1).
 */
import { nextStamp } from "@minitorch/fast-ops/simd";
import type { TensorBackend } from "@minitorch/tensor-core";
import type { Operand4 } from "../convolve.js";
import type { ConvGeometry } from "../implicitGemm.js";
import { convolveSimdKernel } from "./forward.js";
import { convolveSimd32Kernel } from "./forward32.js";
import { convWeightGradSimdKernel } from "./weightGrad.js";
import { convWeightGradSimd32Kernel } from "./weightGrad32.js";

export { convWeightGradSimd32Kernel, convWeightGradSimdKernel, convolveSimd32Kernel, convolveSimdKernel };

function geometryShape(g: ConvGeometry, a: number, b: number): Int32Array {
  return Int32Array.of(g.batch, g.inChannels, g.height, g.width, g.outChannels, g.kh, g.kw, g.outHeight, g.outWidth, a, b);
}

/** Floating-point operations of the convolution (2 per multiply-add). */
function flops(g: ConvGeometry): number {
  return 2 * g.batch * g.outChannels * g.outHeight * g.outWidth * g.inChannels * g.kh * g.kw;
}

/**
 * Channel-tile groups per batch for the forward kernel on `threads`
 * threads: 1 when there are at least two batches per thread, else enough
 * groups for two units per thread (at most one per tile).
 */
export function forwardGroups(g: ConvGeometry, threads: number): number {
  if (g.batch === 0 || g.batch >= 2 * threads) return 1;
  return Math.max(1, Math.min(Math.ceil(g.outChannels / 4), Math.ceil((2 * threads) / g.batch)));
}

/**
 * out = input ⋆ weight in the 4-D form (anchored top-left, or bottom-right
 * with `reverse`) on `backend`, whose pool has `threads` threads.
 */
export function convolveSimd(backend: TensorBackend, out: Operand4, input: Operand4, weight: Operand4, g: ConvGeometry, reverse: boolean, threads: number): void {
  const groups = forwardGroups(g, threads);
  const units = g.batch * groups;
  // The storage's element type picks the kernel: f32x4 for float32, f64x2 for float64.
  backend.runKernel(
    out.storage instanceof Float32Array ? convolveSimd32Kernel : convolveSimdKernel,
    [
      out.storage,
      Int32Array.from(out.strides),
      input.storage,
      Int32Array.from(input.strides),
      weight.storage,
      Int32Array.from(weight.strides),
      geometryShape(g, reverse ? 1 : 0, groups),
      nextStamp(),
    ],
    units,
    flops(g) / units,
  );
}

/** How the weight gradient is split: `chunks` of batches × `groups` of output-channel tiles. */
export interface WeightGradSplit {
  chunks: number;
  groups: number;
}

/**
 * The cheaper split of the weight gradient on `threads` threads, two units
 * per thread: over batches when adding the per-chunk partial sums
 * (chunks · O · taps, on the calling thread) costs less than every thread
 * staging every batch's input (B · C · H · W more copies per extra
 * thread), else over output-channel tiles. One thread, or a batch of 0
 * (whose gradient is zero, written by the one unit): one unit.
 */
export function weightGradSplit(g: ConvGeometry, threads: number): WeightGradSplit {
  if (threads <= 1 || g.batch === 0) return { chunks: 1, groups: 1 };
  const chunks = Math.min(g.batch, 2 * threads);
  const tiles = Math.ceil(g.outChannels / 4);
  const reduce = chunks * g.outChannels * g.inChannels * g.kh * g.kw;
  const stage = (threads - 1) * g.batch * g.inChannels * g.height * g.width;
  if (tiles >= threads && stage < reduce) return { chunks: 1, groups: Math.min(tiles, 2 * threads) };
  return { chunks, groups: 1 };
}

/**
 * gradWeight[o, c, ky, kx] = Σ_b Σ_{y,x} grad[b, o, y, x] · input[b, c, y + ky, x + kx]
 * for input [B, C, H, W], grad [B, O, OH, OW] and gradWeight [O, C, KH, KW]
 * (any strides), on `backend` with `split`. A split over batches needs
 * `partials` (split.chunks · O · C·KH·KW values from `backend`), whose
 * chunks are added here; otherwise units write gradWeight directly.
 */
export function convWeightGradSimd(
  backend: TensorBackend,
  gradWeight: Operand4,
  input: Operand4,
  grad: Operand4,
  g: ConvGeometry,
  split: WeightGradSplit,
  partials?: Float64Array | Float32Array,
): void {
  const taps = g.inChannels * g.kh * g.kw;
  const size = g.outChannels * taps;
  const direct = split.chunks === 1;
  if (!direct && (partials === undefined || partials.length < split.chunks * size)) {
    throw new RangeError(`convWeightGradSimd: ${split.chunks} batch chunks need partials of ${split.chunks * size} values, got ${partials?.length ?? "none"}`);
  }
  const [s0, s1, s2, s3] = gradWeight.strides;
  const dst = direct ? gradWeight.storage : partials!;
  const ds = direct ? Int32Array.of(0, s0, s1, s2, s3) : Int32Array.of(size, taps, g.kh * g.kw, g.kw, 1);
  const units = split.chunks * split.groups;
  backend.runKernel(
    input.storage instanceof Float32Array ? convWeightGradSimd32Kernel : convWeightGradSimdKernel,
    [dst, ds, input.storage, Int32Array.from(input.strides), grad.storage, Int32Array.from(grad.strides), geometryShape(g, split.chunks, split.groups), nextStamp()],
    units,
    flops(g) / units,
  );
  if (direct) return;
  const out = gradWeight.storage;
  for (let o = 0, i = 0; o < g.outChannels; o++) {
    for (let c = 0; c < g.inChannels; c++) {
      for (let ky = 0; ky < g.kh; ky++) {
        for (let kx = 0; kx < g.kw; kx++, i++) {
          let sum = partials![i]!;
          for (let u = 1; u < split.chunks; u++) sum += partials![u * size + i]!;
          out[o * s0 + c * s1 + ky * s2 + kx * s3] = sum;
        }
      }
    }
  }
}
