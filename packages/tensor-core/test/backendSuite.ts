/**
 * The tensor suite of Tasks 2.3 and 2.4, written once and run over every
 * backend: `describeBackendSuite("simple", SimpleBackend)` here, and the same
 * call with FastBackend in @minitorch/fast-ops.
 *
 * It imports the built package (`@minitorch/tensor-core`), not `../src`: a
 * backend from another package is built against that copy, and tensors of
 * two copies of the library cannot be mixed (their `instanceof Tensor`
 * checks differ). Run the build after changing tensor-core's source.
 */
import { describe } from "vitest";
import type { TensorBackend } from "@minitorch/tensor-core";
import { describeForward } from "./backendForward.js";
import { describeGradients } from "./backendGradients.js";
import { float64, type SuitePrecision } from "./precision.js";

export { float64, type SuitePrecision };

/**
 * Registers the forward and gradient tests for `backend`; every tensor they
 * make lives on it. They are tagged with the task whose code they exercise:
 * task2_3 / task2_4 for the reference backend; another backend's package
 * passes its own task (FastBackend's kernels are Task 3.1's), so that a
 * student copy of Module 3 still passes every Module 2 test. A float32
 * backend passes its `precision` profile (see precision.ts).
 */
export function describeBackendSuite(
  backendName: string,
  backend: TensorBackend,
  tasks: { forward: string; gradients: string } = { forward: "task2_3", gradients: "task2_4" },
  precision: SuitePrecision = float64,
): void {
  describe(tasks.forward, () => {
    describeForward(backendName, backend, precision);
  });
  describe(tasks.gradients, () => {
    describeGradients(backendName, backend, precision);
  });
}
