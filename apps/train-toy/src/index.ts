export * from "./networks/index.js";
export { DATASETS, startToyRun, toyProgram, trainAndLog, type ToyDefaults, type ToyOptions } from "./cli.js";
