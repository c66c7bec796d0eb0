/**
 * The shared tensor suite of Tasks 2.3 and 2.4 (forward values and
 * gradients of every tensor operation), run on FastBackend and tagged
 * task3_1: here it checks Task 3.1's parallel kernels.
 *
 * The suite is loaded by URL rather than by a static import so that the
 * type-check of this package (rootDir ".") does not pull in tensor-core's
 * test sources; its type is declared here instead.
 */
import type { TensorBackend } from "@minitorch/tensor-core";
import { FastBackend } from "../src/index.js";

const suite = new URL("../../tensor-core/test/backendSuite.ts", import.meta.url).href;
const { describeBackendSuite } = (await import(suite)) as {
  describeBackendSuite: (backendName: string, backend: TensorBackend, tasks: { forward: string; gradients: string }) => void;
};

describeBackendSuite("fast", FastBackend, { forward: "task3_1 tensor suite", gradients: "task3_1 tensor suite gradients" });
