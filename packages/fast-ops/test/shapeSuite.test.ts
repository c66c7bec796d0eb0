/**
 * The shape-function suite of tensor-core (narrow, cat, stack, reshape,
 * transpose, to, noGrad) on the pool's backends; `to` moves to SimpleBackend.
 */
import { SimpleBackend } from "@minitorch/tensor-core";
import { CourseBackend, FastBackend, PlainBackend } from "../src/index.js";
import { describeShapeSuite } from "../../tensor-core/test/shapeSuite.js";

describeShapeSuite("fast", FastBackend, SimpleBackend);
describeShapeSuite("plain", PlainBackend, SimpleBackend);
describeShapeSuite("course", CourseBackend, SimpleBackend);
