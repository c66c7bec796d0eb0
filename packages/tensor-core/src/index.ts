export {
  IndexingError,
  TensorData,
  broadcastIndex,
  checkShape,
  indexToPosition,
  isContiguousLayout,
  shapeBroadcast,
  shapeSize,
  stridesFromShape,
  toIndex,
  type IntArray,
} from "./tensorData.js";
export {
  TensorBackend,
  type BinaryFn,
  type Kernel,
  type KernelArg,
  type MapFn,
  type ReduceFn,
  type KernelSet,
  type TensorOps,
  type UnaryFn,
  type ZipFn,
} from "./tensorOps.js";
export { builtModuleUrl } from "./builtModule.js";
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
export { fromArray, getDefaultBackend, ones, rand, setDefaultBackend, tensor, zeros, type TensorOptions } from "./create.js";
export { Cat, MoveTo, Narrow, cat, normalizeDim, stack } from "./join.js";
export { formatTensor, printOptions } from "./printing.js";
export { gradCheck, type GradCheckOptions } from "./gradCheck.js";
export { toDot, type ToDotOptions } from "./toDot.js";
