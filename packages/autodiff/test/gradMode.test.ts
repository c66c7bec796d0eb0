import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Scalar, isGradEnabled, noGrad } from "../src/index.js";

describe("noGrad", () => {
  it("x·x + 1 of a scalar leaf inside noGrad is a constant 10 at x = 3; outside it has history", () => {
    const leaf = new Scalar(3);
    const y = noGrad(() => leaf.mul(leaf).add(1));
    expect(y.data).toBe(10);
    expect(y.isConstant()).toBe(true);
    expect(leaf.mul(leaf).isConstant()).toBe(false);
  });

  it("returns fn's result, nests, and restores the mode after a return or a throw", () => {
    expect(isGradEnabled()).toBe(true);
    expect(noGrad(() => [isGradEnabled(), noGrad(() => isGradEnabled()), isGradEnabled()])).toEqual([false, false, false]);
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new RangeError("inside");
      }),
    ).toThrow("inside");
    expect(isGradEnabled()).toBe(true);
  });

  it("property: values inside equal values outside; recording is back after any nesting depth", () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: 1, max: 5 }), (v, depth) => {
        const x = new Scalar(v);
        const f = (): Scalar => x.mul(x).sub(x.mul(2));
        let run: () => Scalar = f;
        for (let i = 0; i < depth; i++) {
          const inner = run;
          run = () => noGrad(inner);
        }
        const inside = run();
        expect(inside.data).toBe(f().data);
        expect(inside.isConstant()).toBe(true);
        expect(isGradEnabled()).toBe(true);
      }),
    );
  });

  it("bad input: a non-function, and a function returning a Promise, are named", () => {
    expect(() => noGrad(3 as unknown as () => number)).toThrow("noGrad: expected a function, got number");
    expect(() => noGrad(async () => 1)).toThrow("noGrad: fn returned a Promise; noGrad covers synchronous code only");
    expect(isGradEnabled()).toBe(true);
  });
});
