export { Module, Parameter, type SavedTensor, type StateDict } from "./module.js";
export { avgpool2d, maxpool2d, tile } from "./pooling.js";
export { Max, argmax, logsoftmax, max, softmax } from "./reductions.js";
export { dropout } from "./dropout.js";
export { Conv1d, Conv2d, Linear, randomParameter, type LayerOptions } from "./layers.js";
export { SGD } from "./optim.js";
export { bceLoss, nllLoss } from "./losses.js";
