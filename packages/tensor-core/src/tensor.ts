/**
 * Module 2: `Tensor`, a multidimensional array that takes part in automatic
 * differentiation. Every method that computes is a one-liner over the
 * tensor Functions; the data layout lives in `TensorData`, the loops in the
 * backend.
 */
import { Context, backpropagate, newVariableId, topologicalSort, type Variable } from "@minitorch/autodiff";
import { IndexingError, TensorData, checkStored, isContiguousLayout, shapeBroadcast, shapeSize, type Dtype, type Storage } from "./tensorData.js";
import type { TensorBackend } from "./tensorOps.js";
import {
  Add,
  All,
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
} from "./tensorFunctions.js";
import { MoveTo, Narrow, checkNarrow, normalizeDim } from "./join.js";
import { NODE_INSPECT, formatTensor } from "./printing.js";

/** A tensor or a plain number, wherever an operand is accepted. */
export type TensorLike = Tensor | number;

/** Nested arrays of numbers, as taken by `tensor()` and given by `toArray()`. */
export type NestedArray = number | NestedArray[];

/** How a tensor was made: the function, its context and its tensor inputs. */
export class History {
  constructor(
    readonly lastFn: TensorFunctionClass | null = null,
    readonly ctx: Context | null = null,
    readonly inputs: readonly Tensor[] = [],
  ) {}
}

/**
 * A tensor: data (storage, shape, strides), the backend that computes on it,
 * and — when it takes part in differentiation — its history and gradient.
 */
export class Tensor implements Variable<Tensor> {
  readonly uniqueId: number;
  /** Accumulated gradient of a leaf after `backward()`, else null. */
  grad: Tensor | null = null;
  name: string | undefined;

  constructor(
    readonly data: TensorData,
    public history: History | null,
    readonly backend: TensorBackend,
  ) {
    this.uniqueId = newVariableId();
  }

  /** A tensor over existing storage (no copy); minitorch's `Tensor.make`. */
  static fromStorage(
    storage: Storage,
    shape: readonly number[],
    strides: readonly number[] | undefined,
    backend: TensorBackend,
  ): Tensor {
    return new Tensor(new TensorData(storage, shape, strides), null, backend);
  }

  get shape(): readonly number[] {
    return this.data.shape;
  }
  get strides(): readonly number[] {
    return this.data.strides;
  }
  get size(): number {
    return this.data.size;
  }
  get dims(): number {
    return this.data.dims;
  }
  /** The flat storage, shared with every view of this tensor. */
  get storage(): Storage {
    return this.data.storage;
  }
  /** The element type: "float64" (the default) or "float32", kept by every op on this tensor. */
  get dtype(): Dtype {
    return this.data.dtype;
  }

  // Elements.

  /** The element at `index` (one integer per dimension). */
  get(...index: number[]): number {
    return this.data.get(index);
  }

  /** Writes one element in place (no gradient flows through this). */
  set(index: readonly number[], value: number): void {
    this.data.set(index, value);
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new IndexingError(`item: tensor must have exactly one element, got shape [${this.shape.join(", ")}]`);
    }
    return this.storage[this.data.index(this.shape.map(() => 0))]!;
  }

  /** The elements as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const flat = this.data.toFloat64Array();
    const build = (dim: number, offset: number): NestedArray => {
      if (dim === this.dims) return flat[offset]!;
      const stride = shapeSize(this.shape.slice(dim + 1));
      const out: NestedArray[] = [];
      for (let i = 0; i < this.shape[dim]!; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** The elements in row-major order, as a new array. */
  toFloat64Array(): Float64Array {
    return this.data.toFloat64Array();
  }

  /** As PyTorch prints it: values (summarised past 1000 elements), shape, dtype, backend. */
  toString(): string {
    return formatTensor(this);
  }
  /** What Node's console.log and util.inspect show. */
  [NODE_INSPECT](): string {
    return formatTensor(this);
  }

  // Arithmetic: every method is a Function application.

  add(b: TensorLike): Tensor {
    return Add.apply(this, this.operand(b, "add"));
  }
  sub(b: TensorLike): Tensor {
    return Add.apply(this, Neg.apply(this.operand(b, "sub")));
  }
  mul(b: TensorLike): Tensor {
    return Mul.apply(this, this.operand(b, "mul"));
  }
  div(b: TensorLike): Tensor {
    return Mul.apply(this, Inv.apply(this.operand(b, "div")));
  }
  neg(): Tensor {
    return Neg.apply(this);
  }
  inv(): Tensor {
    return Inv.apply(this);
  }
  lt(b: TensorLike): Tensor {
    return LT.apply(this, this.operand(b, "lt"));
  }
  gt(b: TensorLike): Tensor {
    return LT.apply(this.operand(b, "gt"), this);
  }
  eq(b: TensorLike): Tensor {
    return EQ.apply(this, this.operand(b, "eq"));
  }
  isClose(b: TensorLike): Tensor {
    return IsClose.apply(this, this.operand(b, "isClose"));
  }
  sigmoid(): Tensor {
    return Sigmoid.apply(this);
  }
  relu(): Tensor {
    return ReLU.apply(this);
  }
  log(): Tensor {
    return Log.apply(this);
  }
  exp(): Tensor {
    return Exp.apply(this);
  }
  /** Matrix product; batch dimensions broadcast. */
  matmul(b: Tensor): Tensor {
    return MatMul.apply(this, b);
  }
  /** Sum over `dim` (kept with size 1), or over everything (shape [1]). */
  sum(dim?: number): Tensor {
    if (dim === undefined) return Sum.apply(this);
    this.checkDim(dim, "sum");
    return Sum.apply(this, dim);
  }
  /**
   * Mean over `dim` (kept with size 1), or over everything (shape [1]). A
   * mean over no elements is an error (PyTorch returns NaN for that 0/0).
   */
  mean(dim?: number): Tensor {
    if (dim !== undefined) this.checkDim(dim, "mean");
    const count = dim === undefined ? this.size : this.shape[dim]!;
    if (count === 0) {
      const over = dim === undefined ? "the tensor" : `dim ${dim}`;
      throw new IndexingError(`mean: ${over} of shape [${this.shape.join(", ")}] is empty; the mean of no elements is undefined`);
    }
    return dim === undefined ? this.sum().div(count) : this.sum(dim).div(count);
  }
  /** Product over `dim` (or all): for a 0/1 tensor, 1 where every element is 1. */
  all(dim?: number): Tensor {
    if (dim === undefined) return All.apply(this);
    this.checkDim(dim, "all");
    return All.apply(this, dim);
  }

  // Shape.

  /** The same elements with a new shape; the tensor must be contiguous. */
  view(...shape: number[]): Tensor {
    return View.apply(this, shape);
  }
  /** Dimensions reordered: new dimension i is old dimension order[i]. */
  permute(...order: number[]): Tensor {
    return Permute.apply(this, order);
  }
  /** A contiguous copy (or this tensor's data, if already contiguous, still as a new graph node). */
  contiguous(): Tensor {
    return Copy.apply(this);
  }
  /** The same data without history. */
  detach(): Tensor {
    return new Tensor(this.data, null, this.backend);
  }
  /** True when the elements lie in storage in row-major order without gaps. */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  // PyTorch's shape methods (join.ts).

  /** Indices [start, start + length) of `dim`, as a view sharing storage; negative dim/start count from the end. */
  narrow(dim: number, start: number, length: number): Tensor {
    const [d, s] = checkNarrow(this, dim, start, length);
    return Narrow.apply(this, d, s, length);
  }
  /** The same elements with a new shape (one size may be −1): a view when contiguous, else a copy. */
  reshape(...shape: number[]): Tensor {
    return (this.isContiguous() ? this : this.contiguous()).view(...shape);
  }
  /** Dimensions `d0` and `d1` swapped, as a view; negative dims count from the end. */
  transpose(d0: number, d1: number): Tensor {
    const order = this.shape.map((_, i) => i);
    const a = normalizeDim(d0, this.dims, "transpose", this.shape);
    const b = normalizeDim(d1, this.dims, "transpose", this.shape);
    [order[a], order[b]] = [b, a];
    return this.permute(...order);
  }
  /**
   * This tensor on `backend`, or converted to `dtype` ("float32" /
   * "float64", as PyTorch's `t.to(torch.float32)`): a copy the gradient
   * flows back through (converted back), or this tensor if already there.
   */
  to(target: TensorBackend | Dtype): Tensor {
    if (target === "float32" || target === "float64") {
      return target === this.dtype ? this : MoveTo.apply(this, this.backend, target);
    }
    // Duck-typed: a backend built against another copy of this package is still a backend.
    if (typeof target !== "object" || target === null || typeof (target as Partial<TensorBackend>).idMap !== "function") {
      const got = target === null ? "null" : typeof target === "string" ? JSON.stringify(target) : typeof target;
      throw new TypeError(`to: expected a TensorBackend (SimpleBackend, FastBackend, …) or a dtype ("float32", "float64"), got ${got}`);
    }
    return target === this.backend ? this : MoveTo.apply(this, target, this.dtype);
  }

  /** A new tensor of zeros on this tensor's backend, of its dtype (default: this shape). */
  zeros(shape: readonly number[] = this.shape): Tensor {
    const storage = checkStored(this.backend.ops.zeros(shapeSize(shape), this.dtype), this.backend.name, this.dtype);
    return Tensor.fromStorage(storage, shape, undefined, this.backend);
  }

  /** `b` as a tensor, checked to be on this backend and to broadcast with this one (errors name `op`). */
  private operand(b: TensorLike, op: string): Tensor {
    const t = this.ensureTensor(b);
    sameBackend(op, [this, t]);
    shapeBroadcast(this.shape, t.shape, op);
    return t;
  }

  private checkDim(dim: number, op: string): void {
    if (!Number.isInteger(dim) || dim < 0 || dim >= this.dims) {
      throw new RangeError(`${op}: dim must be an integer in [0, ${this.dims}) for shape [${this.shape.join(", ")}], got ${dim}`);
    }
  }

  /** `b` as a tensor on this backend: a number becomes a 1-element tensor. */
  ensureTensor(b: TensorLike): Tensor {
    if (b instanceof Tensor) return b;
    if (typeof b !== "number") throw new TypeError(`Tensor: operand must be a Tensor or a number, got ${typeof b}`);
    const t = this.zeros([1]);
    t.storage[0] = b;
    return t;
  }

  // Differentiation.

  /**
   * Turn gradient tracking on (a leaf) or off (a constant). Returns this
   * tensor. A tensor computed from others (not a leaf) already tracks its
   * gradient through them, so `true` leaves it as it is and `false` is an
   * error, as in PyTorch: use `detach()` for a copy outside the graph.
   */
  requiresGrad_(flag = true): this {
    if (this.history !== null && this.history.lastFn !== null) {
      if (flag) return this;
      throw new Error(
        `requiresGrad_: only leaf tensors can stop tracking gradients; this one was computed by ${this.history.lastFn.name} — use detach() for a copy outside the graph`,
      );
    }
    this.history = flag ? new History() : null;
    return this;
  }

  requiresGrad(): boolean {
    return this.history !== null;
  }

  /** Forget the accumulated gradient. */
  zeroGrad_(): void {
    this.grad = null;
  }

  isLeaf(): boolean {
    return this.history !== null && this.history.lastFn === null;
  }

  isConstant(): boolean {
    return this.history === null;
  }

  get parents(): readonly Tensor[] {
    if (this.history === null) throw new Error("Tensor.parents: a constant has no history");
    return this.history.inputs;
  }

  chainRule(dOutput: Tensor): Array<readonly [Tensor, Tensor]> {
    const h = this.history;
    if (h === null || h.lastFn === null || h.ctx === null) {
      throw new Error("Tensor.chainRule: needs a tensor made by a TensorFunction");
    }
    if (h.ctx.released) {
      throw new Error(
        `backward: trying to backward through the graph a second time (through ${h.lastFn.name}); ` +
          `its saved values were freed by the first backward — pass { retainGraph: true } to that one to keep them`,
      );
    }
    const grads = h.lastFn.backwardAll(h.ctx, dOutput);
    if (grads.length !== h.inputs.length) {
      throw new Error(`${h.lastFn.name}.backward returned ${grads.length} gradients for ${h.inputs.length} inputs`);
    }
    const out: Array<readonly [Tensor, Tensor]> = [];
    h.inputs.forEach((input, i) => {
      if (!input.isConstant()) out.push([input, input.expand(grads[i]!)] as const);
    });
    return out;
  }

  accumulateDerivative(d: Tensor): void {
    if (!this.isLeaf()) throw new Error("Tensor.accumulateDerivative: only leaf tensors have gradients");
    if (d.dims !== this.dims || d.shape.some((s, i) => s !== this.shape[i])) {
      throw new IndexingError(`accumulateDerivative: gradient of shape [${d.shape.join(", ")}] for tensor of shape [${this.shape.join(", ")}]`);
    }
    // Gradients are never modified in place, so the first one can be kept as it is.
    this.grad = this.grad === null ? d : this.backend.addZip(this.grad, d);
  }

  /**
   * Backpropagate from this tensor, adding to the `grad` of every leaf it was
   * computed from. `grad` defaults to ones and is required for tensors with
   * more than one element. As in PyTorch, the graph's saved values are freed
   * afterwards, so a second backward through it is an error unless the first
   * passed `{ retainGraph: true }`; a tensor that does not require a gradient
   * cannot be backpropagated from.
   */
  backward(grad?: Tensor, options: { retainGraph?: boolean } = {}): void {
    if (this.history === null) {
      throw new Error(
        `backward: this tensor of shape [${this.shape.join(", ")}] does not require a gradient and has no history ` +
          `(no tensor it was computed from had requiresGrad_(true))`,
      );
    }
    let g: Tensor;
    if (grad === undefined) {
      if (this.size !== 1) {
        throw new IndexingError(`backward: a gradient is needed for a tensor of shape [${this.shape.join(", ")}]; call sum() first or pass one`);
      }
      g = this.zeros(this.shape);
      g.storage[0] = 1;
    } else {
      sameBackend("backward", [this, grad]);
      shapeBroadcast(grad.shape, this.shape, "backward");
      g = this.backend.idMap(grad.detach(), this.zeros(this.shape));
    }
    // Each gradient is added on its own tensor's backend (to() puts a graph across two).
    backpropagate<Tensor>(this, g, (a, b) => a.backend.addZip(a, b));
    if (options.retainGraph !== true) {
      for (const node of topologicalSort<Tensor>(this)) (node as Tensor).history?.ctx?.release();
    }
  }

  /**
   * The gradient `other` reshaped for this tensor: broadcast up to the
   * common shape, then summed over the dimensions this tensor broadcast
   * along (Module 2's rule for gradients of broadcast operations).
   */
  expand(other: Tensor): Tensor {
    if (other.dims === this.dims && other.shape.every((s, i) => s === this.shape[i])) return other;
    const trueShape = shapeBroadcast(this.shape, other.shape, "expand");
    let out = other;
    if (trueShape.length !== other.dims || trueShape.some((s, i) => s !== other.shape[i])) {
      out = this.backend.idMap(other, Tensor.fromStorage(this.backend.ops.empty(shapeSize(trueShape), other.dtype), trueShape, undefined, this.backend));
    }
    if (trueShape.length === this.dims && trueShape.every((s, i) => s === this.shape[i])) return out;
    const lead = trueShape.length - this.dims;
    for (let dim = 0; dim < trueShape.length; dim++) {
      const own = dim < lead ? 1 : this.shape[dim - lead]!;
      if (own === 1 && trueShape[dim] !== 1) out = this.backend.addReduce(out, dim);
    }
    if (out.size !== this.size) {
      throw new Error(`expand: reduced gradient of shape [${out.shape.join(", ")}] does not fit [${this.shape.join(", ")}]`);
    }
    // `out` now has this tensor's shape behind `lead` leading 1s: drop them.
    return Tensor.fromStorage(out.storage, this.shape, out.strides.slice(lead), this.backend);
  }
}

/**
 * Throws unless every tensor is on the same backend and of the same dtype:
 * an operation never mixes backends silently (the result would land on
 * whichever came first), nor dtypes (unlike PyTorch, which promotes: here
 * the conversion is the caller's, `t.to("float64")`, so a float32 model
 * never turns float64 by one stray tensor). A plain number operand takes
 * the tensor's dtype.
 */
export function sameBackend(op: string, tensors: readonly Tensor[]): void {
  const first = tensors[0];
  if (first === undefined) return;
  for (const t of tensors) {
    if (t.backend !== first.backend) {
      const names = first.backend.name === t.backend.name ? `two instances of ${t.backend.name}` : `${first.backend.name} and ${t.backend.name}`;
      throw new TypeError(
        `${op}: tensors are on different backends (${names}); ` +
          `move one across with t.to(backend)`,
      );
    }
    if (t.dtype !== first.dtype) {
      throw new TypeError(
        `${op}: tensors have different dtypes (${first.dtype} and ${t.dtype}); ` +
          `convert one with t.to("${first.dtype}") or t.to("${t.dtype}")`,
      );
    }
  }
}
