/**
 * Module 2: making tensors — from nested arrays, filled with zeros or ones,
 * or with seeded uniform random numbers.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { IndexingError, checkShape, checkStored, shapeSize, type Dtype, type Storage } from "./tensorData.js";
import { creationOptions, withGrad, type CreateOptions } from "./createOptions.js";
import { Tensor, type NestedArray } from "./tensor.js";
import type { TensorBackend } from "./tensorOps.js";

/** Options of `tensor()`: the same as every creation function's. */
export type TensorOptions = CreateOptions;

/** Fresh storage of `size` elements of `dtype` from `backend`, checked to be of that dtype. */
function allocate(backend: TensorBackend, size: number, dtype: Dtype, zero: boolean): Storage {
  const storage = zero ? backend.ops.zeros(size, dtype) : backend.ops.empty(size, dtype);
  return checkStored(storage, backend.name, dtype);
}

/**
 * A tensor from nested arrays of numbers: `tensor([[1, 2], [3, 4]])` has
 * shape [2, 2]; a plain number gives a 0-d tensor.
 *
 * @throws IndexingError for a ragged array, naming where it is ragged.
 */
export function tensor(data: NestedArray, options: TensorOptions = {}): Tensor {
  const { backend, dtype, requiresGrad } = creationOptions("tensor", options);
  const shape = inferShape(data);
  const storage = allocate(backend, shapeSize(shape), dtype ?? "float64", false);
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
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
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

/**
 * A tensor of `shape` holding `values` (row-major), copied into the
 * backend's storage; last a backend or options. Its dtype defaults to
 * float32 for a Float32Array, else float64.
 */
export function fromArray(values: ArrayLike<number>, shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, dtype, requiresGrad } = creationOptions("fromArray", options);
  checkShape(shape, "fromArray");
  const size = shapeSize(shape);
  if (values.length !== size) {
    throw new IndexingError(`fromArray: ${values.length} values cannot fill shape [${shape.join(", ")}] (${size} elements)`);
  }
  const storage = allocate(backend, size, dtype ?? (values instanceof Float32Array ? "float32" : "float64"), false);
  storage.set(values);
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}

/** A tensor of zeros; last a backend or options. */
export function zeros(shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, dtype, requiresGrad } = creationOptions("zeros", options);
  checkShape(shape, "zeros");
  return withGrad(Tensor.fromStorage(allocate(backend, shapeSize(shape), dtype ?? "float64", true), shape, undefined, backend), requiresGrad);
}

/** A tensor of ones; last a backend or options. */
export function ones(shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, dtype, requiresGrad } = creationOptions("ones", options);
  checkShape(shape, "ones");
  const storage = allocate(backend, shapeSize(shape), dtype ?? "float64", false);
  storage.fill(1);
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}

/**
 * A tensor of numbers drawn uniformly from [0, 1) by `random` (the library's
 * seedable default generator unless given): the same seed, the same tensor.
 */
export function rand(shape: readonly number[], options?: TensorBackend | CreateOptions, random: Random = defaultRandom): Tensor {
  const { backend, dtype, requiresGrad } = creationOptions("rand", options);
  checkShape(shape, "rand");
  const storage = allocate(backend, shapeSize(shape), dtype ?? "float64", false);
  for (let i = 0; i < storage.length; i++) storage[i] = random.random();
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}
