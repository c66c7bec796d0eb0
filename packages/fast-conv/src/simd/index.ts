/**
 * The convolution kernels on WebAssembly SIMD (fast-ops assembly/conv.ts):
 * forward / reverse-anchored and the weight gradient, with plain-array
 * arguments so they run inline or on the pool.
 */
export { convolveSimdUnits } from "./forward.js";
export { convolveSimd32Units } from "./forward32.js";
export { convWeightGradSimdUnits } from "./weightGrad.js";
export { convWeightGradSimd32Units } from "./weightGrad32.js";
export { isCompact, paddedLayout, part, type PaddedLayout } from "./geometry.js";
export {
  convWeightGradSimd,
  convWeightGradSimd32Kernel,
  convWeightGradSimdKernel,
  convolveSimd,
  convolveSimd32Kernel,
  convolveSimdKernel,
  forwardGroups,
  weightGradSplit,
  type WeightGradSplit,
} from "./run.js";
