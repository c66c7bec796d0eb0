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
 * make lives on it. They are tagged with the task whose code they exercise,
 * named in the calling file (scripts/task-index.mjs finds tags there):
 * task2_3 / task2_4 for the reference backend; another backend's package
 * passes its own tasks (CourseBackend's map/zip/reduce are Task 3.1's, its
 * matmul Task 3.2's: `matmul` tags the matmul tests apart), so that a
 * student copy of Module 3 still passes every Module 2 test. The tests of
 * given code (tensor creation, the error of a backward without a gradient)
 * pass whatever the student wrote, so they carry no task's tag. A float32
 * backend passes its `precision` profile (see precision.ts).
 */
export function describeBackendSuite(
  backendName: string,
  backend: TensorBackend,
  tasks: { forward: string; gradients: string; matmul?: string },
  precision: SuitePrecision = float64,
): void {
  describe(tasks.forward, () => {
    describeForward(backendName, backend, precision, "elementwise");
    if (tasks.matmul === undefined) describeForward(backendName, backend, precision, "matmul");
  });
  if (tasks.matmul !== undefined) {
    describe(tasks.matmul, () => {
      describeForward(backendName, backend, precision, "matmul");
    });
  }
  describe(tasks.gradients, () => {
    describeGradients(backendName, backend, precision);
  });
  describe(`given code [${backendName}]`, () => {
    describeForward(backendName, backend, precision, "given");
    describeGradients(backendName, backend, precision, true);
  });
}
