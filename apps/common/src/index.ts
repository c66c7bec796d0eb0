export { MetricsWriter, RunLog, metricsPathFor, type MetricRecord } from "./runLog.js";
export { EpochProgress } from "./progress.js";
export { loadCheckpoint, resumeTraining, saveCheckpoint, type Checkpoint } from "./checkpoint.js";
export { UsageError, nonNegativeInt, oneOf, percent, positiveInt, positiveNumber, runMain, yieldToEventLoop } from "./cli.js";
