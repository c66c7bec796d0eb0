/**
 * Module 2: how a tensor's numbers are laid out. A `TensorData` is a flat
 * storage (`Float64Array`, or `Float32Array` for a float32 tensor) plus a
 * shape and strides; an index (one integer per
 * dimension) maps to a storage position by `indexToPosition`.
 *
 * Index helpers take and fill `Int32Array`s so that kernels can reuse one
 * buffer per loop instead of allocating per element.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";

/** Integer vectors used by kernels: an index, a shape or strides. */
export type IntArray = Int32Array;

/** The element types a tensor may have: float64 (the default, the course's) or float32. */
export type Dtype = "float64" | "float32";

/** Every dtype, for a kernel that serves them all (registerKernel's last argument). */
export const DTYPES: readonly Dtype[] = Object.freeze(["float64", "float32"]);

/** A tensor's flat storage: its dtype is the array's element type. */
export type Storage = Float64Array | Float32Array;

/** The dtype of `storage`. */
export function dtypeOf(storage: Storage): Dtype {
  return storage instanceof Float32Array ? "float32" : "float64";
}

/**
 * Returns `storage`, fresh from the backend called `backend`, after checking
 * it holds `dtype` (a backend written before dtypes stores float64 only).
 *
 * @throws TypeError naming the backend and both dtypes.
 */
export function checkStored<S extends Storage>(storage: S, backend: string, dtype: Dtype): S {
  if (dtypeOf(storage) !== dtype) {
    throw new TypeError(`backend "${backend}" cannot store ${dtype} tensors (its storage is ${dtypeOf(storage)})`);
  }
  return storage;
}

/** Fresh zero-filled storage of `size` elements of `dtype`. */
export function newStorage(size: number, dtype: Dtype): Storage {
  return dtype === "float32" ? new Float32Array(size) : new Float64Array(size);
}

/** Error for an index, shape or stride that does not fit. */
export class IndexingError extends Error {
  override name = "IndexingError";
}

/** Strides of a contiguous (row-major) tensor of `shape`. */
export function stridesFromShape(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let offset = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = offset;
    offset *= shape[i]!;
  }
  return strides;
}

/** Number of elements of a tensor of `shape` (1 for the empty shape). */
export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Position in storage of a multidimensional `index`: Σ index[i] · strides[i]. */
export function indexToPosition(index: ArrayLike<number>, strides: ArrayLike<number>): number {
  // BEGIN ASSIGN2.1
  let position = 0;
  for (let i = 0; i < strides.length; i++) position += index[i]! * strides[i]!;
  return position;
  // END ASSIGN2.1
}

/**
 * Converts an `ordinal` in [0, size) into the index it has when the tensor
 * of `shape` is enumerated in row-major order, written into `outIndex`.
 */
export function toIndex(ordinal: number, shape: ArrayLike<number>, outIndex: IntArray | number[]): void {
  // BEGIN ASSIGN2.1
  let rest = ordinal;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    const q = Math.floor(rest / s);
    outIndex[i] = rest - q * s;
    rest = q;
  }
  // END ASSIGN2.1
}

/**
 * Converts `bigIndex` into a tensor of `bigShape` into the index of a smaller
 * tensor of `shape` that broadcasts to it: dimensions of size 1 read index 0,
 * and missing leading dimensions are dropped. Written into `outIndex`.
 */
export function broadcastIndex(
  bigIndex: ArrayLike<number>,
  bigShape: ArrayLike<number>,
  shape: ArrayLike<number>,
  outIndex: IntArray | number[],
): void {
  // BEGIN ASSIGN2.2
  const offset = bigShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    outIndex[i] = shape[i]! > 1 ? bigIndex[i + offset]! : 0;
  }
  // END ASSIGN2.2
}

/**
 * The shape two tensors broadcast to: shapes are aligned on the right, and
 * each pair of sizes must be equal or contain a 1.
 *
 * @throws IndexingError naming both shapes when they do not broadcast.
 */
export function shapeBroadcast(shape1: readonly number[], shape2: readonly number[], op = "broadcast"): number[] {
  // BEGIN ASSIGN2.2
  const n = Math.max(shape1.length, shape2.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const a = shape1[shape1.length - n + i] ?? 1;
    const b = shape2[shape2.length - n + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) {
      throw new IndexingError(`${op}: cannot broadcast shapes [${shape1.join(", ")}] and [${shape2.join(", ")}]`);
    }
    out[i] = a === 1 ? b : a;
  }
  return out;
  // END ASSIGN2.2
}

/** Throws unless `shape` is a list of non-negative integers. */
export function checkShape(shape: readonly number[], op: string): void {
  if (!Array.isArray(shape) || shape.some((s) => !Number.isInteger(s) || s < 0)) {
    const shown = Array.isArray(shape) ? `[${shape.join(", ")}]` : String(shape);
    throw new IndexingError(`${op}: shape must be a list of non-negative integers, got ${shown}`);
  }
}

/** True when `strides` lay out `shape` in row-major order with no gaps (size-1 dimensions may have any stride). */
export function isContiguousLayout(shape: ArrayLike<number>, strides: ArrayLike<number>): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const s = shape[i]!;
    if (s !== 1 && strides[i] !== expected) return false;
    expected *= s;
  }
  return true;
}

/** A flat storage viewed with a shape and strides. Views share storage. */
export class TensorData {
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly size: number;
  readonly dims: number;
  /** `shape` as integers, for kernels. */
  readonly shapeArray: IntArray;
  /** `strides` as integers, for kernels. */
  readonly stridesArray: IntArray;

  constructor(
    readonly storage: Storage,
    shape: readonly number[],
    strides?: readonly number[],
  ) {
    checkShape(shape, "TensorData");
    const st = strides ?? stridesFromShape(shape);
    if (st.length !== shape.length) {
      throw new IndexingError(`TensorData: strides [${st.join(", ")}] must have one entry per dimension of shape [${shape.join(", ")}]`);
    }
    this.shape = Object.freeze(shape.slice());
    this.strides = Object.freeze(st.slice());
    this.size = shapeSize(shape);
    this.dims = shape.length;
    this.shapeArray = Int32Array.from(shape);
    this.stridesArray = Int32Array.from(st);
    if (this.size > 0) {
      let last = 0;
      for (let i = 0; i < st.length; i++) last += (shape[i]! - 1) * st[i]!;
      if (last >= storage.length || st.some((s) => s < 0)) {
        throw new IndexingError(
          `TensorData: shape [${shape.join(", ")}] with strides [${st.join(", ")}] reaches position ${last}, ` +
            `past a storage of ${storage.length}`,
        );
      }
    }
  }

  /** The element type, which is the storage's. */
  get dtype(): Dtype {
    return dtypeOf(this.storage);
  }

  /** True when the elements lie in storage in row-major order without gaps. */
  isContiguous(): boolean {
    return isContiguousLayout(this.shape, this.strides);
  }

  /** Storage position of `index`, checked against the shape. */
  index(index: readonly number[]): number {
    if (index.length !== this.dims) {
      throw new IndexingError(`index: [${index.join(", ")}] must have ${this.dims} entries for shape [${this.shape.join(", ")}]`);
    }
    for (let i = 0; i < index.length; i++) {
      const x = index[i]!;
      if (!Number.isInteger(x) || x < 0 || x >= this.shape[i]!) {
        throw new IndexingError(`index: [${index.join(", ")}] is out of range for shape [${this.shape.join(", ")}]`);
      }
    }
    return indexToPosition(index, this.strides);
  }

  /** Every index of the tensor, in row-major order. */
  *indices(): Generator<number[]> {
    const idx = new Int32Array(this.dims);
    for (let i = 0; i < this.size; i++) {
      toIndex(i, this.shapeArray, idx);
      yield Array.from(idx);
    }
  }

  /** A random valid index. */
  sample(random: Random = defaultRandom): number[] {
    return this.shape.map((s) => random.int(s));
  }

  get(index: readonly number[]): number {
    return this.storage[this.index(index)]!;
  }

  set(index: readonly number[], value: number): void {
    this.storage[this.index(index)] = value;
  }

  /** A view with dimensions reordered: new dimension i is old dimension order[i]. */
  permute(...order: number[]): TensorData {
    const sorted = order.slice().sort((a, b) => a - b);
    if (order.length !== this.dims || sorted.some((x, i) => x !== i)) {
      throw new IndexingError(
        `permute: order must be a permutation of 0..${this.dims - 1} for shape [${this.shape.join(", ")}], got [${order.join(", ")}]`,
      );
    }
    // BEGIN ASSIGN2.1
    return new TensorData(
      this.storage,
      order.map((i) => this.shape[i]!),
      order.map((i) => this.strides[i]!),
    );
    // END ASSIGN2.1
  }

  /** The tensor's elements in row-major order, as a new array. */
  toFloat64Array(): Float64Array {
    const out = new Float64Array(this.size);
    if (this.isContiguous()) {
      out.set(this.storage.subarray(0, this.size));
      return out;
    }
    const idx = new Int32Array(this.dims);
    for (let i = 0; i < this.size; i++) {
      toIndex(i, this.shapeArray, idx);
      out[i] = this.storage[indexToPosition(idx, this.stridesArray)]!;
    }
    return out;
  }

  toString(): string {
    return `TensorData(shape=[${this.shape.join(", ")}], strides=[${this.strides.join(", ")}])`;
  }
}
