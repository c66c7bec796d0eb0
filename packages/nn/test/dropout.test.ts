import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Random, defaultRandom, manualSeed } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { fromArray, ones, tensor, type Tensor } from "@minitorch/tensor-core";
import { dropout } from "../src/index.js";
import { floatArray, tensorOf } from "./helpers.js";

const runs = { numRuns: 30 };

/** Shapes of 1–3 dimensions with sizes 1–6, with nonzero values (so a 0 in the output is a dropped element). */
const nonzeroCases = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      values: floatArray(shape.reduce((a, b) => a * b, 1)).map((xs) => xs.map((x) => (x === 0 ? 1 : x))),
      transposed: fc.boolean(),
    }),
  );

const dropped = (t: Tensor): number => t.toFloat64Array().filter((x) => x === 0).length;

describe("task4_4", () => {
  it("dropout of [[1, 2], [3, 4]] at rate 0 keeps everything, at rate 1 drops everything", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(dropout(t, 0).toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(dropout(t, 1).toArray()).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it("rate 0 keeps every element and rate 1 drops every element (random shapes and layouts)", () => {
    fc.assert(
      fc.property(nonzeroCases, ({ shape, values, transposed }) => {
        const t = tensorOf(values, shape, undefined, transposed);
        expect(dropout(t, 0).toArray()).toEqual(t.toArray());
        const all = dropout(t, 1);
        expect(all.shape).toEqual(shape);
        expect(dropped(all)).toBe(t.size);
      }),
      runs,
    );
  });

  it("kept elements are not rescaled: each output is the input or 0", () => {
    fc.assert(
      fc.property(nonzeroCases, fc.double({ min: 0.05, max: 0.95, noNaN: true }), ({ shape, values, transposed }, rate) => {
        const t = tensorOf(values, shape, undefined, transposed);
        const out = dropout(t, rate).toFloat64Array();
        const input = t.toFloat64Array();
        out.forEach((x, i) => expect(x === 0 || x === input[i]).toBe(true));
      }),
      runs,
    );
  });

  it("rate 0.25 on 100,000 elements drops 25% ± 0.5% (about 3.6 standard deviations), for several seeds", () => {
    const n = 100_000;
    for (const seed of [1, 2, 3]) {
      const fraction = dropped(dropout(ones([n]), 0.25, false, new Random(seed))) / n;
      expect(Math.abs(fraction - 0.25)).toBeLessThan(0.005);
    }
    for (const rate of [0.1, 0.5, 0.9]) {
      const fraction = dropped(dropout(ones([n]), rate, false, new Random(4))) / n;
      expect(Math.abs(fraction - rate)).toBeLessThan(0.006);
    }
  });

  it("the same seed gives the same mask, through manualSeed or a Random passed in", () => {
    const t = ones([20, 50]);
    manualSeed(7);
    const a = dropout(t, 0.5).toFloat64Array();
    manualSeed(7);
    const b = dropout(t, 0.5).toFloat64Array();
    expect(b).toEqual(a);
    // The default generator advanced: the next mask differs.
    expect(dropout(t, 0.5).toFloat64Array()).not.toEqual(a);

    const c = dropout(t, 0.5, false, new Random(11)).toFloat64Array();
    const d = dropout(t, 0.5, false, new Random(11)).toFloat64Array();
    expect(d).toEqual(c);
    expect(dropout(t, 0.5, false, new Random(12)).toFloat64Array()).not.toEqual(c);
  });

  it("a Random passed in is the only generator drawn from", () => {
    manualSeed(3);
    const before = defaultRandom.getState();
    dropout(ones([100]), 0.5, false, new Random(1));
    expect(defaultRandom.getState()).toEqual(before);
    dropout(ones([100]), 0.5);
    expect(defaultRandom.getState()).not.toEqual(before);
  });

  it("FastBackend draws the same mask as SimpleBackend for the same seed", () => {
    const values = Array.from({ length: 40_000 }, (_, i) => 1 + (i % 13));
    const simple = dropout(fromArray(values, [200, 200]), 0.3, false, new Random(5));
    const fast = dropout(fromArray(values, [200, 200], FastBackend), 0.3, false, new Random(5));
    expect(fast.toFloat64Array()).toEqual(simple.toFloat64Array());
  });

  it("the gradient flows only through kept elements (1 where kept, 0 where dropped)", () => {
    fc.assert(
      fc.property(nonzeroCases, fc.integer({ min: 0, max: 1000 }), ({ shape, values, transposed }, seed) => {
        const t = tensorOf(values, shape, undefined, transposed).requiresGrad_(true);
        const out = dropout(t, 0.5, false, new Random(seed));
        out.sum().backward();
        const kept = Array.from(out.toFloat64Array(), (x) => (x === 0 ? 0 : 1));
        expect(Array.from(t.grad!.toFloat64Array())).toEqual(kept);
      }),
      runs,
    );
  });

});

describe("dropout given code (Task 4.4)", () => {
  it("ignore = true returns the input unchanged, whatever the rate", () => {
    fc.assert(
      fc.property(nonzeroCases, fc.constantFrom(0, 0.25, 0.5, 1), ({ shape, values, transposed }, rate) => {
        const t = tensorOf(values, shape, undefined, transposed);
        expect(dropout(t, rate, true).toArray()).toEqual(t.toArray());
      }),
      runs,
    );
  });

  it("bad input: a rate outside [0, 1] or NaN is a RangeError naming the rate, also with ignore", () => {
    const t = ones([3]);
    for (const rate of [-0.1, 1.5, Number.NaN]) {
      expect(() => dropout(t, rate)).toThrow(RangeError);
      expect(() => dropout(t, rate)).toThrow(new RegExp(`^dropout: rate must be in \\[0, 1\\], got ${rate}$`));
      expect(() => dropout(t, rate, true)).toThrow(/dropout: rate must be in \[0, 1\]/);
    }
  });
});

describe("dropout in float32", () => {
  it("one seed drops the same elements in float32 as in float64, and the result stays float32", () => {
    const values = Array.from({ length: 64 }, (_, i) => i + 1);
    manualSeed(5);
    const want = dropout(fromArray(values, [8, 8]), 0.3).toArray();
    manualSeed(5);
    const got = dropout(fromArray(values, [8, 8], { backend: FastBackend, dtype: "float32" }), 0.3);
    expect(got.dtype).toBe("float32");
    expect(got.toArray()).toEqual(want);
  });
});
