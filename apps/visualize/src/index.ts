export { startServer, createHandler, SERVER_TIMEOUTS, setIdleTimeout, type ServerOptions, type VisualizeServer } from "./server.js";
export { parseMetricLine, sniffCheckpoint } from "./runs.js";
export { RunsIndexCache } from "./runsIndex.js";
export { MAX_POINTS, MetricsCache } from "./metricsCache.js";
export { decodeSegments, isInside, resolveInside } from "./safePath.js";
export { evaluateExpression, expressionVariables, ExpressionError } from "./expression.js";
export { MnistViewer } from "./mnistView.js";
export { SentimentViewer, picks } from "./sentimentView.js";
export type * from "./api.js";
