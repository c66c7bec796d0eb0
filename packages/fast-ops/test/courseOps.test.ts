/**
 * CourseBackend: the whole tensor suite of Tasks 2.3 and 2.4 on the course's
 * kernels, tagged by task: Task 3.1's loops (map, zip, reduce, gradients)
 * and Task 3.2's matmul — the
 * same suite that tensorSuite.test.ts runs on FastBackend, so the two kernel
 * sets are held to the same results. Also the ways `a.matmul(b)` reaches the
 * three-dimensional kernel.
 */
import { describe, expect, it } from "vitest";
import { fromArray } from "@minitorch/tensor-core";
import { CourseBackend, poolStats } from "../src/index.js";
import { describeBackendSuite } from "../../tensor-core/test/backendSuite.js";
import { float32 } from "../../tensor-core/test/precision.js";
import { layoutTensor } from "./helpers.js";
import { expectProduct, naiveMatmul, randomValues } from "./matmulSuite.js";

describeBackendSuite("course", CourseBackend, { forward: "task3_1 tensor suite", gradients: "task3_1 tensor suite gradients", matmul: "task3_2 tensor suite" });
// float32 on the course's kernels, outside the task tags (the course is float64).
describeBackendSuite("course float32", CourseBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);

describe("task3_2", () => {
  const check = (aShape: number[], bShape: number[], aPerm?: number[]): void => {
    const a = randomValues(aShape);
    const b = randomValues(bShape);
    const x = aPerm === undefined ? fromArray(a, aShape, CourseBackend) : layoutTensor(a, aShape, aPerm, CourseBackend);
    const out = x.matmul(fromArray(b, bShape, CourseBackend));
    const expected = naiveMatmul(a, aShape, b, bShape);
    expect(out.shape).toEqual(expected.shape);
    expect(out.backend).toBe(CourseBackend);
    expectProduct(out.toFloat64Array(), expected);
  };

  it("[course] a 2-D operand is one broadcast matrix: [3,4,5] @ [5,2] and [4,5] @ [3,5,2]", () => {
    check([3, 4, 5], [5, 2]);
    check([4, 5], [3, 5, 2]);
  });

  it("[course] batch dimensions that merge into one stride run without a copy: [2,3,4,5] @ [2,3,5,6], also with a batch of size-1 dims", () => {
    check([2, 3, 4, 5], [2, 3, 5, 6]);
    check([2, 1, 3, 4, 5], [2, 1, 3, 5, 6]);
    check([1, 1, 4, 5], [2, 3, 5, 6]);
  });

  it("[course] batch dimensions that broadcast against each other, or are stored out of order, are copied first: [2,1,4,5] @ [1,3,5,6]; permuted batch", () => {
    check([2, 1, 4, 5], [1, 3, 5, 6]);
    check([2, 3, 4, 5], [2, 3, 5, 6], [1, 0, 2, 3]);
    check([2, 3, 4, 5], [3, 5, 6], [3, 1, 0, 2]);
  });

  it("[course] a product of 8 batches of 40×50 @ 50×30 is split across the pool", () => {
    const before = poolStats().parallelJobs;
    check([8, 40, 50], [8, 50, 30]);
    expect(poolStats().parallelJobs).toBeGreaterThan(before);
  });
});
