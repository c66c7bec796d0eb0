/**
 * The shape-function suite (shapeSuite.ts) on SimpleBackend; `to` moves to
 * a second instance of the same ops, a distinct backend.
 */
import { SimpleBackend, SimpleOps, TensorBackend } from "@minitorch/tensor-core";
import { float32 } from "./precision.js";
import { describeShapeSuite } from "./shapeSuite.js";

describeShapeSuite("simple", SimpleBackend, new TensorBackend(SimpleOps));
describeShapeSuite("simple float32", SimpleBackend, new TensorBackend(SimpleOps), float32);
