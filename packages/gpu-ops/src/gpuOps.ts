/**
 * GpuOps: the TensorOps of GpuBackend. map, zip, reduce, and the matrix
 * multiply and conv1d/conv2d it registers, run as WGSL kernels on the
 * GPU thread; every call is synchronous, like every other backend. Storage
 * stays float64 on the host; kernels compute in float32 (WGSL has no f64),
 * so results agree with SimpleBackend to float32 precision (about 7
 * significant digits), and values beyond ±3.4e38 become ±Infinity.
 *
 * `runKernel` runs a CPU kernel (any `Kernel`) on host storage through
 * FastBackend's pool, so code written for the CPU backends still works.
 */
import { operators } from "@minitorch/autodiff";
import { allocateStorage, processSingleton, runKernel as runOnPool } from "@minitorch/fast-ops";
import {
  DTYPES,
  IndexingError,
  TensorBackend,
  emptyTensor,
  isContiguousLayout,
  mapOutput,
  planMatmul,
  registerBackend,
  registerKernel,
  reduceOutput,
  tensorMap,
  zipOutput,
  type BinaryFn,
  type MapFn,
  type ReduceFn,
  type Tensor,
  type TensorOps,
  type UnaryFn,
  type ZipFn,
} from "@minitorch/tensor-core";
import { conv1dShader, conv2dShader } from "./convKernels.js";
import { GpuThread, type GpuKernel, type JobOperand } from "./gpuThread.js";
import { TILE, matmulShader } from "./matmulKernels.js";
import { ROLE_IN, ROLE_OUT, ROLE_PLAN } from "./protocol.js";
import { FLAT_THREADS, REDUCE_THREADS, flatMapShader, flatZipShader, mapShader, reduceShader, rowReduceShader, zipShader } from "./tensorKernels.js";
import { MAX_DIMS, MAX_GROUPS_PER_DIMENSION, THREADS_PER_BLOCK, f32Bits, grid, makePlan } from "./wgslPrelude.js";
import { wgslOperator, type WgslOperator } from "./wgslOperators.js";

/**
 * The process's GPU thread, shared by every GpuBackend operation. The
 * thread runtime holds it for the life of the process, for every copy of
 * this package loaded in it (built and source, as tests mix them), so that
 * one process never holds two devices.
 */
export const gpu: GpuThread = processSingleton("@minitorch/gpu-ops GPU thread", () => new GpuThread());

const plan = (data: Int32Array): JobOperand => ({ data, role: ROLE_PLAN });
const input = (t: Tensor): JobOperand => ({ data: t.storage, role: ROLE_IN });
const output = (t: Tensor): JobOperand => ({ data: t.storage, role: ROLE_OUT });

/** `fn`'s WGSL operator, or the error saying it has none. */
function wgslOperatorOrError(fn: (...xs: number[]) => number, kind: "map" | "zip" | "reduce"): WgslOperator | Error {
  try {
    return wgslOperator(fn, kind);
  } catch (e) {
    return e as Error;
  }
}

/** Workgroups for one invocation per element of `n`. */
const perElement = (n: number): [number, number, number] => grid(Math.ceil(n / THREADS_PER_BLOCK));

/**
 * The step of a flat kernel through `x` for a contiguous output of `shape`:
 * 1 when x is contiguous with that shape, 0 when it has one element, null
 * when the general kernel is needed.
 */
function flatStep(x: Tensor, shape: readonly number[]): number | null {
  if (x.size === 1) return 0;
  if (!x.isContiguous() || x.dims !== shape.length || x.shape.some((s, d) => s !== shape[d])) return null;
  return 1;
}

/** Throws unless every tensor fits the kernels' index buffers. */
function checkDims(op: string, tensors: readonly Tensor[]): void {
  for (const t of tensors) {
    if (t.dims > MAX_DIMS) {
      throw new IndexingError(`${op}: GpuBackend handles tensors of at most ${MAX_DIMS} dimensions, got shape [${t.shape.join(", ")}]`);
    }
  }
}

/**
 * True when `t`'s elements fill its storage exactly, each once, in some
 * order: then reading the whole kernel output back writes nothing else.
 */
export function coversStorage(t: Tensor): boolean {
  if (t.size !== t.storage.length) return false;
  const order = t.shape.map((s, d) => [s, t.strides[d]!] as const).filter(([s]) => s > 1);
  order.sort((x, y) => y[1] - x[1]);
  return isContiguousLayout(
    order.map(([s]) => s),
    order.map(([, st]) => st),
  );
}

const copyInto = tensorMap(operators.id);

/**
 * Runs `write(target)` where target is `out` if the kernel may overwrite
 * its whole storage, else a fresh contiguous tensor then copied into `out`
 * on the host (in float64, leaving the rest of out's storage as it was).
 */
function intoOutput(out: Tensor, write: (target: Tensor) => void): void {
  if (out.size === 0) return;
  if (coversStorage(out)) {
    write(out);
    return;
  }
  const tmp = emptyTensor(out.shape, out.backend, out.dtype);
  write(tmp);
  copyInto(out.storage, out.data.shapeArray, out.data.stridesArray, tmp.storage, tmp.data.shapeArray, tmp.data.stridesArray);
}

/** A kernel whose source is built from `shader` on first use. */
function kernel(name: string, shader: () => string): GpuKernel {
  return { name, source: shader };
}

const matmulKernel = kernel("tensor_matrix_multiply", matmulShader);
const conv1dKernel = kernel("tensor_conv1d", conv1dShader);
const conv2dKernel = kernel("tensor_conv2d", conv2dShader);

function gpuMatrixMultiply(a: Tensor, b: Tensor): Tensor {
  const p = planMatmul(a, b);
  const out = p.out;
  checkDims("matmul", [out, a, b]);
  if (p.batch > MAX_GROUPS_PER_DIMENSION) {
    throw new IndexingError(`matmul: GpuBackend multiplies at most ${MAX_GROUPS_PER_DIMENSION} matrices at once, got ${p.batch}`);
  }
  if (out.size === 0) return out;
  if (p.k === 0) {
    out.storage.fill(0);
    return out;
  }
  gpu.run("matmul", matmulKernel, [Math.ceil(p.n / TILE), Math.ceil(p.m / TILE), p.batch], [
    plan(makePlan([out, a, b])),
    output(out),
    input(a),
    input(b),
  ]);
  return out;
}

/** out ← conv(input, weight) for 3-D (conv1d) or 4-D (conv2d) views of any strides. */
function gpuConvolve(op: "conv1d" | "conv2d", out: Tensor, x: Tensor, w: Tensor, reverse: boolean): void {
  intoOutput(out, (target) => {
    gpu.run(op, op === "conv1d" ? conv1dKernel : conv2dKernel, perElement(target.size), [
      plan(makePlan([target, x, w], [target.size, reverse ? 1 : 0])),
      output(target),
      input(x),
      input(w),
    ]);
  });
}

/**
 * The GPU ops under `name`. With `library`, contiguous operands of one shape
 * take the flat map/zip kernels and many-output reductions the row kernel:
 * the library's fast paths. Without it, every map, zip and reduce runs
 * Task 3.3's own kernels (tensor_map, tensor_zip, tensor_reduce), as
 * CourseBackend runs Task 3.1's loops, so the course's tests reach them.
 */
function gpuOps(name: string, library: boolean): TensorOps {
  return {
    name,

    // float32 storage is uploaded and read back as it is; float64 is converted on the way (WGSL has no f64).
    zeros: (size, dtype = "float64") => allocateStorage(size, true, dtype),
    empty: (size, dtype = "float64") => allocateStorage(size, false, dtype),

    map(fn: UnaryFn): MapFn {
      const op = wgslOperatorOrError(fn, "map");
      // A function without WGSL fails when it is called, not when a backend is built from it.
      if (op instanceof Error) return () => {
        throw op;
      };
      const general = kernel(`tensor_map(${op.name})`, () => mapShader(op));
      const flat = kernel(`flat_map(${op.name})`, () => flatMapShader(op));
      const name = `${op.name} map`;
      return (a, out) => {
        const o = mapOutput(a, out, fn.name || "map");
        checkDims(name, [o, a]);
        intoOutput(o, (target) => {
          const step = library && target.isContiguous() ? flatStep(a, target.shape) : null;
          if (step !== null) {
            const groups = grid(Math.ceil(target.size / FLAT_THREADS));
            gpu.run(name, flat, groups, [plan(makePlan([], [target.size, step])), output(target), input(a)]);
            return;
          }
          gpu.run(name, general, perElement(target.size), [plan(makePlan([target, a], [target.size])), output(target), input(a)]);
        });
        return o;
      };
    },

    zip(fn: BinaryFn): ZipFn {
      const op = wgslOperatorOrError(fn, "zip");
      // A function without WGSL fails when it is called, not when a backend is built from it.
      if (op instanceof Error) return () => {
        throw op;
      };
      const general = kernel(`tensor_zip(${op.name})`, () => zipShader(op));
      const flat = kernel(`flat_zip(${op.name})`, () => flatZipShader(op));
      const name = `${op.name} zip`;
      return (a, b) => {
        const o = zipOutput(a, b, fn.name || "zip");
        checkDims(name, [o, a, b]);
        intoOutput(o, (target) => {
          const stepA = library ? flatStep(a, target.shape) : null;
          const stepB = library ? flatStep(b, target.shape) : null;
          if (stepA !== null && stepB !== null) {
            const groups = grid(Math.ceil(target.size / FLAT_THREADS));
            gpu.run(name, flat, groups, [plan(makePlan([], [target.size, stepA, stepB])), output(target), input(a), input(b)]);
            return;
          }
          gpu.run(name, general, perElement(target.size), [
            plan(makePlan([target, a, b], [target.size])),
            output(target),
            input(a),
            input(b),
          ]);
        });
        return o;
      };
    },

    reduce(fn: BinaryFn, start: number): ReduceFn {
      const op = wgslOperatorOrError(fn, "reduce");
      // A function without WGSL fails when it is called, not when a backend is built from it.
      if (op instanceof Error) return () => {
        throw op;
      };
      const workgroups = kernel(`tensor_reduce(${op.name})`, () => reduceShader(op));
      const rows = kernel(`row_reduce(${op.name})`, () => rowReduceShader(op));
      const name = `${op.name} reduce`;
      return (a, dim) => {
        const o = reduceOutput(a, dim, fn.name ? `${fn.name} reduce` : "reduce");
        checkDims(name, [o, a]);
        intoOutput(o, (target) => {
          const p = plan(makePlan([target, a], [target.size, dim, f32Bits(start)]));
          // Few outputs: a workgroup per output shares each row; many: an invocation per output.
          if (!library || target.size < REDUCE_THREADS) gpu.run(name, workgroups, grid(target.size), [p, output(target), input(a)]);
          else gpu.run(name, rows, perElement(target.size), [p, output(target), input(a)]);
        });
        return o;
      };
    },

    runKernel: runOnPool,
  };
}

/** The GPU backend's ops. */
export const GpuOps: TensorOps = gpuOps("gpu", true);

/** Task 3.3's kernels alone, with no library fast path: the backend of the course's GPU tests. */
export const GpuCourseOps: TensorOps = gpuOps("gpu-course", false);

/** The GPU backend. Its first operation starts the GPU thread; see gpuAvailable(). */
export const GpuBackend = new TensorBackend(GpuOps);

/**
 * GpuBackend without its library fast paths: every map, zip and reduce runs
 * the student's Task 3.3 kernels whatever the layout. The course's GPU tests
 * run on it, so a stub fails them all.
 */
export const GpuCourseBackend = new TensorBackend(GpuCourseOps);
// The shaders compute in f32 whatever the storage: float32 tensors travel as they are.
for (const ops of [GpuOps, GpuCourseOps]) {
  registerKernel("matmul", ops.name, gpuMatrixMultiply, DTYPES);
  registerKernel("conv1d", ops.name, (out, x, w, reverse) => gpuConvolve("conv1d", out, x, w, reverse), DTYPES);
  registerKernel("conv2d", ops.name, (out, x, w, reverse) => gpuConvolve("conv2d", out, x, w, reverse), DTYPES);
}
registerBackend(GpuBackend, {
  unavailable: () => {
    const status = gpu.status();
    return status.ok ? null : status.reason;
  },
  describe: () => gpu.status().adapter ?? "no adapter",
});
