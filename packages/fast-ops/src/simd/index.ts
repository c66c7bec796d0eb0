/**
 * `@minitorch/fast-ops/simd`: the WebAssembly SIMD kernels and the
 * per-thread memory they run in (see kernels.ts), the matmul built on them
 * and the peak loop. fast-conv builds its convolution kernels on the same
 * module.
 */
export {
  SCRATCH_BASE,
  SIMD_WASM_URL,
  ScratchLayout,
  SimdThread,
  nextStamp,
  simdModule,
  simdThread,
  type SimdExports,
  type WasmModule,
} from "./kernels.js";
export { SIMD_KC, SIMD_MC, matmulSimdKernel, matmulSimdUnits, simdMatrixMultiply } from "./matmul.js";
export { matmulSimd32Kernel, matmulSimd32Units, simdMatrixMultiply32 } from "./matmul32.js";
export { PEAK_FLOPS_PER_ITERATION, peakKernel, peakPanels, peakRun, peakUnits } from "./peak.js";
