/**
 * Tracing: one evaluation-mode forward pass, and the graph it recorded read
 * back from the output's history — the same graph `backward()` walks, with
 * the leaves (input, parameters, constants) kept.
 */
import type { Context } from "@minitorch/autodiff";
import type { Module } from "@minitorch/nn";
import { Tensor, fromArray, type TensorFunctionClass } from "@minitorch/tensor-core";

/** A tensor made by a tensor Function. */
export interface OpStep {
  kind: "op";
  tensor: Tensor;
  fn: TensorFunctionClass;
  ctx: Context;
  /** Positions in `Trace.steps` of the Function's tensor inputs, in order. */
  inputs: number[];
}

/** A tensor without a Function: the traced input, a parameter or a constant. */
export interface LeafStep {
  kind: "input" | "parameter" | "constant";
  tensor: Tensor;
  /** The parameter's dotted name (`conv1.weights`) for a parameter. */
  name?: string;
}

export type Step = OpStep | LeafStep;

/** A recorded forward pass: every tensor of the graph, each after the tensors it was computed from. */
export interface Trace {
  steps: Step[];
  /** Position of the output in `steps`. */
  output: number;
  /** Position of the input in `steps`, or −1 when the output does not depend on it. */
  input: number;
}

/**
 * Runs `model.forward(input)` on a copy of `input` (on the backend of the
 * model's parameters) that requires a gradient, so that every operation depending on the input is recorded (parameters
 * require gradients already), and returns the recorded graph.
 *
 * @throws TypeError when the forward pass returns something other than a tensor.
 */
export function trace(model: Module, input: Tensor): Trace {
  // The example input only lends its shape and values, so it is traced on the parameters' backend
  // and in their dtype (an op never mixes backends or dtypes).
  const parameter = model.parameters().map((p) => p.value).find((v): v is Tensor => v instanceof Tensor);
  const backend = parameter?.backend ?? input.backend;
  const dtype = parameter?.dtype ?? input.dtype;
  const same = input.backend === backend && input.dtype === dtype;
  const x = (same ? input.detach() : fromArray(input.toFloat64Array(), input.shape, { backend, dtype })).requiresGrad_(true);
  const out = model.forward(x);
  if (!(out instanceof Tensor)) {
    const got = Array.isArray(out) ? "an array" : out === null ? "null" : typeof out;
    throw new TypeError(`toOnnx: ${model.constructor.name}.forward must return one Tensor, got ${got}`);
  }
  const parameters = new Map<Tensor, string>();
  for (const [name, p] of model.namedParameters()) if (p.value instanceof Tensor) parameters.set(p.value, name);

  const steps: Step[] = [];
  const position = new Map<Tensor, number>();
  // Iterative post-order walk, inputs in argument order, so the order depends only on the graph's structure.
  const stack: Array<[Tensor, number]> = [[out, 0]];
  const onStack = new Set<Tensor>([out]);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [t, next] = top;
    const h = t.history;
    const parents = h !== null && h.lastFn !== null ? h.inputs : [];
    if (next < parents.length) {
      top[1] = next + 1;
      const p = parents[next]!;
      if (!position.has(p) && !onStack.has(p)) {
        onStack.add(p);
        stack.push([p, 0]);
      }
      continue;
    }
    stack.pop();
    position.set(t, steps.length);
    if (h !== null && h.lastFn !== null && h.ctx !== null) {
      steps.push({ kind: "op", tensor: t, fn: h.lastFn, ctx: h.ctx, inputs: h.inputs.map((p) => position.get(p)!) });
    } else if (t === x) {
      steps.push({ kind: "input", tensor: t });
    } else if (parameters.has(t)) {
      steps.push({ kind: "parameter", tensor: t, name: parameters.get(t)! });
    } else {
      steps.push({ kind: "constant", tensor: t });
    }
  }
  return { steps, output: steps.length - 1, input: position.get(x) ?? -1 };
}

/**
 * `input` with one more row along dimension 0 (when `grow`), rows taken
 * cyclically starting from the second: [x₁, x₂, …, x_{B−1}, x₀, x₁]. Its
 * trace tells which sizes follow the batch and which constants follow the
 * input's values.
 */
export function variantInput(input: Tensor, grow: boolean): Tensor {
  const batch = input.shape[0]!;
  const rows = batch + (grow ? 1 : 0);
  const row = input.size / batch;
  const values = input.toFloat64Array();
  const out = new Float64Array(rows * row);
  for (let r = 0; r < rows; r++) out.set(values.subarray(((r + 1) % batch) * row, (((r + 1) % batch) + 1) * row), r * row);
  return fromArray(out, [rows, ...input.shape.slice(1)], { backend: input.backend, dtype: input.dtype });
}

/**
 * Checks that two traces of the same model have the same structure (the
 * same Function at every position, with the same inputs) and returns, for
 * every step, which dimensions changed size between them.
 *
 * @throws Error naming the first position where the graphs differ.
 */
export function compareTraces(a: Trace, b: Trace): boolean[][] {
  const differ = (i: number, why: string): Error =>
    new Error(`toOnnx: the model's graph changes with the input (step ${i}: ${why}); only graphs that do not depend on the input's values can be exported`);
  if (a.steps.length !== b.steps.length || a.input !== b.input) throw differ(Math.min(a.steps.length, b.steps.length), "a different number of operations");
  return a.steps.map((s, i) => {
    const t = b.steps[i]!;
    if (s.kind !== t.kind) throw differ(i, `${s.kind} vs ${t.kind}`);
    if (s.kind === "op" && t.kind === "op") {
      if (s.fn !== t.fn) throw differ(i, `${s.fn.name} vs ${t.fn.name}`);
      if (s.inputs.join() !== t.inputs.join()) throw differ(i, `${s.fn.name} has different inputs`);
    }
    if (s.kind === "parameter" && s.tensor !== t.tensor) throw differ(i, `parameter ${s.name} vs ${(t as LeafStep).name}`);
    if (s.tensor.dims !== t.tensor.dims) throw differ(i, `rank ${s.tensor.dims} vs ${t.tensor.dims}`);
    return s.tensor.shape.map((size, d) => size !== t.tensor.shape[d]);
  });
}
