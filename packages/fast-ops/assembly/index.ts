/**
 * minitorch-ts's WebAssembly SIMD kernels (f64x2, and f32x4 for float32), built by `asc` into
 * dist/simd/kernels.wasm. The memory is imported: every thread instantiates
 * the module with its own memory, and the JavaScript around each kernel
 * copies operands in (packing/padding) and results out. Kernels allocate
 * nothing; every address is a byte offset chosen by the caller.
 */
export { peakLoop } from "./peak";
export { gemmBlock } from "./gemm";
export { gemmBlock32 } from "./gemm32";
export { convForward, convWeightGrad } from "./conv";
export { convForward32, convWeightGrad32, copyRows32, packChannelTiles32 } from "./conv32";
export { copyRows, packChannelTiles } from "./stage";
