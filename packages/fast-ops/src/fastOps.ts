/**
 * Module 3: FastOps, the parallel backend — a drop-in replacement for
 * SimpleOps with identical results, whose kernels run on every core through
 * the process-wide pool. Operations too small to pay for waking the workers
 * run inline on the calling thread. Its matmul (and fast-conv's
 * convolutions on it) run the WebAssembly SIMD kernels of src/simd/;
 * PlainOps (plainOps.ts) and CourseOps (courseOps.ts) are the same backend
 * with plain-TypeScript kernels.
 */
import { envFlag, envInt } from "@minitorch/autodiff";
import {
  TensorBackend,
  registerBackend,
  registerKernel,
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
import { siblingModule } from "./runtime/threads.js";
import { fastMap, fastReduce, fastZip, functionFromSource, operatorName, type ElementwiseLoops, type ScalarRef } from "./elementwise.js";
import { checkSelfContained } from "./selfContained.js";
import { Pool, type PoolStats } from "./pool.js";
import type { KernelDef } from "./protocol.js";
import { simdMatrixMultiply } from "./simd/matmul.js";
import { simdMatrixMultiply32 } from "./simd/matmul32.js";
import { allocateStorage } from "./storage.js";
import { windowMean } from "./avgpool.js";

/** The pool every FastBackend operation runs on. */
export const pool = new Pool();

/**
 * Work below this estimate (in floating-point-operation equivalents; an
 * elementwise op counts one per element) runs inline: below it, waking a
 * worker costs more than it saves. `pnpm bench --only inline` measures the
 * crossover (docs/benchmarks.md); the default keeps a margin above it, as
 * the crossover rises under load. MINITORCH_PARALLEL_MIN overrides it.
 */
export const PARALLEL_MIN_COST = envInt("MINITORCH_PARALLEL_MIN", { min: 0, fallback: 8192 });

/**
 * MINITORCH_INLINE=1 runs every kernel on the calling thread, as
 * NUMBA_DISABLE_JIT does for minitorch: breakpoints, `console.log` and
 * stack traces in a kernel then work as in any other function.
 */
export const INLINE = envFlag("MINITORCH_INLINE");

/** Kernel definitions for workers, by kernel. */
const workerDefs = new WeakMap<Kernel, KernelDef>();

/**
 * Runs `kernel` over [0, work): inline when small (or MINITORCH_INLINE is
 * set), else on the pool. `cost` is the estimated work per unit.
 */
export function runKernel(kernel: Kernel, args: readonly KernelArg[], work: number, cost: number): void {
  if (INLINE || work * cost < PARALLEL_MIN_COST) {
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

/** The library's kernel set (elementwise.ts), as workers import it. */
export const fastLoops: ElementwiseLoops = {
  module: siblingModule(import.meta.url, "./elementwise"),
  map: { name: "fastMap", make: fastMap },
  zip: { name: "fastZip", make: fastZip },
  reduce: { name: "fastReduce", make: fastReduce },
};

/**
 * The kernel of set `loops` for `fn`: a library operator is known to
 * workers by name; any other function is sent to them as source, so it must
 * be self-contained — decided here, from the source text, once for every
 * size and pool state. The inline path then runs the same function rebuilt
 * from that source, so a call on the main thread and one in a worker
 * cannot differ.
 */
function elementwiseKernel(loops: ElementwiseLoops, kind: Kind, fn: (...xs: number[]) => number): Kernel {
  checkScalarFunction(fn, scalarOpLabel(kind, fn));
  const suffix = kind === "map" ? "Map" : kind === "zip" ? "Zip" : "Reduce";
  const name = `${fn.name || "fn"}${suffix}`;
  const op = operatorName(fn);
  let ref: ScalarRef;
  let run = fn;
  if (op !== undefined) {
    ref = { op };
  } else {
    const label = scalarOpLabel(kind, fn);
    const source = checkSelfContained(fn.toString(), label);
    run = functionFromSource(source, label);
    ref = { source };
  }
  const factory = loops[kind];
  // Made on first use, so that building a backend makes nothing it does not run.
  let made: ((...args: KernelArg[]) => void) | null = null;
  const make = (): ((...args: KernelArg[]) => void) => (factory.make as (f: typeof run) => (...args: KernelArg[]) => void)(run);
  const kernel: Kernel = { name, module: loops.module, fn: (...args) => (made ??= make())(...args) };
  workerDefs.set(kernel, { kind: "module", name: factory.name, module: loops.module, fn: ref });
  return kernel;
}

/** map, zip and reduce of a backend whose elementwise kernels are those of set `loops`. */
export function elementwiseOps(loops: ElementwiseLoops): Pick<TensorOps, "map" | "zip" | "reduce"> {
  return {
    map(fn: UnaryFn): MapFn {
      const kernel = elementwiseKernel(loops, "map", fn);
      return (a, out) => {
        const o = mapOutput(a, out, fn.name || "map");
        runKernel(kernel, [o.storage, o.data.shapeArray, o.data.stridesArray, a.storage, a.data.shapeArray, a.data.stridesArray], o.size, 1);
        return o;
      };
    },

    zip(fn: BinaryFn): ZipFn {
      const kernel = elementwiseKernel(loops, "zip", fn);
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
      const kernel = elementwiseKernel(loops, "reduce", fn);
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
  };
}

/** The parallel backend's ops. */
export const FastOps: TensorOps = {
  name: "fast",

  threads: () => pool.size,
  zeros: (size, dtype = "float64") => allocateStorage(size, true, dtype),
  empty: (size, dtype = "float64") => allocateStorage(size, false, dtype),

  ...elementwiseOps(fastLoops),

  runKernel,
};

/** The parallel backend: matmul here and conv1d/conv2d (fast-conv) run WebAssembly SIMD kernels. */
export const FastBackend = new TensorBackend(FastOps);
// windowMean composes tensor ops, which keep the dtype.
registerKernel("avgpool2d", FastOps.name, windowMean, ["float64", "float32"]);
registerKernel("matmul", FastOps.name, simdMatrixMultiply);
registerKernel("matmul", FastOps.name, simdMatrixMultiply32, "float32");
registerBackend(FastBackend, { describe: () => `${pool.size} threads` });

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
