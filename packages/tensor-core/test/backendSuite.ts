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

/** Registers the task2_3 (forward) and task2_4 (gradient) tests for `backend`; every tensor they make lives on it. */
export function describeBackendSuite(backendName: string, backend: TensorBackend): void {
  describe("task2_3", () => {
    describeForward(backendName, backend);
  });
  describe("task2_4", () => {
    describeGradients(backendName, backend);
  });
}
