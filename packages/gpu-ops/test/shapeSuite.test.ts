/**
 * The shape-function suite of tensor-core (narrow, cat, stack, reshape,
 * transpose, to, noGrad) on GpuBackend at float32 precision; `to` moves to
 * SimpleBackend.
 */
import { SimpleBackend } from "@minitorch/tensor-core";
import { GpuBackend } from "../src/index.js";
import { describeShapeSuite } from "../../tensor-core/test/shapeSuite.js";
import { describeGpu, float32 } from "./helpers.js";

describeGpu("GpuBackend", () => {
  describeShapeSuite("gpu", GpuBackend, SimpleBackend, float32);
});
