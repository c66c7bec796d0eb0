/**
 * PlainBackend: FastBackend with the library's plain-TypeScript kernels
 * instead of WebAssembly SIMD — the same blocking in scalar JavaScript,
 * which tops out near 2 flops per cycle where f64x2 doubles that. It shows
 * what SIMD buys (`pnpm bench` runs both side by side) and runs where
 * WebAssembly SIMD is not available.
 *
 *                  map / zip / reduce     matmul                      conv1d / conv2d
 *   CourseBackend  Task 3.1 (kernelLoops)  Task 3.2 (matmul.ts)        Tasks 4.1 / 4.2 (fast-conv conv1d.ts, conv2d.ts)
 *   PlainBackend   operatorKernels.ts      packed GEMM (gemm.ts)       implicit GEMM (fast-conv implicitGemm.ts)
 *   FastBackend    operatorKernels.ts      SIMD GEMM (simd/matmul.ts)  SIMD convolution (fast-conv simd/)
 */
import { TensorBackend, planMatmul, registerBackend, registerKernel, type Tensor, type TensorOps } from "@minitorch/tensor-core";
import { FastOps, pool, runKernel } from "./fastOps.js";
import { MC, packB, packedGemmKernel } from "./gemm.js";
import { windowMean } from "./avgpool.js";

export { packedGemmKernel };
import { allocateStorage } from "./storage.js";

/** a @ b with B packed once (on the calling thread), then the packed GEMM of gemm.ts on the pool. */
export function packedMatrixMultiply(a: Tensor, b: Tensor): Tensor {
  const p = planMatmul(a, b);
  const { packed, packedOffsets } = packB(b.storage, p.bOffsets, p.bRow, p.bCol, p.k, p.n, (n) => allocateStorage(n, false));
  const bands = Math.ceil(p.m / MC);
  runKernel(
    packedGemmKernel,
    [p.out.storage, a.storage, p.aOffsets, p.aRow, p.aCol, packed, packedOffsets, p.m, p.k, p.n],
    p.batch * bands,
    2 * MC * p.k * p.n,
  );
  return p.out;
}

/** FastOps under another name, whose kernels are plain TypeScript: the packed GEMM here, the implicit GEMM in fast-conv. */
export const PlainOps: TensorOps = { ...FastOps, name: "plain" };

/** The parallel backend with plain-TypeScript kernels. */
export const PlainBackend = new TensorBackend(PlainOps);
registerKernel("avgpool2d", PlainOps.name, windowMean, ["float64", "float32"]);
// The packed GEMM reads and writes through the storage's own element type (it packs into float64), so it serves both dtypes.
registerKernel("matmul", PlainOps.name, packedMatrixMultiply, ["float64", "float32"]);
registerBackend(PlainBackend, { describe: () => `${pool.size} threads` });
