/**
 * The shared tensor suite of Tasks 2.3 and 2.4 (forward values and
 * gradients of every tensor operation), run on FastBackend and on
 * PlainBackend (the same Task 3.1 kernels, matmul in plain TypeScript
 * instead of SIMD), tagged task3_1: here it checks Task 3.1's parallel
 * kernels.
 */
import { FastBackend, PlainBackend } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";
import { float32 } from "../../tensor-core/test/precision.js";

describeBackendSuite("fast", FastBackend, { forward: "task3_1 tensor suite", gradients: "task3_1 tensor suite gradients" });
describeBackendSuite("plain", PlainBackend, { forward: "task3_1 tensor suite", gradients: "task3_1 tensor suite gradients" });
describeBackendSuite("fast float32", FastBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);
describeBackendSuite("plain float32", PlainBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);
