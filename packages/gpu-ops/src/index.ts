/**
 * @minitorch/gpu-ops: GpuBackend, tensors on a GPU through WebGPU (Dawn's
 * Node bindings), with the course's GPU tasks 3.3, 3.4 and 4.4b as WGSL
 * kernels. See docs/module-3.md and docs/architecture.md.
 */
import { gpu } from "./gpuOps.js";
import type { GpuStatus } from "./gpuThread.js";
import { quietDeviceSelect } from "./diagnose.js";

// At import, not only when the GPU thread starts: see quietDeviceSelect.
quietDeviceSelect();

export { GpuBackend, GpuCourseBackend, GpuCourseOps, GpuOps, coversStorage, gpu } from "./gpuOps.js";
export { GpuThread, type GpuKernel, type GpuStats, type GpuStatus, type JobOperand } from "./gpuThread.js";
export type { AdapterReport } from "./protocol.js";
export { mmPractice, sumPractice } from "./practice.js";
export { BLOCK_DIM, REDUCE_THREADS, mapKernel, mapShader, reduceKernel, reduceShader, sumPracticeKernel, zipKernel, zipShader } from "./tensorKernels.js";
export { MM_PRACTICE_DIM, TILE, matmulKernel, matmulShader, mmPracticeKernel } from "./matmulKernels.js";
export { conv1dKernel, conv1dShader, conv2dKernel, conv2dShader } from "./convKernels.js";
export { MAX_DIMS, THREADS_PER_BLOCK, makePlan, prelude } from "./wgslPrelude.js";
export { wgslOperator, wgslOperatorNames, type WgslOperator } from "./wgslOperators.js";
export { SWIFTSHADER_ICD, WEBGPU_PACKAGE, noAdapterAdvice, quietDeviceSelect, webgpuMissing } from "./diagnose.js";

/**
 * Whether GpuBackend can run here: `ok`, the adapter's description, and
 * otherwise the reason with what to install. Starts the GPU thread (once).
 */
export function gpuAvailable(): GpuStatus {
  return gpu.status();
}

/** Destroys the GPU device and stops the GPU thread; the next GpuBackend operation starts it again. */
export function gpuShutdown(): void {
  gpu.shutdown();
}
