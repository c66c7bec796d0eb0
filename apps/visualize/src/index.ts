export { startServer, createHandler, type ServerOptions, type VisualizeServer } from "./server.js";
export { readMetrics, parseMetricLine, scanRuns, sniffCheckpoint, type RunsIndex } from "./runs.js";
export { decodeSegments, isInside, resolveInside } from "./safePath.js";
export { evaluateExpression, expressionVariables, ExpressionError } from "./expression.js";
export { MnistViewer } from "./mnistView.js";
export { SentimentViewer, picks } from "./sentimentView.js";
export type * from "./api.js";
