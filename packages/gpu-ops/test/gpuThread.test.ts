/**
 * The GPU thread's contract: every way a job can fail is an Error naming
 * the operation, never a hang, and the next operation works again; a
 * script using GpuBackend exits cleanly; without an adapter, the reason
 * says what to install.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { fromArray } from "@minitorch/tensor-core";
import { GpuBackend, gpu, type GpuKernel } from "../src/index.js";
import { describeGpu } from "./helpers.js";

const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** Runs a fixture script in a fresh node process. */
function runScript(name: string, args: string[] = [], env: NodeJS.ProcessEnv = process.env): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [fixture(name), ...args], { env, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const works = (): void => {
  expect(fromArray([1, -2], [2], GpuBackend).neg().toArray()).toEqual([-1, 2]);
};

describe("GPU thread", () => {
  it("without an adapter (a driver file that does not exist), gpuAvailable says why and what to install, and an op throws it", () => {
    const r = runScript("noAdapter.mjs", [], { ...process.env, VK_ICD_FILENAMES: "/nonexistent/vulkan_icd.json", CI: "" });
    expect(r.code).toBe(0);
    const { status, error } = JSON.parse(r.stdout) as { status: { ok: boolean; adapter: string | null; reason: string }; error: string };
    expect(status.ok).toBe(false);
    expect(status.adapter).toBeNull();
    expect(status.reason).toMatch(/no WebGPU adapter/);
    expect(status.reason).toMatch(/VK_ICD_FILENAMES names a driver file that does not exist \(\/nonexistent\/vulkan_icd\.json\)/);
    expect(status.reason).toMatch(/SwiftShader/);
    expect(error).toMatch(/^neg map: GpuBackend has no GPU: no WebGPU adapter/);
  });

  describeGpu("idle", () => {
    it("an idle GPU thread costs no CPU: a second without jobs after an op uses well under a core (a turning event loop with a live Dawn device took a whole one)", () => {
      const r = runScript("idle.mjs");
      expect(r.code, r.stderr).toBe(0);
      const { idleCpuMs } = JSON.parse(r.stdout) as { idleCpuMs: number };
      expect(idleCpuMs).toBeLessThan(250);
    });
  });

  describeGpu("faults", () => {
    const timeout = gpu.timeoutMs;
    const cap = gpu.maxBufferBytes;
    afterEach(() => {
      gpu.timeoutMs = timeout;
      gpu.maxBufferBytes = cap;
    });

    it("the GPU thread exiting inside a job is an error naming the job; the next op starts a new thread", () => {
      works();
      const restarts = gpu.stats().restarts;
      expect(() => gpu.injectFault("exit")).toThrow(/^injectFault\(exit\): the GPU thread exited during the operation; it will be restarted$/);
      expect(gpu.stats().restarts).toBe(restarts + 1);
      works();
    });

    it("a job that never finishes times out with an error (MINITORCH_GPU_TIMEOUT_MS), and the thread is replaced", () => {
      works();
      gpu.timeoutMs = 1000;
      const started = Date.now();
      expect(() => gpu.injectFault("hang")).toThrow(/^injectFault\(hang\): the GPU did not finish within 1 s \(MINITORCH_GPU_TIMEOUT_MS\); the GPU thread was stopped/);
      expect(Date.now() - started).toBeLessThan(10_000);
      works();
    });

    it("a lost device fails the next op with the loss's reason, then a new device takes over", () => {
      works();
      gpu.injectFault("lose-device");
      expect(() => fromArray([1, 2], [2], GpuBackend).neg()).toThrow(/^neg map: the GPU device was lost \(destroyed.*\); the GPU thread will be restarted$/);
      works();
    });

    it("a shader that does not compile is an error naming the op, the kernel and the line", () => {
      const broken: GpuKernel = { name: "broken_kernel", source: () => "@compute @workgroup_size(1)\nfn main() {\n  let x: f32 = undefined_thing;\n}\n" };
      expect(() => gpu.run("myOp", broken, [1, 1, 1], [])).toThrow(/^myOp: shader compile error in broken_kernel:\nline 3:\d+: .*undefined_thing/);
      works();
    });

    it("a dispatch WebGPU rejects is a validation error naming the op", () => {
      const k: GpuKernel = { name: "wide", source: () => "@compute @workgroup_size(1)\nfn main() {}\n" };
      expect(() => gpu.run("wideOp", k, [70_000, 1, 1], [])).toThrow(/^wideOp: WebGPU validation error: .*65535/s);
      works();
    });

    it("an operand larger than the GPU's largest buffer is refused before the job, naming the op and both sizes", () => {
      gpu.maxBufferBytes = 1024 * 1024;
      const big = fromArray(new Float64Array(300_000), [300_000], GpuBackend);
      expect(() => big.neg()).toThrow(/^neg map: an operand of 300000 elements \(1\.1 MB as float32\) exceeds the GPU's largest buffer \(1\.0 MB\)$/);
      gpu.maxBufferBytes = cap;
      works();
    });

    it("with MINITORCH_POISON=1 an output element the kernel does not write comes back NaN, not a reused buffer's value", () => {
      const r = runScript("poison.mjs", [], { ...process.env, MINITORCH_POISON: "1" });
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe('[7,"NaN","NaN","NaN"]');
    });

    it.each(["end", "end", "end", "exit", "exit", "throw"])("a script using GpuBackend that ends by %s exits as it should, printing nothing alarming", (how) => {
      const r = runScript("useGpu.mjs", [how]);
      expect(r.stdout).toMatch(/^sum \d+\.\d{3} grad 2x3x8x8\n$/);
      if (how === "throw") {
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/the script failed on purpose/);
        expect(r.stderr).not.toMatch(/FATAL|napi|Abort|Segmentation/i);
      } else {
        expect(r.code).toBe(0);
        expect(r.stderr).toBe("");
      }
    });
  });
});
