/**
 * minitorch-ts: the umbrella package. Re-exports every package so user code
 * reads `minitorch.tensor(...)`, `minitorch.conv2d(...)`. Scalar and tensor
 * functions share names (Add, Mul, …) and are grouped under
 * `scalarFunctions` and `tensorFunctions`.
 */
export {
  operators,
  Context,
  backpropagate,
  centralDifference,
  topologicalSort,
  Scalar,
  ScalarHistory,
  ScalarFunction,
  derivativeCheck,
  Random,
  defaultRandom,
  manualSeed,
  envFlag,
  envInt,
  envPath,
  isGradEnabled,
  noGrad,
  type Variable,
  type ScalarLike,
} from "@minitorch/autodiff";
export * as scalarFunctions from "./scalarFunctions.js";
export {
  IndexingError,
  TensorData,
  broadcastIndex,
  indexToPosition,
  shapeBroadcast,
  stridesFromShape,
  toIndex,
  TensorBackend,
  SimpleBackend,
  SimpleOps,
  Tensor,
  History,
  TensorFunction,
  sameBackend,
  tensor,
  fromArray,
  zeros,
  ones,
  rand,
  gradCheck,
  toDot,
  setDefaultBackend,
  getDefaultBackend,
  cat,
  stack,
  formatTensor,
  printOptions,
  type ToDotOptions,
  type Kernel,
  type KernelArg,
  type NestedArray,
  type TensorOps,
  CompositeFunction,
  registerKernel,
  kernelFor,
  registerBackend,
  backendNames,
  backendNamed,
  type KernelName,
  type KernelSignatures,
} from "@minitorch/tensor-core";
export * as tensorFunctions from "./tensorFunctions.js";
export {
  CourseBackend,
  CourseOps,
  FastBackend,
  FastOps,
  PlainBackend,
  PlainOps,
  poolStats,
  runKernel,
  setThreads,
  shutdown,
  type PoolStats,
} from "@minitorch/fast-ops";
export { Conv1dFun, Conv2dFun, conv1d, conv2d, tensorConv1d, tensorConv2d } from "@minitorch/fast-conv";
export { GpuBackend, GpuCourseBackend, GpuOps, gpuAvailable, gpuShutdown, mmPractice, sumPractice, type GpuStatus } from "@minitorch/gpu-ops";
export * from "@minitorch/nn";
export { toOnnx, decodeModel, OPSET as ONNX_OPSET, type ToOnnxOptions, type OnnxDtype } from "@minitorch/onnx";
export * as datasets from "@minitorch/datasets";
