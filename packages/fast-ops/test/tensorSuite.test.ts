/**
 * The shared tensor suite of Tasks 2.3 and 2.4 (forward values and
 * gradients of every tensor operation), run on FastBackend.
 *
 * The suite is loaded by URL rather than by a static import so that the
 * type-check of this package (rootDir ".") does not pull in tensor-core's
 * test sources; its type is declared here instead.
 */
import type { TensorBackend } from "@minitorch/tensor-core";
import { FastBackend } from "../src/index.js";

const suite = new URL("../../tensor-core/test/backendSuite.ts", import.meta.url).href;
const { describeBackendSuite } = (await import(suite)) as {
  describeBackendSuite: (backendName: string, backend: TensorBackend) => void;
};

describeBackendSuite("fast", FastBackend);
