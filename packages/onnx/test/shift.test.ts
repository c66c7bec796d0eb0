import fc from "fast-check";
import { SimpleBackend, fromArray, tensor } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { maxAlong, softmaxShiftAxis } from "../src/shift.js";

describe("softmax shift recognition", () => {
  it("maxAlong [2,3] along 0 and 1", () => {
    const v = Float64Array.from([1, 5, 3, 4, 2, 6]);
    expect([...maxAlong(v, [2, 3], 0)]).toEqual([4, 5, 6]);
    expect([...maxAlong(v, [2, 3], 1)]).toEqual([5, 6]);
  });

  it("finds the dimension of −max(x, dim) in both passes, and nothing else", () => {
    const x = tensor([
      [1, 5, 3],
      [4, 2, 6],
    ]);
    const x2 = tensor([[0, -1, 2]]);
    expect(softmaxShiftAxis(tensor([[-5], [-6]]), x, tensor([[-2]]), x2)).toBe(1);
    expect(softmaxShiftAxis(tensor([[-4, -5, -6]]), x, tensor([[0, 1, -2]]), x2)).toBe(0);
    // +max, a wrong value, a wrong shape, or a match in only one pass: not the shift.
    expect(softmaxShiftAxis(tensor([[5], [6]]), x, tensor([[2]]), x2)).toBe(-1);
    expect(softmaxShiftAxis(tensor([[-5], [-7]]), x, tensor([[-2]]), x2)).toBe(-1);
    expect(softmaxShiftAxis(tensor([-5, -6]), x, tensor([-2]), x2)).toBe(-1);
    expect(softmaxShiftAxis(tensor([[-5], [-6]]), x, tensor([[-3]]), x2)).toBe(-1);
  });

  it("property: maxAlong agrees with the backend's maxReduce", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            dim: fc.integer({ min: 0, max: shape.length - 1 }),
            values: fc.array(fc.integer({ min: -50, max: 50 }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) }),
          }),
        ),
        ({ shape, dim, values }) => {
          const t = fromArray(values, shape, SimpleBackend);
          expect([...maxAlong(Float64Array.from(values), shape, dim)]).toEqual([...SimpleBackend.maxReduce(t, dim).toFloat64Array()]);
        },
      ),
    );
  });
});
