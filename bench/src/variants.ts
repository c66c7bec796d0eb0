/**
 * Variants of minitorch's own backends: SimpleBackend (the reference),
 * FastBackend (WebAssembly SIMD kernels) with the default thread count and
 * on one thread, PlainBackend (the same blocking in plain TypeScript) and
 * CourseBackend (the course's kernels), both on the same pool, and
 * GpuBackend named by its adapter.
 */
import { poolStats, setThreads } from "@minitorch/fast-ops";
import { gpuAvailable } from "@minitorch/gpu-ops";
import { sleep, yieldToEventLoop, type Variant } from "./timing.js";

export const SIMPLE = "Simple";
export const FAST = "Fast";
export const FAST_1T = "Fast 1-thread";
export const COURSE = "Course";
export const PLAIN = "Plain";

/** The thread count FastBackend had when the benchmark started (restored after one-thread runs). */
export const DEFAULT_THREADS = poolStats().threads;

/** FastBackend with `threads` threads: also the variant's name (`Fast`, `Fast 1-thread`). */
export function fastVariant(threads: number, run: () => void, extra: Partial<Variant> = {}): Variant {
  return {
    name: threads === DEFAULT_THREADS ? FAST : `Fast ${threads}-thread`,
    run,
    enter: onPool(threads, run),
    ...extra,
  };
}

/** CourseBackend (the course's matmul and convolution kernels) on the default thread count. */
export function courseVariant(run: () => void, extra: Partial<Variant> = {}): Variant {
  return { name: COURSE, run, enter: onPool(DEFAULT_THREADS, run), ...extra };
}

/** PlainBackend (the library's kernels in plain TypeScript: packed GEMM, implicit GEMM) on the default thread count. */
export function plainVariant(run: () => void, extra: Partial<Variant> = {}): Variant {
  return { name: PLAIN, run, enter: onPool(DEFAULT_THREADS, run), ...extra };
}

export function simpleVariant(run: () => void, extra: Partial<Variant> = {}): Variant {
  return { name: SIMPLE, run, ...extra };
}

/** Both FastBackend variants of a comparison: all threads, then one (skipped when the pool has one anyway). */
export function fastVariants(run: () => void, extra: Partial<Variant> = {}): Variant[] {
  const out = [fastVariant(DEFAULT_THREADS, run, extra)];
  if (DEFAULT_THREADS > 1) out.push(fastVariant(1, run, extra));
  return out;
}

/** How long new workers get to start (ms) and then to compile kernels under use (ms); --quick shortens both. */
export const workerWarmUp = { startMs: 150, useMs: 500 };

/** Bumped whenever setThreads replaces the workers. */
let generation = 0;

/**
 * A variant's `enter`: sets the pool's thread count and, the first time the
 * variant runs on a new set of workers, warms them up with its own work —
 * a fresh worker compiles every kernel it meets (JavaScript and WebAssembly
 * alike), and a LeNet step runs about twice as slow for its first ~50 steps
 * there, so a variant entered after another one restarted the pool would
 * otherwise pay that inside its samples.
 */
function onPool(threads: number, run: () => void): () => Promise<void> {
  let warmedOn = -1;
  return async () => {
    await useThreads(threads);
    if (threads === 1 || warmedOn === generation) return;
    warmedOn = generation;
    const started = performance.now();
    let calls = 0;
    while (calls < 1 || (performance.now() - started < workerWarmUp.useMs && calls < 200)) {
      run();
      calls++;
      await yieldToEventLoop();
    }
  };
}

/** Sets the pool's thread count if it differs, and lets new workers start. */
export async function useThreads(threads: number): Promise<void> {
  if (poolStats().threads === threads) return;
  setThreads(threads);
  generation++;
  if (threads > 1) await sleep(workerWarmUp.startMs);
}

/** Puts the default thread count back (after a section that used one thread). */
export async function restoreThreads(): Promise<void> {
  await useThreads(DEFAULT_THREADS);
}

/**
 * GpuBackend as a variant, named by its adapter ("GPU: SwiftShader driver
 * 5.0.0 (google swiftshader), software"), so a software GPU is never read as
 * a real one; n/a with the reason when there is no adapter.
 */
export function gpuVariant(run: () => void): Variant {
  const status = gpuAvailable();
  if (!status.ok) return { name: "GPU", run, unavailable: status.reason ?? "no WebGPU adapter" };
  return { name: `GPU: ${status.adapter}`, run };
}
