/**
 * Validation and output allocation shared by every backend: the checks run
 * at the op boundary, before any kernel (or worker) starts, and the output
 * tensors the kernels write into.
 */
import { IndexingError, checkStored, shapeBroadcast, shapeSize, stridesFromShape, type Dtype } from "./tensorData.js";
import { Tensor, sameBackend } from "./tensor.js";
import type { TensorBackend } from "./tensorOps.js";

/**
 * A new contiguous tensor of `shape` and `dtype` (float64 when absent) on
 * `backend` whose storage the caller fills.
 *
 * @throws TypeError when the backend cannot store `dtype`.
 */
export function emptyTensor(shape: readonly number[], backend: TensorBackend, dtype: Dtype = "float64"): Tensor {
  const storage = backend.ops.empty(shapeSize(shape), dtype);
  checkStored(storage, backend.name, dtype);
  return Tensor.fromStorage(storage, shape, undefined, backend);
}

/** Output of a map: `out` if given (after checking `a` broadcasts into it), else a new tensor of `a`'s shape. */
export function mapOutput(a: Tensor, out: Tensor | undefined, op: string): Tensor {
  if (out === undefined) return emptyTensor(a.shape, a.backend, a.dtype);
  sameBackend(op, [a, out]);
  const shape = shapeBroadcast(a.shape, out.shape, op);
  if (shape.length !== out.dims || shape.some((s, i) => s !== out.shape[i])) {
    throw new IndexingError(`${op}: input of shape [${a.shape.join(", ")}] does not broadcast into output of shape [${out.shape.join(", ")}]`);
  }
  return out;
}

/** Output of a zip: a new tensor of the broadcast shape of `a` and `b`. */
export function zipOutput(a: Tensor, b: Tensor, op: string): Tensor {
  sameBackend(op, [a, b]);
  return emptyTensor(shapeBroadcast(a.shape, b.shape, op), a.backend, a.dtype);
}

/** Checks `dim` for a reduction of `a` and returns the output: `a`'s shape with `dim` of size 1. */
export function reduceOutput(a: Tensor, dim: number, op: string): Tensor {
  checkDim(a, dim, op);
  const shape = a.shape.slice();
  shape[dim] = 1;
  return emptyTensor(shape, a.backend, a.dtype);
}

/** Throws a RangeError unless `dim` is an integer dimension of `a`. */
export function checkDim(a: Tensor, dim: number, op: string): void {
  if (!Number.isInteger(dim) || dim < 0 || dim >= a.dims) {
    throw new RangeError(`${op}: dim must be an integer in [0, ${a.dims}) for shape [${a.shape.join(", ")}], got ${dim}`);
  }
}

/**
 * Everything a batched matrix-multiply kernel needs, with batch dimensions
 * flattened: for batch i, A starts at `aOffsets[i]` (row stride `aRow`,
 * column stride `aCol`), B at `bOffsets[i]`, and the contiguous output at
 * i·M·N.
 */
export interface MatmulPlan {
  out: Tensor;
  batch: number;
  m: number;
  k: number;
  n: number;
  aOffsets: Int32Array;
  bOffsets: Int32Array;
  aRow: number;
  aCol: number;
  bRow: number;
  bCol: number;
}

/**
 * Validates `a @ b` and plans it: both need at least 2 dimensions, the inner
 * sizes must agree, and the batch dimensions (all but the last two)
 * broadcast. A 2-D result is returned for two 2-D inputs.
 */
export function planMatmul(a: Tensor, b: Tensor): MatmulPlan {
  sameBackend("matmul", [a, b]);
  if (a.dims < 2 || b.dims < 2) {
    throw new IndexingError(`matmul: both inputs need at least 2 dimensions, got [${a.shape.join(", ")}] @ [${b.shape.join(", ")}]`);
  }
  const m = a.shape[a.dims - 2]!;
  const k = a.shape[a.dims - 1]!;
  const k2 = b.shape[b.dims - 2]!;
  const n = b.shape[b.dims - 1]!;
  if (k !== k2) {
    throw new IndexingError(
      `matmul: inner dimensions must match, got [${a.shape.join(", ")}] @ [${b.shape.join(", ")}] (${k} vs ${k2})`,
    );
  }
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const batchShape = shapeBroadcast(aBatchShape, bBatchShape, "matmul");
  const batch = shapeSize(batchShape);
  const aOffsets = batchOffsets(batchShape, aBatchShape, a.strides.slice(0, -2));
  const bOffsets = batchOffsets(batchShape, bBatchShape, b.strides.slice(0, -2));
  const out = emptyTensor([...batchShape, m, n], a.backend, a.dtype);
  return {
    out,
    batch,
    m,
    k,
    n,
    aOffsets,
    bOffsets,
    aRow: a.strides[a.dims - 2]!,
    aCol: a.strides[a.dims - 1]!,
    bRow: b.strides[b.dims - 2]!,
    bCol: b.strides[b.dims - 1]!,
  };
}

/** Storage offset of each batch of a tensor whose batch shape broadcasts to `batchShape`. */
function batchOffsets(batchShape: readonly number[], shape: readonly number[], strides: readonly number[]): Int32Array {
  const count = shapeSize(batchShape);
  const offsets = new Int32Array(count);
  const outStrides = stridesFromShape(batchShape);
  const lead = batchShape.length - shape.length;
  for (let i = 0; i < count; i++) {
    let rest = i;
    let pos = 0;
    for (let d = 0; d < batchShape.length; d++) {
      const idx = Math.floor(rest / outStrides[d]!);
      rest -= idx * outStrides[d]!;
      const sd = d - lead;
      if (sd >= 0 && shape[sd]! > 1) pos += idx * strides[sd]!;
    }
    offsets[i] = pos;
  }
  return offsets;
}
