import { Scalar } from "@minitorch/autodiff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allDerivatives, evaluateScalar } from "../../src/web/sandboxes.js";

const vars = (x: number, y = 0, z = 0): Record<string, Scalar> => ({ x: new Scalar(x), y: new Scalar(y), z: new Scalar(z) });

describe("evaluateScalar", () => {
  it("x * y + z at (2, 3, 1) is 7, with derivatives 3, 2, 1", () => {
    const v = vars(2, 3, 1);
    const out = evaluateScalar("x * y + z", v);
    expect(out.data).toBe(7);
    out.backward();
    expect([v.x!.derivative, v.y!.derivative, v.z!.derivative]).toEqual([3, 2, 1]);
  });

  it("precedence, unary minus, parentheses and functions", () => {
    expect(evaluateScalar("1 + 2 * 3", vars(0)).data).toBe(7);
    expect(evaluateScalar("(1 + 2) * 3", vars(0)).data).toBe(9);
    expect(evaluateScalar("-x - 1", vars(2)).data).toBe(-3);
    expect(evaluateScalar("8 / 4 / 2", vars(0)).data).toBe(1);
    expect(evaluateScalar("relu(x) + relu(-x)", vars(-2)).data).toBe(2);
    expect(evaluateScalar("log(exp(x))", vars(1.5)).data).toBeCloseTo(1.5, 12);
    expect(evaluateScalar("sigmoid(0)", vars(0)).data).toBe(0.5);
  });

  it("the derivative of sigmoid(x * y) matches a central difference", () => {
    fc.assert(
      fc.property(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (x, y) => {
        const v = vars(x, y);
        const out = evaluateScalar("sigmoid(x * y) * log(x * x + 1)", v);
        out.backward();
        const f = (a: number): number => evaluateScalar("sigmoid(x * y) * log(x * x + 1)", vars(a, y)).data;
        const h = 1e-6;
        expect(v.x!.derivative ?? 0).toBeCloseTo((f(x + h) - f(x - h)) / (2 * h), 4);
      }),
    );
  });

  it("bad input names what was expected and what came", () => {
    expect(() => evaluateScalar("x + w", vars(1))).toThrow('expression: unknown name "w" (variables: x, y, z; functions: log, exp, sigmoid, relu)');
    expect(() => evaluateScalar("(x + 1", vars(1))).toThrow("expression: expected ) at token 5, got the end");
    expect(() => evaluateScalar("x 1", vars(1))).toThrow('expression: unexpected "1" at token 2');
    expect(() => evaluateScalar("", vars(1))).toThrow("expression: expected more input at token 1, got the end");
  });
});

describe("allDerivatives", () => {
  it("f = (x * y) + x at (2, 3): df/d(x*y) = 1, df/dx = y + 1 = 4, df/dy = x = 2", () => {
    const x = new Scalar(2, undefined, "x");
    const y = new Scalar(3, undefined, "y");
    const product = x.mul(y);
    const f = product.add(x);
    const d = allDerivatives(f);
    expect(d.get(f)).toBe(1);
    expect(d.get(product)).toBe(1);
    expect(d.get(x)).toBe(4);
    expect(d.get(y)).toBe(2);
  });

  it("agrees with backward() on the leaves of random expressions", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (a, b) => {
        const v = vars(a, b, a - b);
        const f = evaluateScalar("log(x * x + y) * sigmoid(z) + relu(y - x) / (x + 1)", { ...v, y: v.y!.mul(v.y!).add(1) });
        const d = allDerivatives(f);
        f.backward();
        for (const k of ["x", "z"]) expect(d.get(v[k]!)).toBeCloseTo(v[k]!.derivative ?? 0, 12);
      }),
    );
  });
});
