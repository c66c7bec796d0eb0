/**
 * The shared tensor suite of Tasks 2.3 and 2.4 (forward values and
 * gradients of every tensor operation), run on FastBackend and tagged
 * task3_1: here it checks Task 3.1's parallel kernels.
 */
import { FastBackend } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";

describeBackendSuite("fast", FastBackend, { forward: "task3_1 tensor suite", gradients: "task3_1 tensor suite gradients" });
