/**
 * @minitorch/onnx: models trained here, exported for onnxruntime and every
 * other engine that reads ONNX.
 */
export { toOnnx, type ToOnnxOptions } from "./toOnnx.js";
export { OPSET, OP_MAPPINGS, type OpMapping } from "./ops.js";
export { decodeModel, type ModelProtoData } from "./schema.js";
export type { OnnxDtype } from "./builder.js";
