export {
  IndexingError,
  TensorData,
  broadcastIndex,
  checkShape,
  DTYPES,
  checkStored,
  dtypeOf,
  newStorage,
  indexToPosition,
  isContiguousLayout,
  shapeBroadcast,
  shapeSize,
  stridesFromShape,
  toIndex,
  type IntArray,
  type Storage,
} from "./tensorData.js";
export {
  TensorBackend,
  type BinaryFn,
  type Kernel,
  type KernelArg,
  type MapFn,
  type ReduceFn,
  type TensorOps,
  type UnaryFn,
  type ZipFn,
} from "./tensorOps.js";
export {
  ANY_BACKEND,
  backendNamed,
  backendNames,
  kernelFor,
  registerBackend,
  registerKernel,
  registeredBackends,
  unregisterKernel,
  type BackendInfo,
  type ConvKernel,
  type ConvWeightGradKernel,
  type KernelName,
  type KernelSignatures,
  type NamedBackend,
  type RegisteredBackend,
} from "./registry.js";
export { MAX_DIMS, SimpleBackend, SimpleOps, tensorMap, tensorReduce, tensorZip } from "./simpleOps.js";
export { checkDim, emptyTensor, mapOutput, planMatmul, reduceOutput, zipOutput, type MatmulPlan } from "./opShapes.js";
export { History, Tensor, sameBackend, type NestedArray, type TensorLike } from "./tensor.js";
export {
  Add,
  All,
  Copy,
  EQ,
  Exp,
  Inv,
  IsClose,
  LT,
  Log,
  MatMul,
  Mul,
  Neg,
  Permute,
  ReLU,
  Sigmoid,
  Sum,
  TensorFunction,
  View,
  transpose,
  type FunctionArg,
  type TensorFunctionClass,
} from "./tensorFunctions.js";
export { CompositeFunction } from "./composite.js";
export { unaryOp, type ShaderFn, type UnaryOp, type UnaryOpDefinition } from "./unaryOp.js";
export { fromArray, ones, rand, tensor, zeros, type TensorOptions } from "./create.js";
export { getDefaultBackend, setDefaultBackend } from "./createOptions.js";
export { Cat, MoveTo, Narrow, cat, normalizeDim, stack } from "./join.js";
export { NODE_INSPECT, formatTensor, printOptions } from "./printing.js";
export { type CreateOptions, type Dtype } from "./createOptions.js";
export { checkScalarFunction, scalarOpLabel } from "./scalarFunction.js";
export { gradCheck, type GradCheckOptions } from "./gradCheck.js";
export { toDot, type ToDotOptions } from "./toDot.js";
