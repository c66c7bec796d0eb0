export { KimCNN, type KimOptions } from "./model.js";
export { countCorrect, sentimentBatch, trainSentiment, type SentimentTrainOptions, type SentimentTrainResult } from "./train.js";
