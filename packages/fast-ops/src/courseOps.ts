/**
 * CourseBackend: the parallel backend running the course's own kernels —
 * the switch between what a student writes and what the library ships.
 *
 *                  map / zip / reduce     matmul                      conv1d / conv2d
 *   CourseBackend  Task 3.1 (kernelLoops)  Task 3.2 (matmul.ts)        Tasks 4.1 / 4.2 (fast-conv conv1d.ts, conv2d.ts)
 *   FastBackend    operatorKernels.ts      SIMD GEMM (simd/matmul.ts)  SIMD convolution (fast-conv simd/)
 *
 * (PlainBackend, plainOps.ts, sits between them.) All run on the same
 * worker pool with the same storage and give the same results (the tests
 * check that they agree). The course's task tests run on
 * CourseBackend, so in a student copy they exercise the student's kernels;
 * pass `{ backend: CourseBackend }` (or `--backend course` to the apps) to
 * train on them too.
 */
import {
  TensorBackend,
  emptyTensor,
  type Storage,
  planMatmul,
  registerBackend,
  registerKernel,
  shapeSize,
  type Tensor,
  type TensorOps,
} from "@minitorch/tensor-core";
import type { ElementwiseLoops } from "./elementwise.js";
import { FastOps, elementwiseOps, pool, runKernel } from "./fastOps.js";
import { tensorReduce, tensorMap, tensorZip } from "./kernelLoops.js";
import { matmulKernel } from "./matmul.js";
import { siblingModule } from "./runtime/threads.js";

export { matmulKernel };

/** Task 3.1's kernels (kernelLoops.ts), as workers import them. */
export const courseLoops: ElementwiseLoops = {
  module: siblingModule(import.meta.url, "./kernelLoops"),
  map: { name: "tensorMap", make: tensorMap },
  zip: { name: "tensorZip", make: tensorZip },
  reduce: { name: "tensorReduce", make: tensorReduce },
};

/** A tensor's storage, with a three-dimensional shape and strides for the kernel. */
type Operand3 = [Storage, Int32Array, Int32Array];

/**
 * The single stride that steps through batch dimensions `shape` (row-major
 * ordinals), or null when they cannot be merged into one dimension.
 */
function mergedBatchStride(shape: readonly number[], strides: readonly number[]): number | null {
  let stride: number | null = null;
  let next = 0;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] === 1) continue;
    if (stride === null) stride = strides[d]!;
    else if (strides[d] !== next) return null;
    next = strides[d]! * shape[d]!;
  }
  return stride ?? 0;
}

/**
 * `x` ([..., rows, cols], batch dimensions broadcasting to `batchShape`) as
 * minitorch's kernel takes it: [1, rows, cols] when it has no batch,
 * [batch, rows, cols] when its batch dimensions merge into one stride, and
 * otherwise a contiguous copy broadcast to the full batch.
 */
function asBatchOfMatrices(x: Tensor, batchShape: readonly number[]): Operand3 {
  const d = x.dims;
  const [rows, cols] = [x.shape[d - 2]!, x.shape[d - 1]!];
  const [rowStride, colStride] = [x.strides[d - 2]!, x.strides[d - 1]!];
  const ownBatch = x.shape.slice(0, -2);
  const batch = shapeSize(batchShape);
  if (shapeSize(ownBatch) === 1) return [x.storage, Int32Array.of(1, rows, cols), Int32Array.of(0, rowStride, colStride)];
  // A batch as large as the output's means the same batch dimensions (a broadcast one has size 1).
  const stride = shapeSize(ownBatch) === batch ? mergedBatchStride(ownBatch, x.strides.slice(0, -2)) : null;
  if (stride !== null) return [x.storage, Int32Array.of(batch, rows, cols), Int32Array.of(stride, rowStride, colStride)];
  const full = emptyTensor([...batchShape, rows, cols], x.backend, x.dtype);
  x.backend.idMap(x, full);
  return [full.storage, Int32Array.of(batch, rows, cols), Int32Array.of(rows * cols, cols, 1)];
}

/**
 * `a @ b` with Task 3.2's kernel, the driver minitorch gives with it:
 * checks the shapes, allocates the output, brings both operands to three
 * dimensions, and runs one work unit per output element on the pool.
 */
export function courseMatrixMultiply(a: Tensor, b: Tensor): Tensor {
  const plan = planMatmul(a, b);
  const { batch, m, k, n, out } = plan;
  const batchShape = out.shape.slice(0, -2);
  const [aStorage, aShape, aStrides] = asBatchOfMatrices(a, batchShape);
  const [bStorage, bShape, bStrides] = asBatchOfMatrices(b, batchShape);
  runKernel(
    matmulKernel,
    [out.storage, Int32Array.of(batch, m, n), Int32Array.of(m * n, n, 1), aStorage, aShape, aStrides, bStorage, bShape, bStrides],
    batch * m * n,
    2 * k,
  );
  return out;
}

/**
 * FastOps with the course's elementwise loops (Task 3.1), under another
 * name, so the registry gives it the course's other kernels: Task 3.2's
 * matmul, registered here, and Tasks 4.1/4.2's convolutions, registered by
 * fast-conv for every backend.
 */
export const CourseOps: TensorOps = { ...FastOps, ...elementwiseOps(courseLoops), name: "course" };

/** The parallel backend with the course's kernels. */
export const CourseBackend = new TensorBackend(CourseOps);
// Task 3.2's kernel reads and writes through the storage's own element type, so it serves both dtypes.
registerKernel("matmul", CourseOps.name, courseMatrixMultiply, ["float64", "float32"]);
registerBackend(CourseBackend, { describe: () => `${pool.size} threads` });
