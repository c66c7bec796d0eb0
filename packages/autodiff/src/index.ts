export * as operators from "./operators.js";
export {
  Context,
  backpropagate,
  centralDifference,
  newVariableId,
  topologicalSort,
  type Variable,
} from "./autodiff.js";
export { Scalar, ScalarHistory, derivativeCheck, toScalar, type ScalarLike } from "./scalar.js";
export {
  Add,
  EQ,
  Exp,
  Inv,
  LT,
  Log,
  Mul,
  Neg,
  ReLU,
  ScalarFunction,
  Sigmoid,
  type ScalarFunctionClass,
} from "./scalarFunctions.js";
export { Random, defaultRandom, manualSeed } from "./random.js";
export { isGradEnabled, noGrad } from "./gradMode.js";
export { MissingPackageError, resolveOptional, type OptionalPackage } from "./optionalPackage.js";
export { envFlag, envInt, envPath } from "./env.js";
