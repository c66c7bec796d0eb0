export { exportCheckpoint, type ExportOptions, type ExportSummary, type ValueSummary } from "./exportCheckpoint.js";
export { APPS, rebuildModel, type AppName, type RebuiltModel } from "./rebuild.js";
export { makeSamples, predictions, type SampleOptions, type SamplesFile } from "./samples.js";
