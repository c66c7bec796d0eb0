/**
 * The practice kernels of Tasks 3.3 and 3.4 as functions on tensors, as
 * minitorch's cuda_ops.py has `sum_practice` and `mm_practice`.
 */
import { IndexingError, fromArray, type Tensor } from "@minitorch/tensor-core";
import { GpuBackend, gpu } from "./gpuOps.js";
import { MM_PRACTICE_DIM, mmPracticeShader } from "./matmulKernels.js";
import { ROLE_IN, ROLE_OUT, ROLE_PLAN } from "./protocol.js";
import { BLOCK_DIM, sumPracticeShader } from "./tensorKernels.js";
import { grid, makePlan } from "./wgslPrelude.js";

const sumPracticeKernel = { name: "sum_practice", source: sumPracticeShader };
const mmPracticeKernel = { name: "mm_practice", source: mmPracticeShader };

/** Values of `t` in row-major order, on GpuBackend. */
const rowMajor = (t: Tensor): Tensor => fromArray(t.toFloat64Array(), t.shape, GpuBackend);

/**
 * Task 3.3 practice: the sums of consecutive blocks of 32 elements of a
 * 1-D tensor, [n] → [⌈n / 32⌉], each block summed in workgroup memory.
 */
export function sumPractice(a: Tensor): Tensor {
  if (a.dims !== 1 || a.size < 1) {
    throw new IndexingError(`sumPractice: input must be a non-empty 1-D tensor, got shape [${a.shape.join(", ")}]`);
  }
  const x = rowMajor(a);
  const blocks = Math.ceil(a.size / BLOCK_DIM);
  const out = fromArray(new Float64Array(blocks), [blocks], GpuBackend);
  gpu.run("sumPractice", sumPracticeKernel, grid(blocks), [
    { data: makePlan([], [a.size, blocks]), role: ROLE_PLAN },
    { data: out.storage, role: ROLE_OUT },
    { data: x.storage, role: ROLE_IN },
  ]);
  return out;
}

/**
 * Task 3.4 practice: a @ b for two square [size, size] matrices with
 * size ≤ 16, in one workgroup that loads both into workgroup memory.
 */
export function mmPractice(a: Tensor, b: Tensor): Tensor {
  const n = a.shape[0]!;
  const square = (t: Tensor): boolean => t.dims === 2 && t.shape[0] === n && t.shape[1] === n;
  if (!square(a) || !square(b) || n < 1 || n > MM_PRACTICE_DIM) {
    throw new IndexingError(
      `mmPractice: a and b must be square [size, size] with 1 ≤ size ≤ ${MM_PRACTICE_DIM}, got [${a.shape.join(", ")}] and [${b.shape.join(", ")}]`,
    );
  }
  const out = fromArray(new Float64Array(n * n), [n, n], GpuBackend);
  gpu.run("mmPractice", mmPracticeKernel, [1, 1, 1], [
    { data: makePlan([], [n]), role: ROLE_PLAN },
    { data: out.storage, role: ROLE_OUT },
    { data: rowMajor(a).storage, role: ROLE_IN },
    { data: rowMajor(b).storage, role: ROLE_IN },
  ]);
  return out;
}

