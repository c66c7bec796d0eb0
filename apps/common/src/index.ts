export { appVersion, standardCli } from "./help.js";
export { MetricsWriter, RunLog, metricsPathFor, stopRuns, type MetricRecord } from "./runLog.js";
export { OutputError, checkDistinct, ensureDirectory, prepareOutput, sameFile, type NamedFile } from "@minitorch/datasets";
export { EpochProgress } from "./progress.js";
export { MAX_CHECKPOINT_BYTES, loadCheckpoint, resumeTraining, saveCheckpoint, saveTraining, type Checkpoint } from "./checkpoint.js";
export { startRun, trainingProgram, type Run, type TrainingDefaults, type TrainingOptions } from "./trainingCli.js";
export { MAX_SEED, UsageError, integerIn, nonNegativeInt, oneOf, percent, positiveInt, positiveNumber, runMain, inSlices, yieldToEventLoop } from "./cli.js";
export { STOP_SIGNALS, exitCodeFor, onStopSignal, sweepStaleTemporaries, type StopSignal } from "./stopping.js";
