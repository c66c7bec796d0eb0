/**
 * The thread runtime's fault suite (fast-ops/test/runtime/faultSuite.ts) on
 * the GPU thread: a shader that does not compile, the thread exiting or
 * hanging inside a job (injected), and a lost device. Killing the thread
 * abruptly is left out: a thread that dies with a live Dawn device may take
 * the process down in Dawn's teardown, which no handling can prevent.
 */
import { fromArray } from "@minitorch/tensor-core";
import { runtimeFaultSuite } from "../../fast-ops/test/runtime/faultSuite.js";
import { GpuBackend, gpu, type GpuKernel } from "../src/index.js";
import { describe, it } from "vitest";
import { skipReason } from "./helpers.js";

const broken: GpuKernel = { name: "broken_kernel", source: () => "@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n" };

const neg = (): void => {
  const out = fromArray([1, -2], [2], GpuBackend).neg().toArray();
  if (JSON.stringify(out) !== "[-1,2]") throw new Error(`neg gave ${JSON.stringify(out)}`);
};

if (skipReason === null) {
  runtimeFaultSuite({
    name: "GPU thread",
    works: () => Promise.resolve(neg()),
    restarts: () => gpu.stats().restarts,
    get timeoutMs() {
      return gpu.timeoutMs;
    },
    set timeoutMs(ms: number) {
      gpu.timeoutMs = ms;
    },
    fail(fault) {
      try {
        if (fault === "throw") gpu.run("myOp", broken, [1, 1, 1], []);
        else gpu.injectFault(fault);
      } catch (e) {
        return Promise.resolve(e as Error);
      }
      return Promise.reject(new Error(`${fault} did not fail`));
    },
    says: {
      throw: /^myOp: shader compile error in broken_kernel:\nline 3:\d+: .*undefined_thing/,
      exit: /^injectFault\(exit\): the GPU thread exited during the operation; it will be restarted$/,
      hang: /^injectFault\(hang\): the GPU did not finish within 1 s \(MINITORCH_GPU_TIMEOUT_MS\); the GPU thread was stopped and will be restarted$/,
    },
    loseDevice: {
      run: () => gpu.injectFault("lose-device"),
      next: neg,
      says: /^neg map: the GPU device was lost \(destroyed.*\); the GPU thread will be restarted$/,
    },
  });
} else {
  // Without an adapter the suite is reported as skipped, with the reason, rather than the file holding no test.
  describe("thread runtime faults: GPU thread", () => {
    it.skip(`needs a WebGPU adapter: ${skipReason}`, () => {});
  });
}
