/**
 * The course's toy networks, Tasks 0.5, 1.5, 2.5 and 3.5, and their training
 * loops, importable without Node (`@minitorch/train-toy/networks`): the CLIs
 * and a browser page drive the same code.
 */
export { ManualLinear, ManualNetwork, handPickedWeights, type ManualDataset, type ManualWeights, type Point } from "./manual.js";
export { ScalarLinear, ScalarNetwork } from "./scalar.js";
export { TensorLinear, TensorNetwork, type ToyLayerOptions } from "./tensor.js";
export { FastLinear, FastNetwork } from "./fast.js";
export {
  epochLine,
  fastTrainer,
  isLogEpoch,
  scalarTrainer,
  tensorTrainer,
  type EpochResult,
  type ToyData,
  type ToyNetwork,
  type ToyTrainer,
  type TrainerOptions,
} from "./train.js";
