export { Module, Parameter, type SavedTensor, type StateDict } from "./module.js";
export { AvgPool2d, MaxPool2d, avgpool2d, maxpool2d, tile, tileMean } from "./pooling.js";
export { LogSoftmax, Max, Softmax, argmax, logsoftmax, max, softmax } from "./reductions.js";
export { Dropout, dropout } from "./dropout.js";
export { Conv1d, Conv2d, Linear, randomParameter, type LayerOptions } from "./layers.js";
export { Sequential } from "./sequential.js";
export { Flatten, ReLU, Sigmoid } from "./activations.js";
export { Optimizer, SGD, type SGDOptions } from "./optim.js";
export { Adam, type AdamOptions } from "./adam.js";
export { bceLoss, crossEntropy, nllLoss } from "./losses.js";
export { DataLoader, type Batch, type DataLoaderOptions } from "./dataLoader.js";
export {
  decodeSafetensors,
  encodeSafetensors,
  loadStateDict,
  readSafetensors,
  saveSafetensors,
  saveStateDict,
  type SafetensorsDtype,
  type SafetensorsEntry,
  type SafetensorsOptions,
} from "./serialize.js";
