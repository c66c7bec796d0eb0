/**
 * The shape-function suite (shapeSuite.ts) on SimpleBackend; `to` moves to
 * a second instance of the same ops, a distinct backend.
 */
import { SimpleBackend, SimpleOps, TensorBackend } from "@minitorch/tensor-core";
import { describeShapeSuite } from "./shapeSuite.js";

describeShapeSuite("simple", SimpleBackend, new TensorBackend(SimpleOps));
