/**
 * Module 2: making tensors — from nested arrays, filled with zeros or ones,
 * or with seeded uniform random numbers.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { IndexingError, checkShape, shapeSize } from "./tensorData.js";
import { SimpleBackend } from "./simpleOps.js";
import { Tensor, type NestedArray } from "./tensor.js";
import type { TensorBackend } from "./tensorOps.js";

let defaultBackend: TensorBackend = SimpleBackend;

/**
 * Sets the backend that tensors and layers are made on when none is given
 * (SimpleBackend until changed), as PyTorch's default device; returns the
 * previous one. Existing tensors stay where they are.
 */
export function setDefaultBackend(backend: TensorBackend): TensorBackend {
  if (typeof backend !== "object" || backend === null || typeof (backend as Partial<TensorBackend>).idMap !== "function") {
    throw new TypeError(`setDefaultBackend: expected a TensorBackend (SimpleBackend, FastBackend, …), got ${backend === null ? "null" : typeof backend}`);
  }
  const previous = defaultBackend;
  defaultBackend = backend;
  return previous;
}

/** The backend new tensors and layers get when none is given. */
export function getDefaultBackend(): TensorBackend {
  return defaultBackend;
}

export interface TensorOptions {
  /** Defaults to the default backend (see setDefaultBackend). */
  backend?: TensorBackend;
  /** Track gradients (makes a leaf). */
  requiresGrad?: boolean;
}

/**
 * A tensor from nested arrays of numbers: `tensor([[1, 2], [3, 4]])` has
 * shape [2, 2]; a plain number gives a 0-d tensor.
 *
 * @throws IndexingError for a ragged array, naming where it is ragged.
 */
export function tensor(data: NestedArray, options: TensorOptions = {}): Tensor {
  const backend = options.backend ?? defaultBackend;
  const shape = inferShape(data);
  const storage = backend.ops.empty(shapeSize(shape));
  let n = 0;
  const fill = (x: NestedArray, dim: number, path: number[]): void => {
    if (dim === shape.length) {
      if (typeof x !== "number") {
        throw new IndexingError(`tensor: expected a number at [${path.join(", ")}], got ${Array.isArray(x) ? "an array" : typeof x}`);
      }
      storage[n++] = x;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[dim]) {
      const got = Array.isArray(x) ? `length ${x.length}` : typeof x;
      throw new IndexingError(`tensor: ragged nested array: expected length ${shape[dim]} at [${path.join(", ")}], got ${got}`);
    }
    x.forEach((y, i) => fill(y, dim + 1, [...path, i]));
  };
  fill(data, 0, []);
  const t = Tensor.fromStorage(storage, shape, undefined, backend);
  if (options.requiresGrad) t.requiresGrad_(true);
  return t;
}

/** The shape nested arrays have when read along their first elements. */
function inferShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let x: NestedArray = data;
  while (Array.isArray(x)) {
    shape.push(x.length);
    if (x.length === 0) break;
    x = x[0]!;
  }
  return shape;
}

/** A tensor of `shape` holding `values` (row-major), copied into the backend's storage. */
export function fromArray(values: ArrayLike<number>, shape: readonly number[], backend: TensorBackend = defaultBackend): Tensor {
  checkShape(shape, "fromArray");
  const size = shapeSize(shape);
  if (values.length !== size) {
    throw new IndexingError(`fromArray: ${values.length} values cannot fill shape [${shape.join(", ")}] (${size} elements)`);
  }
  const storage = backend.ops.empty(size);
  storage.set(values);
  return Tensor.fromStorage(storage, shape, undefined, backend);
}

/** A tensor of zeros. */
export function zeros(shape: readonly number[], backend: TensorBackend = defaultBackend): Tensor {
  checkShape(shape, "zeros");
  return Tensor.fromStorage(backend.ops.zeros(shapeSize(shape)), shape, undefined, backend);
}

/** A tensor of ones. */
export function ones(shape: readonly number[], backend: TensorBackend = defaultBackend): Tensor {
  checkShape(shape, "ones");
  const storage = backend.ops.empty(shapeSize(shape));
  storage.fill(1);
  return Tensor.fromStorage(storage, shape, undefined, backend);
}

/**
 * A tensor of numbers drawn uniformly from [0, 1) by `random` (the library's
 * seedable default generator unless given): the same seed, the same tensor.
 */
export function rand(shape: readonly number[], backend: TensorBackend = defaultBackend, random: Random = defaultRandom): Tensor {
  checkShape(shape, "rand");
  const storage = backend.ops.empty(shapeSize(shape));
  for (let i = 0; i < storage.length; i++) storage[i] = random.random();
  return Tensor.fromStorage(storage, shape, undefined, backend);
}
