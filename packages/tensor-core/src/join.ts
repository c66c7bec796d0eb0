/**
 * PyTorch's everyday shape functions beyond the course's view and permute:
 * `narrow` (a view of a slice), `cat` and `stack` (joining), and moving a
 * tensor to another backend. Each differentiable one is a TensorFunction
 * with its backward right below its forward; the copies are the backend's
 * own `idMap` writing into a view of the output, so every backend runs
 * them on its own kernels.
 */
import type { Context } from "@minitorch/autodiff";
import { IndexingError, TensorData, checkStored, shapeSize, type Dtype } from "./tensorData.js";
import { Tensor, sameBackend } from "./tensor.js";
import { TensorFunction } from "./tensorFunctions.js";
import type { TensorBackend } from "./tensorOps.js";
import { emptyTensor } from "./opShapes.js";

/** `dim` as a dimension of a tensor with `dims` dimensions; negative counts from the end, as in PyTorch. */
export function normalizeDim(dim: number, dims: number, op: string, shape: readonly number[]): number {
  if (!Number.isInteger(dim) || dim < -dims || dim >= dims) {
    throw new RangeError(`${op}: dim must be an integer in [${-dims}, ${dims}) for shape [${shape.join(", ")}], got ${dim}`);
  }
  return dim < 0 ? dim + dims : dim;
}

/**
 * The view of `a` holding indices [start, start + length) of `dim`: the
 * same strides over the same memory, its storage a subarray that begins at
 * the slice's first element (a typed-array view shares its buffer, so
 * writes through either tensor are seen by the other).
 */
export function narrowData(a: Tensor, dim: number, start: number, length: number): Tensor {
  const shape = a.shape.slice();
  shape[dim] = length;
  const offset = length === 0 ? 0 : start * a.strides[dim]!;
  return new Tensor(new TensorData(a.storage.subarray(offset), shape, a.strides), null, a.backend);
}

/** Indices [start, start + length) of `dim`, as a view; the gradient lands in that slice of zeros. */
export class Narrow extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, dim: number, start: number, length: number): Tensor {
    ctx.saveForBackward(a.shape, dim, start);
    return narrowData(a, dim, start, length);
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    const [shape, dim, start] = ctx.saved<[number[], number, number]>();
    const out = grad.zeros(shape);
    grad.backend.idMap(grad, narrowData(out, dim, start, grad.shape[dim]!));
    return out;
  }
}

/** Checks and normalises narrow's arguments (negative dim and start count from the end). */
export function checkNarrow(a: Tensor, dim: number, start: number, length: number): [number, number] {
  const d = normalizeDim(dim, a.dims, "narrow", a.shape);
  const size = a.shape[d]!;
  if (!Number.isInteger(start) || start < -size || start > size) {
    throw new RangeError(`narrow: start must be an integer in [${-size}, ${size}] for dim ${d} of shape [${a.shape.join(", ")}], got ${start}`);
  }
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new RangeError(
      `narrow: length must be an integer in [0, ${size - s}] for start ${s} of dim ${d} (size ${size}) of shape [${a.shape.join(", ")}], got ${length}`,
    );
  }
  return [d, s];
}

/** Tensors joined along `dim`; each input's gradient is its slice of the output's. */
export class Cat extends TensorFunction {
  static override forward(ctx: Context, dim: number, ...inputs: Tensor[]): Tensor {
    const first = inputs[0]!;
    const shape = first.shape.slice();
    shape[dim] = inputs.reduce((n, t) => n + t.shape[dim]!, 0);
    const out = emptyTensor(shape, first.backend, first.dtype);
    const sizes = inputs.map((t) => t.shape[dim]!);
    let start = 0;
    for (const t of inputs) {
      if (t.size > 0) first.backend.idMap(t, narrowData(out, dim, start, t.shape[dim]!));
      start += t.shape[dim]!;
    }
    ctx.saveForBackward(dim, sizes);
    return out;
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [dim, sizes] = ctx.saved<[number, number[]]>();
    let start = 0;
    return sizes.map((n) => {
      const g = narrowData(grad, dim, start, n);
      start += n;
      return g;
    });
  }
}

/**
 * Concatenates `tensors` along `dim` (negative counts from the end): all
 * must have the same number of dimensions and the same sizes except along
 * `dim`, and be on one backend. Differentiable.
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  const first = checkList(tensors, "cat");
  const d = normalizeDim(dim, first.dims, "cat", first.shape);
  tensors.forEach((t, i) => {
    if (t.dims !== first.dims || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new IndexingError(
        `cat: tensor ${i} has shape [${t.shape.join(", ")}], expected [${first.shape.map((s, j) => (j === d ? "*" : s)).join(", ")}] (sizes must match except along dim ${d})`,
      );
    }
  });
  sameBackend("cat", tensors);
  return Cat.apply(d, ...tensors);
}

/**
 * Joins `tensors` of one shape along a new dimension `dim` (in
 * [−dims−1, dims], as in PyTorch): n tensors of shape [a, b] stacked at 1
 * give [a, n, b]. Differentiable.
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  const first = checkList(tensors, "stack");
  const d = normalizeDim(dim, first.dims + 1, "stack", first.shape);
  tensors.forEach((t, i) => {
    if (t.dims !== first.dims || t.shape.some((s, j) => s !== first.shape[j])) {
      throw new IndexingError(`stack: tensor ${i} has shape [${t.shape.join(", ")}], expected [${first.shape.join(", ")}] (all must have one shape)`);
    }
  });
  const shape = first.shape.slice();
  shape.splice(d, 0, 1);
  return cat(
    tensors.map((t) => t.reshape(...shape)),
    d,
  );
}

/**
 * A copy on another backend or of another dtype (`t.to(…)`); the gradient
 * is copied back to the source's backend and dtype.
 */
export class MoveTo extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, target: TensorBackend, dtype: Dtype): Tensor {
    ctx.saveForBackward(a.backend, a.dtype);
    return copyTo(a, target, dtype);
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    const [source, dtype] = ctx.saved<[TensorBackend, Dtype]>();
    return copyTo(grad, source, dtype);
  }
}

/** `a`'s elements in fresh contiguous storage of `backend` and `dtype` (float32 rounds to nearest). */
function copyTo(a: Tensor, backend: TensorBackend, dtype: Dtype): Tensor {
  const storage = checkStored(backend.ops.empty(shapeSize(a.shape), dtype), backend.name, dtype);
  storage.set(a.toFloat64Array());
  return Tensor.fromStorage(storage, a.shape, undefined, backend);
}

/** The first tensor, after checking `tensors` is a non-empty array of tensors. */
function checkList(tensors: readonly Tensor[], op: string): Tensor {
  const list: unknown = tensors;
  if (!Array.isArray(list) || list.length === 0 || list.some((t) => !(t instanceof Tensor))) {
    throw new TypeError(`${op}: expected a non-empty array of tensors, got ${describe(list)}`);
  }
  return tensors[0]!;
}

function describe(x: unknown): string {
  if (!Array.isArray(x)) return x === null ? "null" : typeof x;
  if (x.length === 0) return "an empty array";
  const bad = x.findIndex((t) => !(t instanceof Tensor));
  return `an array whose element ${bad} is ${x[bad] === null ? "null" : typeof x[bad]}`;
}
