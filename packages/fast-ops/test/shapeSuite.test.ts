/**
 * The shape-function suite of tensor-core (narrow, cat, stack, reshape,
 * transpose, to, noGrad) on the pool's backends; `to` moves to SimpleBackend.
 */
import { SimpleBackend } from "@minitorch/tensor-core";
import { CourseBackend, FastBackend, PlainBackend } from "../src/index.js";
import { float32 } from "../../tensor-core/test/precision.js";
import { describeShapeSuite } from "../../tensor-core/test/shapeSuite.js";

describeShapeSuite("fast", FastBackend, SimpleBackend);
describeShapeSuite("plain", PlainBackend, SimpleBackend);
describeShapeSuite("course", CourseBackend, SimpleBackend);
describeShapeSuite("fast float32", FastBackend, SimpleBackend, float32);
describeShapeSuite("plain float32", PlainBackend, SimpleBackend, float32);
describeShapeSuite("course float32", CourseBackend, SimpleBackend, float32);
