export { CLASSES, HEIGHT, LeNet, WIDTH } from "./model.js";
export { countCorrect, evaluate, makeBatch, trainMnist, type MnistTrainOptions, type MnistTrainResult } from "./train.js";
