/**
 * Module 3: FastOps, the parallel backend — a drop-in replacement for
 * SimpleOps with identical results, whose kernels run on every core through
 * the process-wide pool. Operations too small to pay for waking the workers
 * run inline on the calling thread. Its matmul (and fast-conv's
 * convolutions on it) run the WebAssembly SIMD kernels of src/simd/;
 * PlainOps (plainOps.ts) and CourseOps (courseOps.ts) are the same backend
 * with plain-TypeScript kernels.
 */
import { envInt } from "@minitorch/autodiff";
import {
  TensorBackend,
  checkScalarFunction,
  mapOutput,
  reduceOutput,
  scalarOpLabel,
  zipOutput,
  type BinaryFn,
  type Kernel,
  type KernelArg,
  type MapFn,
  type ReduceFn,
  type TensorOps,
  type UnaryFn,
  type ZipFn,
} from "@minitorch/tensor-core";
import { compileMap, compileReduce, compileZip, functionFromSource, operatorName } from "./elementwise.js";
import { checkSelfContained } from "./selfContained.js";
import { Pool, type PoolStats } from "./pool.js";
import type { KernelDef } from "./protocol.js";
import { simdMatrixMultiply } from "./simd/matmul.js";
import { allocateStorage } from "./storage.js";

/** The pool every FastBackend operation runs on. */
export const pool = new Pool();

/**
 * Work below this estimate (in floating-point-operation equivalents; an
 * elementwise op counts one per element) runs inline. `pnpm bench --only
 * inline` measured the crossover of a zip at 2,000–5,000 elements on this
 * project's 2-core machine when quiet, and much higher under load; 8192
 * keeps a margin (docs/benchmarks.md). MINITORCH_PARALLEL_MIN overrides it.
 */
export const PARALLEL_MIN_COST = envInt("MINITORCH_PARALLEL_MIN", { min: 0, fallback: 8192 });

/** Kernel definitions for workers, by kernel. */
const workerDefs = new WeakMap<Kernel, KernelDef>();

/**
 * Runs `kernel` over [0, work): inline when small, else on the pool.
 * `cost` is the estimated work per unit.
 */
export function runKernel(kernel: Kernel, args: readonly KernelArg[], work: number, cost: number): void {
  if (work * cost < PARALLEL_MIN_COST) {
    try {
      kernel.fn(...args, 0, work);
    } catch (e) {
      throw new Error(`${kernel.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    return;
  }
  pool.run(kernel, args, work, workerDefs.get(kernel));
}

type Kind = "map" | "zip" | "reduce";

/**
 * The kernel for `fn`: a library operator is known to workers by name; any
 * other function is sent to them as source, so it must be self-contained —
 * decided here, from the source text, once for every size and pool state.
 * The inline path then runs the same function rebuilt from that source, so
 * a call on the main thread and one in a worker cannot differ.
 */
function elementwiseKernel(kind: Kind, fn: (...xs: number[]) => number): Kernel {
  checkScalarFunction(fn, scalarOpLabel(kind, fn));
  const suffix = kind === "map" ? "Map" : kind === "zip" ? "Zip" : "Reduce";
  const name = `${fn.name || "fn"}${suffix}`;
  const op = operatorName(fn);
  let def: KernelDef;
  let run = fn;
  if (op !== undefined) {
    def = { kind, name, op };
  } else {
    const label = scalarOpLabel(kind, fn);
    const source = checkSelfContained(fn.toString(), label);
    run = functionFromSource(source, label);
    def = { kind, name, source };
  }
  // Compiled on first use, so that building a backend compiles nothing it does not run.
  let compiled: ((...args: KernelArg[]) => void) | null = null;
  const compile = (): ((...args: KernelArg[]) => void) =>
    (kind === "map" ? compileMap(run, name) : kind === "zip" ? compileZip(run, name) : compileReduce(run, name)) as (
      ...args: KernelArg[]
    ) => void;
  const kernel: Kernel = { name, module: "", fn: (...args) => (compiled ??= compile())(...args) };
  workerDefs.set(kernel, def);
  return kernel;
}

/** The parallel backend's ops. */
export const FastOps: TensorOps = {
  name: "fast",
  // matmul and conv1d/conv2d run the WebAssembly SIMD kernels here; PlainOps and CourseOps keep them in TypeScript.
  kernels: "fast",

  threads: () => pool.size,
  zeros: (size) => allocateStorage(size, true),
  empty: (size) => allocateStorage(size, false),

  map(fn: UnaryFn): MapFn {
    const kernel = elementwiseKernel("map", fn);
    return (a, out) => {
      const o = mapOutput(a, out, fn.name || "map");
      runKernel(kernel, [o.storage, o.data.shapeArray, o.data.stridesArray, a.storage, a.data.shapeArray, a.data.stridesArray], o.size, 1);
      return o;
    };
  },

  zip(fn: BinaryFn): ZipFn {
    const kernel = elementwiseKernel("zip", fn);
    return (a, b) => {
      const o = zipOutput(a, b, fn.name || "zip");
      runKernel(
        kernel,
        [
          o.storage,
          o.data.shapeArray,
          o.data.stridesArray,
          a.storage,
          a.data.shapeArray,
          a.data.stridesArray,
          b.storage,
          b.data.shapeArray,
          b.data.stridesArray,
        ],
        o.size,
        1,
      );
      return o;
    };
  },

  reduce(fn: BinaryFn, start: number): ReduceFn {
    const kernel = elementwiseKernel("reduce", fn);
    return (a, dim) => {
      const o = reduceOutput(a, dim, fn.name ? `${fn.name} reduce` : "reduce");
      runKernel(
        kernel,
        [o.storage, o.data.shapeArray, o.data.stridesArray, a.storage, a.data.shapeArray, a.data.stridesArray, dim, start],
        o.size,
        Math.max(1, a.shape[dim]!),
      );
      return o;
    };
  },

  matrixMultiply: simdMatrixMultiply,

  runKernel,
};

/** The parallel backend. */
export const FastBackend = new TensorBackend(FastOps);

/** Stops the worker threads (they restart on the next parallel operation). */
export function shutdown(): Promise<void> {
  return pool.shutdown();
}

/** Sets the number of threads (the main thread included; 1 = no workers). */
export function setThreads(threads: number): void {
  pool.setThreads(threads);
}

/** Pool counters: jobs run in parallel and inline, chunks done by workers, restarts. */
export function poolStats(): PoolStats {
  return pool.stats();
}
