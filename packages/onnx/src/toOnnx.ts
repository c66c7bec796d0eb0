/**
 * toOnnx: a model's evaluation-mode forward pass as an ONNX ModelProto.
 *
 * The forward pass runs twice: on the example input, and on a variant with
 * one more batch row (rows shifted by one). Both record the same graph of
 * tensor Functions; the sizes that differ between them follow the batch
 * (they become symbolic, or −1 in a Reshape), and a constant whose values
 * differ was computed from the input outside the recorded graph — which no
 * ONNX file could reproduce, so it is an error rather than a frozen value.
 */
import { createRequire } from "node:module";
import { Module } from "@minitorch/nn";
import { Tensor } from "@minitorch/tensor-core";
import { GraphBuilder, type OnnxDtype } from "./builder.js";
import { OPSET, OP_MAPPINGS, mappingOf, type OpValue } from "./ops.js";
import { IR_VERSION, encodeModel, type DimensionData, type ValueInfoProtoData } from "./schema.js";
import { compareTraces, trace, variantInput, type Step, type Trace } from "./trace.js";

export interface ToOnnxOptions {
  /**
   * Element type of the graph: "float32" (default; what every engine runs)
   * or "float64". A float32 model's parameters are written as they are; a
   * float64 model's are rounded to float32 unless "float64" is asked for.
   */
  dtype?: OnnxDtype;
  /**
   * Make dimension 0 of the input (and every size that follows it) symbolic, named "batch".
   * Default true. With false every size is fixed, and the second traced pass only rotates the
   * rows (for a batch of 1 it cannot then tell a constant computed from the input).
   */
  dynamicBatch?: boolean;
  /** Name of the graph's input. Default "input". */
  inputName?: string;
  /** Name of the graph's output. Default "output". */
  outputName?: string;
  /** Name of the graph. Default: the model's class name. */
  graphName?: string;
  /** A description stored in the model (ModelProto.doc_string). */
  docString?: string;
  /** Key-value pairs stored in the model (ModelProto.metadata_props). */
  metadata?: Readonly<Record<string, string>>;
  /**
   * Write avgpool2d / maxpool2d as one AveragePool / MaxPool node rather
   * than a reduction over a 6-D view of the windows. Default true;
   * AveragePool only in float32, which is all onnxruntime implements it for.
   */
  fusePooling?: boolean;
}

const VERSION = (createRequire(import.meta.url)("../package.json") as { version: string }).version;

/**
 * Exports `model` as ONNX: one forward pass on `exampleInput` in evaluation
 * mode (the model's modes are restored afterwards), the recorded tensor
 * Functions as ONNX operators of opset 17, the parameters as initializers
 * named by their path (`conv1.weights`), the input with its shape (dimension
 * 0 symbolic), and the output named.
 *
 * @returns the serialised ModelProto, ready to write to a `.onnx` file.
 * @throws Error naming the Function when one has no ONNX mapping, or the
 *   step when a constant depends on the input.
 */
export function toOnnx(model: Module, exampleInput: Tensor, options: ToOnnxOptions = {}): Uint8Array {
  if (!(model instanceof Module)) throw new TypeError(`toOnnx: model must be a Module, got ${model === null ? "null" : typeof model}`);
  if (!(exampleInput instanceof Tensor)) throw new TypeError(`toOnnx: exampleInput must be a Tensor, got ${typeof exampleInput}`);
  const dtype = options.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") throw new RangeError(`toOnnx: dtype must be "float32" or "float64", got "${String(dtype)}"`);
  const dynamicBatch = options.dynamicBatch ?? true;
  if (exampleInput.dims < 1 || exampleInput.size === 0) {
    throw new RangeError(`toOnnx: exampleInput must have a batch dimension and at least one element, got shape [${exampleInput.shape.join(", ")}]`);
  }
  const modes = [model, ...model.modules()].map((m) => [m, m.training] as const);
  model.eval();
  const variant = variantInput(exampleInput, dynamicBatch);
  let first: Trace;
  let second: Trace;
  try {
    // The variant first, so the model keeps the example's activations (LeNet.mid, KimCNN.maps).
    second = trace(model, variant);
    first = trace(model, exampleInput);
  } finally {
    for (const [m, training] of modes) m.training = training;
  }
  compareTraces(first, second);
  const inputName = options.inputName ?? "input";
  const outputName = options.outputName ?? "output";
  const g = new GraphBuilder(dtype, options.fusePooling ?? true);
  g.reserve(inputName);
  g.reserve(outputName);

  const names: string[] = new Array<string>(first.steps.length);
  const constants = new Map<number, string>();
  const value = (i: number): OpValue => ({ name: names[i]!, shape: first.steps[i]!.tensor.shape, variantShape: second.steps[i]!.tensor.shape });

  /** The name for constant step `j` used by step `i`. */
  const constant = (j: number, i: number): string => {
    const step = first.steps[i]!;
    const known = constants.get(j);
    if (known !== undefined) return known;
    checkConstant(first.steps[j]!, second.steps[j]!, j, step);
    const t = first.steps[j]!.tensor;
    const name = g.floats("constant", t.shape, t.toFloat64Array());
    constants.set(j, name);
    return name;
  };

  first.steps.forEach((step, i) => {
    if (step.kind === "input") names[i] = inputName;
    else if (step.kind === "parameter") names[i] = g.floats(step.name!, step.tensor.shape, step.tensor.toFloat64Array());
    else if (step.kind === "op") {
      const mapping = mappingOf(step.fn);
      if (mapping === undefined) {
        const known = [...new Set([...OP_MAPPINGS.keys()].map((f) => f.name))].join(", ");
        throw new Error(`toOnnx: no ONNX mapping for tensor function ${step.fn.name} (it made a tensor of shape [${step.tensor.shape.join(", ")}]); mapped: ${known}`);
      }
      step.inputs.forEach((j) => {
        if (first.steps[j]!.kind === "constant") names[j] = constant(j, i);
      });
      const inputs = step.inputs.map(value);
      names[i] = mapping.emit({ g, fn: step.fn, ctx: step.ctx, inputs, out: { shape: step.tensor.shape, variantShape: second.steps[i]!.tensor.shape } });
    }
    if (names[i] !== undefined) g.shapes.set(names[i], step.tensor.shape);
  });

  const out = first.steps[first.output]!;
  if (out.kind === "constant") names[first.output] = constant(first.output, first.output);
  const produced = names[first.output]!;
  // The output is named by renaming the node that makes it, or by an Identity when no node does.
  if (g.nodes.some((n) => n.output.includes(produced))) g.rename(produced, outputName);
  else g.node("Identity", [produced], {}, outputName);

  const batch = exampleInput.shape[0]!;
  const info = (name: string, shape: readonly number[], variant: readonly number[]): ValueInfoProtoData => ({
    name,
    type: { tensorType: { elemType: g.elemType, shape: { dim: dims(shape, variant, batch) } } },
  });
  const outputStep = first.steps[first.output]!.tensor;
  return encodeModel({
    irVersion: IR_VERSION,
    opsetImport: [{ domain: "", version: OPSET }],
    producerName: "minitorch-ts",
    producerVersion: VERSION,
    ...(options.docString !== undefined ? { docString: options.docString } : {}),
    metadataProps: Object.entries(options.metadata ?? {}).map(([key, v]) => ({ key, value: v })),
    graph: {
      name: options.graphName ?? model.constructor.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [info(inputName, exampleInput.shape, variant.shape)],
      output: [info(outputName, outputStep.shape, second.steps[second.output]!.tensor.shape)],
    },
  });
}

/** A value's dimensions: fixed sizes, "batch" where it follows the batch one to one, unnamed otherwise. */
function dims(shape: readonly number[], variant: readonly number[], batch: number): DimensionData[] {
  return shape.map((size, d) => {
    if (size === variant[d]) return { dimValue: size };
    return size === batch && variant[d] === batch + 1 ? { dimParam: "batch" } : {};
  });
}

/** Throws unless constant step `a` has the same shape and values in the second pass (`b`). */
function checkConstant(a: Step, b: Step, j: number, user: Step): void {
  const x = a.tensor.toFloat64Array();
  const y = b.tensor.toFloat64Array();
  const same = a.tensor.shape.join() === b.tensor.shape.join() && x.every((v, k) => Object.is(v, y[k]) || v === y[k]);
  if (!same) {
    const usedBy = user.kind === "op" ? ` used by ${user.fn.name}` : "";
    throw new Error(
      `toOnnx: a constant of shape [${a.tensor.shape.join(", ")}] (step ${j})${usedBy} changes with the input: it was computed from the input ` +
        `outside the recorded graph (a detached tensor or a direct backend call), which an ONNX graph cannot reproduce`,
    );
  }
}
