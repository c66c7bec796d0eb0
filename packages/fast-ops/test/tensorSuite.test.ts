/**
 * The shared tensor suite of Tasks 2.3 and 2.4 (forward values and
 * gradients of every tensor operation), run on FastBackend and on
 * PlainBackend (FastBackend's kernels, matmul in plain TypeScript instead
 * of SIMD). The library's kernels, not the student's: no task tag (Task
 * 3.1's loops are checked by the same suite on CourseBackend, courseOps.test.ts).
 */
import { FastBackend, PlainBackend } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";
import { float32 } from "../../tensor-core/test/precision.js";

describeBackendSuite("fast", FastBackend, { forward: "library tensor suite", gradients: "library tensor suite gradients" });
describeBackendSuite("plain", PlainBackend, { forward: "library tensor suite", gradients: "library tensor suite gradients" });
describeBackendSuite("fast float32", FastBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);
describeBackendSuite("plain float32", PlainBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);
