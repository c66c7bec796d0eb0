export { Module, Parameter, type SavedTensor, type StateDict } from "./module.js";
export { AvgPool2d, MaxPool2d, avgpool2d, maxpool2d, tile, tileMean } from "./pooling.js";
export { LogSoftmax, Max, Softmax, argmax, logsoftmax, max, softmax } from "./reductions.js";
export { dropout } from "./dropout.js";
export { Conv1d, Conv2d, Linear, randomParameter, type LayerOptions } from "./layers.js";
export { SGD } from "./optim.js";
export { bceLoss, nllLoss } from "./losses.js";
