/** PyTorch's everyday nn names (librarySuite.ts) on GpuBackend, at float32 precision. */
import { GpuBackend } from "@minitorch/gpu-ops";
import { describeGpu, float32 } from "../../gpu-ops/test/helpers.js";
import { describeNnLibrary } from "./librarySuite.js";

describeGpu("GpuBackend", () => {
  describeNnLibrary("GpuBackend", GpuBackend, float32);
});
