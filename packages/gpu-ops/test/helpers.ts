/**
 * Shared by the GPU tests: whether they can run here, and the float32
 * profile GpuBackend is held to.
 *
 * The tests need a WebGPU adapter. Without one they are skipped, with the
 * reason printed — unless CI is set: there they run and fail, loudly, with
 * the reason (.ci/run points Vulkan at Chromium's SwiftShader).
 */
import { describe } from "vitest";
import { gpuAvailable } from "../src/index.js";
import type { SuitePrecision } from "../../tensor-core/test/precision.js";

export const gpuStatus = gpuAvailable();

/** Why the GPU tests are skipped, or null when they run. */
export const skipReason: string | null = gpuStatus.ok || process.env.CI ? null : gpuStatus.reason;
if (skipReason !== null) console.warn(`GPU tests skipped (no WebGPU adapter, CI unset): ${skipReason}`);

/** describe() for tests that need the GPU. */
export function describeGpu(name: string, body: () => void): void {
  describe.skipIf(skipReason !== null)(name, body);
}

/**
 * GpuBackend's profile for the shared suite. Inputs lie on a grid of 1/16,
 * so float32 holds them, their products and short sums exactly; what is
 * left is the rounding of division and of exp, log and sigmoid, within
 * 1e-5 relative. gradCheck perturbs by 1/128 (exact on that grid; smaller
 * steps vanish in float32 rounding, larger ones cross the suite's kinks) and
 * differences each output element on the host before summing (`perOutput`),
 * so that the rounding of outputs the step does not touch cancels; then the
 * default 1 % tolerance holds.
 */
export const float32: SuitePrecision = {
  forward: 1e-5,
  value: (x) => Math.round(x * 16) / 16,
  gradCheck: { epsilon: 1 / 128, perOutput: true },
  runs: 0.4,
};
