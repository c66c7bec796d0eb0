import fc from "fast-check";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, tensor, zeros } from "../src/index.js";

describe("printing like torch", () => {
  it("[[1,2],[3,4]] prints whole numbers as '1.', aligned, with shape, dtype and backend", () => {
    expect(String(tensor([[1, 2], [3, 40]]))).toBe("tensor([[ 1.,  2.],\n        [ 3., 40.]], shape=[2, 2], dtype=float64, backend=simple)");
  });

  it("[0.5, -1.25] prints with 4 decimals; a leaf says requiresGrad, a result names its function", () => {
    const a = tensor([0.5, -1.25], { requiresGrad: true });
    expect(String(a)).toBe("tensor([ 0.5000, -1.2500], shape=[2], dtype=float64, backend=simple, requiresGrad=true)");
    expect(String(a.mul(2))).toBe("tensor([ 1.0000, -2.5000], shape=[2], dtype=float64, backend=simple, gradFn=<Mul>)");
  });

  it("far-apart magnitudes [1e-5, 123.5] print in scientific notation; nan and inf by name; a 0-d tensor alone", () => {
    expect(String(tensor([1e-5, 123.5]))).toBe("tensor([1.0000e-05, 1.2350e+02], shape=[2], dtype=float64, backend=simple)");
    expect(String(tensor([NaN, Infinity, 1.5]))).toBe("tensor([   nan,    inf, 1.5000], shape=[3], dtype=float64, backend=simple)");
    expect(String(tensor(2.5))).toBe("tensor(2.5000, shape=[], dtype=float64, backend=simple)");
    expect(String(zeros([0, 2]))).toBe("tensor([], shape=[0, 2], dtype=float64, backend=simple)");
  });

  it("[2,2,2] blocks are separated by a blank line, as torch prints them", () => {
    const t = fromArray([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    expect(String(t)).toBe("tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]], shape=[2, 2, 2], dtype=float64, backend=simple)");
  });

  it("a 100×100 tensor (above 1000 elements) shows 3 edge items per dimension around '...' (torch's own output)", () => {
    const t = fromArray(Array.from({ length: 10000 }, (_, i) => i % 7), [100, 100]);
    expect(String(t)).toBe(
      "tensor([[0., 1., 2.,  ..., 6., 0., 1.],\n        [2., 3., 4.,  ..., 1., 2., 3.],\n        [4., 5., 6.,  ..., 3., 4., 5.],\n        ...,\n" +
        "        [5., 6., 0.,  ..., 4., 5., 6.],\n        [0., 1., 2.,  ..., 6., 0., 1.],\n        [2., 3., 4.,  ..., 1., 2., 3.]], shape=[100, 100], dtype=float64, backend=simple)",
    );
    expect(String(fromArray(Array.from({ length: 10000 }, (_, i) => i), [100, 100])).length).toBeLessThan(1000);
  });

  it("a 1000-element vector is not summarised but wrapped at 80 columns, 12 per line as torch does", () => {
    const lines = String(fromArray(Array.from({ length: 1000 }, (_, i) => i), [1000])).split("\n");
    expect(lines.slice(0, -1).every((l) => l.length <= 80)).toBe(true);
    expect(lines.slice(0, 2)).toEqual([
      "tensor([  0.,   1.,   2.,   3.,   4.,   5.,   6.,   7.,   8.,   9.,  10.,  11.,",
      "         12.,  13.,  14.,  15.,  16.,  17.,  18.,  19.,  20.,  21.,  22.,  23.,",
    ]);
  });

  it("console.log (util.inspect) shows the same text instead of the object's internals", () => {
    const t = tensor([[1, 2]]);
    expect(inspect(t)).toBe(String(t));
    expect(inspect({ t })).toContain("tensor([[1., 2.]]");
  });

  it("property: every printed number reads back within the printed precision, at most 7 edge rows/cols", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
          fc.tuple(fc.constant(shape), fc.array(fc.double({ min: 0.01, max: 99, noNaN: true }), { minLength: shape.reduce((a, b) => a * b, 1), maxLength: shape.reduce((a, b) => a * b, 1) })),
        ),
        ([shape, values]) => {
          const t = fromArray(values, shape, SimpleBackend);
          const body = String(t).split(", shape=")[0]!;
          const numbers = body.match(/-?\d+\.\d*(e[+-]\d+)?/g)!.map(Number);
          if (t.size <= 1000) {
            expect(numbers.length).toBe(t.size);
            numbers.forEach((n, i) => expect(Math.abs(n - values[i]!)).toBeLessThanOrEqual(5e-5 * Math.max(1, Math.abs(values[i]!)) * 10));
          } else {
            expect(body).toContain("...");
            expect(numbers.length).toBeLessThanOrEqual(shape.map((s) => Math.min(s, 6)).reduce((a, b) => a * b, 1));
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
