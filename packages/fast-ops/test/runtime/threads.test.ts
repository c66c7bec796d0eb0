/**
 * The runtime's fault suite (faultSuite.ts) on FastOps' worker pool, with
 * fixture kernels that throw, exit or hang on a worker thread only.
 */
import { beforeAll } from "vitest";
import { SimpleBackend, fromArray, rand, type Kernel, type KernelArg } from "@minitorch/tensor-core";
import { FastBackend, FastOps, pool, poolStats, setThreads } from "../../src/index.js";
import { expectSameTensor, onWorkers } from "../helpers.js";
import { runtimeFaultSuite } from "./faultSuite.js";

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A kernel from a fixture module: the main thread calls its export, workers import it. */
async function fixtureKernel(name: string): Promise<Kernel> {
  const module = new URL(`../fixtures/${name}.mjs`, import.meta.url).href;
  const exports = (await import(module)) as Record<string, (...args: KernelArg[]) => void>;
  return { name, module, fn: exports[name]! };
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

runtimeFaultSuite({
  name: "FastOps pool",
  async works() {
    const values = rand([200_000]).toFloat64Array();
    const out = await onWorkers(() => FastBackend.expMap(fromArray(values, [200_000], FastBackend)), poolStats);
    expectSameTensor(out, SimpleBackend.expMap(fromArray(values, [200_000])));
  },
  restarts: () => poolStats().restarts,
  get timeoutMs() {
    return pool.timeoutMs;
  },
  set timeoutMs(ms: number) {
    pool.timeoutMs = ms;
  },
  async fail(fault) {
    const kernel = await fixtureKernel({ throw: "throwKernel", exit: "exitKernel", hang: "hangKernel" }[fault]);
    const out = FastOps.zeros(4096);
    // Until the workers have imported the fixture, the main thread does every chunk and the job succeeds.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(20)) {
      try {
        pool.run(kernel, [out], 1000);
      } catch (e) {
        return e as Error;
      }
    }
    throw new Error(`${kernel.name} never failed on a worker within 10 s: ${JSON.stringify(poolStats())}`);
  },
  says: {
    // The first line; the kernel's stack frames follow on the next ones.
    throw: /^throwKernel: boom in a worker at \[\d+, \d+\)$/m,
    exit: /^exitKernel: a FastOps worker exited during the operation; the pool was restarted$/,
    hang: /^hangKernel: a FastOps worker did not finish within 1 s \(MINITORCH_THREAD_TIMEOUT_MS\); the pool was restarted$/,
  },
  kill: () => pool.killWorker(0),
});
