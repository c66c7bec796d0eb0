/**
 * The shared tensor suite of Tasks 2.3 and 2.4 on the GPU, at float32
 * precision against the float64 reference (see helpers.ts).
 *
 * GpuCourseBackend runs every map, zip and reduce on Task 3.3's own kernels,
 * whatever the layout, so its suite is task3_3's, and its matmul, on Task
 * 3.4's kernel, task3_4's. GpuBackend adds the library's flat and row
 * kernels for contiguous operands: library code, so its suite carries no
 * task tag.
 */
import { GpuBackend, GpuCourseBackend } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";
import { describeGpu, float32 } from "./helpers.js";

describeGpu("GpuBackend", () => {
  describeBackendSuite("gpu course", GpuCourseBackend, { forward: "task3_3 tensor suite", gradients: "task3_3 tensor suite gradients", matmul: "task3_4 tensor suite" }, float32);
  describeBackendSuite("gpu", GpuBackend, { forward: "library gpu tensor suite", gradients: "library gpu tensor suite gradients" }, float32);
  // float32 tensors on the GPU: their Float32Array storage is uploaded and read back as it is.
  describeBackendSuite("gpu float32 tensors", GpuBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, { ...float32, dtype: "float32" });
});
