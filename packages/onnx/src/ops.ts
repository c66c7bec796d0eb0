/**
 * The mapping from tensor Functions to ONNX operators (opset 17). Each entry
 * emits the nodes that compute exactly what the Function's forward computes
 * and returns the name of the value holding its result.
 */
import type { Context } from "@minitorch/autodiff";
import { Conv1dFun, Conv2dFun } from "@minitorch/fast-conv";
import { AvgPool2d, LogSoftmax, Max, MaxPool2d, Softmax } from "@minitorch/nn";
import {
  Add,
  All,
  CompositeFunction,
  Copy,
  EQ,
  Exp,
  Inv,
  IsClose,
  LT,
  Log,
  MatMul,
  Mul,
  Neg,
  Permute,
  ReLU,
  Sigmoid,
  Sum,
  View,
  type TensorFunctionClass,
} from "@minitorch/tensor-core";
import type { GraphBuilder } from "./builder.js";
import { emitConv } from "./conv.js";

/** The ONNX operator set the exporter writes (default domain). */
export const OPSET = 17;

/**
 * A value flowing into or out of a Function: its name in the graph, its
 * shape in the traced pass and in the second pass (one more batch row), so
 * the sizes that follow the batch are those that differ.
 */
export interface OpValue {
  name: string;
  shape: readonly number[];
  variantShape: readonly number[];
}

/** True when dimension `d` of `v` follows the batch size. */
export function isDynamic(v: Omit<OpValue, "name">, d: number): boolean {
  return v.shape[d] !== v.variantShape[d];
}

/** One recorded Function application, ready to be written as ONNX nodes. */
export interface OpCall {
  g: GraphBuilder;
  fn: TensorFunctionClass;
  ctx: Context;
  inputs: OpValue[];
  /** The result's shapes in the two passes (its name is what `emit` returns). */
  out: Omit<OpValue, "name">;
}

export interface OpMapping {
  /** The ONNX operators used, as listed in docs/onnx.md. */
  onnx: string;
  emit(call: OpCall): string;
}

const unary = (op: string): OpMapping => ({ onnx: op, emit: ({ g, inputs }) => g.node(op, [inputs[0]!.name]) });
const binary = (op: string): OpMapping => ({ onnx: op, emit: ({ g, inputs }) => g.node(op, [inputs[0]!.name, inputs[1]!.name]) });
/** A comparison giving 1.0 / 0.0 in the graph's float type, as minitorch's do. */
const comparison = (op: string): OpMapping => ({
  onnx: `${op} + Cast`,
  emit: ({ g, inputs }) => g.node("Cast", [g.node(op, [inputs[0]!.name, inputs[1]!.name])], { to: g.elemType }),
});

/**
 * The dimensions a keep-dim reduction reduced: size 1 in the result where
 * the input is larger in either pass (a batch of 1 reduced over the batch is
 * larger in the second).
 */
export function reducedDims(input: OpValue, out: OpCall["out"]): number[] {
  const dims: number[] = [];
  input.shape.forEach((size, d) => {
    if (out.shape[d] === 1 && out.variantShape[d] === 1 && (size !== 1 || input.variantShape[d] !== 1)) dims.push(d);
  });
  return dims;
}

/** A keep-dim reduction (`dim` given) or a reduction of everything into shape [1]. */
function reduction(op: "ReduceSum" | "ReduceMax" | "ReduceProd"): OpMapping {
  const emitReduce = (g: GraphBuilder, x: string, axes: readonly number[]): string =>
    // ReduceSum takes its axes as an input from opset 13, the others from opset 18.
    op === "ReduceSum" ? g.node(op, [x, g.int64s(axes, "axes")], { keepdims: 1 }) : g.node(op, [x], { axes, keepdims: 1 });
  return {
    onnx: op,
    emit: ({ g, inputs, out }) => {
      const x = inputs[0]!;
      if (out.shape.length !== x.shape.length) {
        // Everything into [1]: minitorch flattens first.
        return emitReduce(g, g.node("Reshape", [x.name, g.int64s([-1], "shape")]), [0]);
      }
      const dims = reducedDims(x, out);
      if (dims.length > 1) throw new Error(`toOnnx: ${op} over several dimensions [${dims.join(", ")}] is not a minitorch reduction`);
      return dims.length === 0 ? x.name : emitReduce(g, x.name, dims);
    },
  };
}

/**
 * Reshape's target for the result `out`: fixed sizes as they are; a size
 * that follows the batch is 0 (copy the input's size) where the input's
 * same dimension has that size in both passes, else −1 (inferred: at most
 * one such dimension).
 */
export function reshapeTarget(input: OpValue, out: OpCall["out"]): number[] {
  const target = out.shape.map((size, d) => {
    if (!isDynamic(out, d)) return size;
    return input.shape[d] === size && input.variantShape[d] === out.variantShape[d] ? 0 : -1;
  });
  if (target.filter((s) => s === -1).length > 1) {
    throw new Error(
      `toOnnx: view [${input.shape.join(", ")}] → [${out.shape.join(", ")}] has more than one size that follows the batch; export with dynamicBatch: false`,
    );
  }
  if (out.shape.includes(0)) throw new Error(`toOnnx: view to a shape with a 0-sized dimension [${out.shape.join(", ")}] is not supported`);
  return target;
}

/**
 * How `fn` becomes ONNX: the table's entry, or for an elementwise Function
 * that declares its ONNX operator (an op made with unaryOp), that operator.
 */
export function mappingOf(fn: TensorFunctionClass): OpMapping | undefined {
  return OP_MAPPINGS.get(fn) ?? (fn.onnx === undefined ? undefined : unary(fn.onnx));
}

/** The non-tensor argument at `position` of a composite node (its kernel, its dim). */
function argument<T>(call: OpCall, position: number): T {
  return CompositeFunction.argsOf(call.ctx)[position] as T;
}

/**
 * avgpool2d / maxpool2d: AveragePool / MaxPool with kernel = strides, the
 * operators every engine optimises; as a reduction over the windows of a
 * 6-D view when `fused` is false, and for a float64 average, which
 * onnxruntime implements no AveragePool for.
 */
function pooling(op: "AveragePool" | "MaxPool"): OpMapping {
  const reduce = op === "AveragePool" ? "ReduceMean" : "ReduceMax";
  return {
    onnx: `${op} (float64 average, or fusePooling: false: Reshape + ${reduce})`,
    emit: (call) => {
      const { g, inputs } = call;
      const [kh, kw] = argument<readonly [number, number]>(call, 1);
      if (g.fusePooling && (op === "MaxPool" || g.dtype === "float32")) {
        return g.node(op, [inputs[0]!.name], { kernel_shape: [kh, kw], strides: [kh, kw] });
      }
      const [, , height, width] = inputs[0]!.shape as [number, number, number, number];
      // Reshape's 0 keeps the input's batch and channel sizes, so the batch stays symbolic.
      const windows = g.node("Reshape", [inputs[0]!.name, g.int64s([0, 0, height / kh, kh, width / kw, kw], "shape")]);
      return g.node(reduce, [windows], { axes: [3, 5], keepdims: 0 });
    },
  };
}

/** softmax / logsoftmax along the node's dim. */
const softmaxLike = (op: "Softmax" | "LogSoftmax"): OpMapping => ({
  onnx: op,
  emit: (call) => call.g.node(op, [call.inputs[0]!.name], { axis: argument<number>(call, 1) }),
});

/** Every tensor Function the exporter knows, with the ONNX operators it becomes. */
export const OP_MAPPINGS = new Map<TensorFunctionClass, OpMapping>([
  [Add, binary("Add")],
  [Mul, binary("Mul")],
  [Neg, unary("Neg")],
  [Inv, unary("Reciprocal")],
  [Exp, unary("Exp")],
  [Log, unary("Log")],
  [Sigmoid, unary("Sigmoid")],
  [ReLU, unary("Relu")],
  [LT, comparison("Less")],
  [EQ, comparison("Equal")],
  [
    IsClose,
    {
      onnx: "Sub + Abs + Less + Cast",
      emit: ({ g, inputs }) => {
        const diff = g.node("Abs", [g.node("Sub", [inputs[0]!.name, inputs[1]!.name])]);
        return g.node("Cast", [g.node("Less", [diff, g.floats("isclose_tolerance", [], [1e-2])])], { to: g.elemType });
      },
    },
  ],
  [Sum, reduction("ReduceSum")],
  [All, reduction("ReduceProd")],
  [Max, reduction("ReduceMax")],
  [AvgPool2d, pooling("AveragePool")],
  [MaxPool2d, pooling("MaxPool")],
  [Softmax, softmaxLike("Softmax")],
  [LogSoftmax, softmaxLike("LogSoftmax")],
  [MatMul, binary("MatMul")],
  [
    Permute,
    {
      onnx: "Transpose",
      emit: ({ g, ctx, inputs }) => {
        const [order] = ctx.saved<[readonly number[]]>();
        return g.node("Transpose", [inputs[0]!.name], { perm: order });
      },
    },
  ],
  [View, { onnx: "Reshape", emit: ({ g, inputs, out }) => g.node("Reshape", [inputs[0]!.name, g.int64s(reshapeTarget(inputs[0]!, out), "shape")]) }],
  // ONNX values have no strides: a contiguous copy is the same value.
  [Copy, { onnx: "(none: values have no strides)", emit: ({ inputs }) => inputs[0]!.name }],
  [Conv1dFun, { onnx: "Conv (float64: Pad + Slice + Concat + MatMul)", emit: (call) => emitConv(call, 1) }],
  [Conv2dFun, { onnx: "Conv (float64: Pad + Slice + Concat + MatMul)", emit: (call) => emitConv(call, 2) }],
]);
