/**
 * Module 2: making tensors — from nested arrays, filled with zeros or ones,
 * or with seeded uniform random numbers.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { IndexingError, checkShape, shapeSize } from "./tensorData.js";
import { creationOptions, withGrad, type CreateOptions } from "./createOptions.js";
import { Tensor, type NestedArray } from "./tensor.js";
import type { TensorBackend } from "./tensorOps.js";

/** Options of `tensor()`: the same as every creation function's. */
export type TensorOptions = CreateOptions;

/**
 * A tensor from nested arrays of numbers: `tensor([[1, 2], [3, 4]])` has
 * shape [2, 2]; a plain number gives a 0-d tensor.
 *
 * @throws IndexingError for a ragged array, naming where it is ragged.
 */
export function tensor(data: NestedArray, options: TensorOptions = {}): Tensor {
  const { backend, requiresGrad } = creationOptions("tensor", options);
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

/** A tensor of `shape` holding `values` (row-major), copied into the backend's storage; last a backend or options. */
export function fromArray(values: ArrayLike<number>, shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, requiresGrad } = creationOptions("fromArray", options);
  checkShape(shape, "fromArray");
  const size = shapeSize(shape);
  if (values.length !== size) {
    throw new IndexingError(`fromArray: ${values.length} values cannot fill shape [${shape.join(", ")}] (${size} elements)`);
  }
  const storage = backend.ops.empty(size);
  storage.set(values);
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}

/** A tensor of zeros; last a backend or options. */
export function zeros(shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, requiresGrad } = creationOptions("zeros", options);
  checkShape(shape, "zeros");
  return withGrad(Tensor.fromStorage(backend.ops.zeros(shapeSize(shape)), shape, undefined, backend), requiresGrad);
}

/** A tensor of ones; last a backend or options. */
export function ones(shape: readonly number[], options?: TensorBackend | CreateOptions): Tensor {
  const { backend, requiresGrad } = creationOptions("ones", options);
  checkShape(shape, "ones");
  const storage = backend.ops.empty(shapeSize(shape));
  storage.fill(1);
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}

/**
 * A tensor of numbers drawn uniformly from [0, 1) by `random` (the library's
 * seedable default generator unless given): the same seed, the same tensor.
 */
export function rand(shape: readonly number[], options?: TensorBackend | CreateOptions, random: Random = defaultRandom): Tensor {
  const { backend, requiresGrad } = creationOptions("rand", options);
  checkShape(shape, "rand");
  const storage = backend.ops.empty(shapeSize(shape));
  for (let i = 0; i < storage.length; i++) storage[i] = random.random();
  return withGrad(Tensor.fromStorage(storage, shape, undefined, backend), requiresGrad);
}
