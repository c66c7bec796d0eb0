import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argmaxRows, oneHot, oneHotRows } from "../src/index.js";

describe("datasets labels", () => {
  it("oneHot([2, 0], 3) = [0, 0, 1, 1, 0, 0]", () => {
    expect(Array.from(oneHot([2, 0], 3))).toEqual([0, 0, 1, 1, 0, 0]);
    expect(oneHotRows([2, 0], 3)).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it("argmaxRows inverts oneHot; each row sums to 1", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }).chain((classes) => fc.tuple(fc.constant(classes), fc.array(fc.integer({ min: 0, max: classes - 1 }), { maxLength: 30 }))),
        ([classes, labels]) => {
          const rows = oneHot(labels, classes);
          expect(rows.length).toBe(labels.length * classes);
          expect(Array.from(argmaxRows(rows, classes))).toEqual(labels);
          for (let i = 0; i < labels.length; i++) expect(rows.subarray(i * classes, (i + 1) * classes).reduce((a, b) => a + b, 0)).toBe(1);
        },
      ),
    );
  });

  it("argmaxRows picks the first maximum of class scores", () => {
    expect(Array.from(argmaxRows([0.1, 0.7, 0.7, -1, -3, -2], 3))).toEqual([1, 0]);
  });

  it("refuses labels outside [0, classes) and bad class counts", () => {
    expect(() => oneHot([0, 3], 3)).toThrow("oneHot: label 1 must be an integer in [0, 3), got 3");
    expect(() => oneHot([0.5], 3)).toThrow("got 0.5");
    expect(() => oneHot([0], 0)).toThrow("oneHot: classes must be a positive integer, got 0");
    expect(() => argmaxRows([1, 2, 3], 2)).toThrow("argmaxRows: length 3 is not a multiple of classes 2");
  });
});
