/**
 * The shared tensor suite of Tasks 2.3 and 2.4 on GpuBackend, tagged
 * task3_3: every tensor operation runs on Task 3.3's map, zip and reduce
 * kernels, and matmul, tagged task3_4, on Task 3.4's; compared with the float64 reference
 * at float32 precision (see helpers.ts).
 */
import { GpuBackend } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";
import { describeGpu, float32 } from "./helpers.js";

describeGpu("GpuBackend", () => {
  describeBackendSuite("gpu", GpuBackend, { forward: "task3_3 tensor suite", gradients: "task3_3 tensor suite gradients", matmul: "task3_4 tensor suite" }, float32);
  // float32 tensors on the GPU: their Float32Array storage is uploaded and read back as it is.
  describeBackendSuite("gpu float32 tensors", GpuBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, { ...float32, dtype: "float32" });
});
