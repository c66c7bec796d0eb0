import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Context, Scalar, ScalarFunction, derivativeCheck, operators, toScalar } from "../src/index.js";
import { smallFloats } from "./strategies.js";

const runs = { numRuns: 50 };

/** |a − b| ≤ 1e-6 · (1 + |b|): the same arithmetic, possibly in another order. */
function expectClose(a: number, b: number): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(b)));
}

/** Keeps `x` at least `margin` away from `point`, where a function has a kink or a pole. */
const awayFrom = (x: number, point: number, margin = 0.01): boolean => Math.abs(x - point) >= margin;

interface OneArg {
  name: string;
  base: (a: number) => number;
  scalar: (a: Scalar) => Scalar;
  /** Points where the derivative exists and central differences can see it. */
  smooth?: (a: number) => boolean;
}

interface TwoArg {
  name: string;
  base: (a: number, b: number) => number;
  scalar: (a: Scalar, b: Scalar) => Scalar;
  smooth?: (a: number, b: number) => boolean;
}

/** minitorch's MathTest / MathTestVariable functions, for scalars. */
const oneArg: OneArg[] = [
  { name: "neg", base: (a) => -a, scalar: (a) => a.neg() },
  { name: "addConstant", base: (a) => 5 + a, scalar: (a) => a.add(5) },
  { name: "square", base: (a) => a * a, scalar: (a) => a.mul(a) },
  { name: "cube", base: (a) => a * a * a, scalar: (a) => a.mul(a).mul(a) },
  { name: "subConstant", base: (a) => a - 5, scalar: (a) => a.sub(5) },
  { name: "multConstant", base: (a) => 5 * a, scalar: (a) => a.mul(5) },
  { name: "div", base: (a) => a / 5, scalar: (a) => a.div(5) },
  { name: "inv", base: (a) => operators.inv(a + 3.5), scalar: (a) => a.add(3.5).rdiv(1), smooth: (a) => awayFrom(a, -3.5, 0.5) },
  { name: "sig", base: (a) => operators.sigmoid(a), scalar: (a) => a.sigmoid() },
  { name: "log", base: (a) => operators.log(a + 100000), scalar: (a) => a.add(100000).log() },
  { name: "relu", base: (a) => operators.relu(a + 5.5), scalar: (a) => a.add(5.5).relu(), smooth: (a) => awayFrom(a, -5.5) },
  { name: "exp", base: (a) => operators.exp(a - 200), scalar: (a) => a.sub(200).exp() },
  {
    name: "explog",
    base: (a) => operators.log(a + 100000) + operators.exp(a - 200),
    scalar: (a) => a.add(100000).log().add(a.sub(200).exp()),
  },
  {
    name: "complex",
    base: (a) => operators.log(operators.sigmoid(operators.relu(operators.relu(a * 10 + 7) * 6 + 5) * 10)) / 50,
    scalar: (a) => a.mul(10).add(7).relu().mul(6).add(5).relu().mul(10).sigmoid().log().div(50),
    smooth: (a) => awayFrom(a, -0.7),
  },
];

const twoArg: TwoArg[] = [
  { name: "add2", base: (a, b) => a + b, scalar: (a, b) => a.add(b) },
  { name: "mul2", base: (a, b) => a * b, scalar: (a, b) => a.mul(b) },
  { name: "div2", base: (a, b) => a / (b + 5.5), scalar: (a, b) => a.div(b.add(5.5)), smooth: (_a, b) => awayFrom(b, -5.5, 0.5) },
  { name: "gt2", base: (a, b) => operators.lt(b, a + 1.2), scalar: (a, b) => a.add(1.2).gt(b), smooth: (a, b) => awayFrom(b, a + 1.2) },
  { name: "lt2", base: (a, b) => operators.lt(a + 1.2, b), scalar: (a, b) => a.add(1.2).lt(b), smooth: (a, b) => awayFrom(b, a + 1.2) },
  { name: "eq2", base: (a, b) => operators.eq(a, b + 5.5), scalar: (a, b) => a.eq(b.add(5.5)), smooth: (a, b) => awayFrom(a, b + 5.5) },
];

describe("task1_2", () => {
  it("Scalar 3 and 4: add 7, sub −1, mul 12, div 0.75, rdiv 4/3, neg −3", () => {
    const a = new Scalar(3);
    const b = new Scalar(4);
    expect(a.add(b).data).toBe(7);
    expect(a.sub(b).data).toBe(-1);
    expect(a.mul(b).data).toBe(12);
    expect(a.div(b).data).toBe(0.75);
    expect(a.rdiv(b).data).toBeCloseTo(4 / 3, 12);
    expect(a.neg().data).toBe(-3);
    expect(a.add(2.5).data).toBe(5.5);
  });

  it("Scalar comparisons 3 vs 4: lt 1, gt 0, eq 0; 4 vs 4: eq 1", () => {
    const a = new Scalar(3);
    expect(a.lt(4).data).toBe(1);
    expect(a.gt(4).data).toBe(0);
    expect(a.eq(4).data).toBe(0);
    expect(new Scalar(4).eq(new Scalar(4)).data).toBe(1);
    expect(new Scalar(5).gt(4).data).toBe(1);
  });

  it("Scalar log e = 1, exp 0 = 1, sigmoid 0 = 0.5, relu −2 = 0, relu 2 = 2", () => {
    expect(new Scalar(Math.E).log().data).toBeCloseTo(1, 12);
    expect(new Scalar(0).exp().data).toBe(1);
    expect(new Scalar(0).sigmoid().data).toBe(0.5);
    expect(new Scalar(-2).relu().data).toBe(0);
    expect(new Scalar(2).relu().data).toBe(2);
  });

  it("add, mul and relu of scalars match the operators on random floats", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, (a, b) => {
        expectClose(new Scalar(a).add(new Scalar(b)).data, a + b);
        expectClose(new Scalar(a).mul(new Scalar(b)).data, a * b);
        expectClose(new Scalar(a).relu().add(new Scalar(b).relu()).data, operators.relu(a) + operators.relu(b));
      }),
      runs,
    );
  });

  for (const { name, base, scalar } of oneArg) {
    it(`${name}: Scalar forward matches the operators`, () => {
      fc.assert(
        fc.property(smallFloats, (a) => {
          expectClose(scalar(new Scalar(a)).data, base(a));
        }),
        runs,
      );
    });
  }

  for (const { name, base, scalar } of twoArg) {
    it(`${name}: Scalar forward matches the operators`, () => {
      fc.assert(
        fc.property(smallFloats, smallFloats, (a, b) => {
          expectClose(scalar(new Scalar(a), new Scalar(b)).data, base(a, b));
        }),
        runs,
      );
    });
  }

  it("a scalar keeps its name and prints its value", () => {
    const x = new Scalar(10, undefined, "x");
    expect(x.name).toBe("x");
    expect(x.isLeaf()).toBe(true);
    expect(String(x.add(10).mul(20))).toBe("Scalar(400)");
  });
});

describe("task1_4", () => {
  it("derivatives of x·y + x² at (3, 4): ∂x = 10, ∂y = 3", () => {
    const x = new Scalar(3);
    const y = new Scalar(4);
    x.mul(y).add(x.mul(x)).backward();
    expect(x.derivative).toBe(10);
    expect(y.derivative).toBe(3);
  });

  it("derivatives of log, exp, sigmoid, relu, inv at 2: 1/2, e², σ(2)(1−σ(2)), 1, −1/4", () => {
    const check = (f: (s: Scalar) => Scalar, expected: number): void => {
      const x = new Scalar(2);
      f(x).backward();
      expect(x.derivative).toBeCloseTo(expected, 12);
    };
    const s = operators.sigmoid(2);
    check((x) => x.log(), 0.5);
    check((x) => x.exp(), Math.exp(2));
    check((x) => x.sigmoid(), s * (1 - s));
    check((x) => x.relu(), 1);
    check((x) => x.rdiv(1), -0.25);
    check((x) => x.neg(), -1);
  });

  it("derivatives of lt, gt, eq are 0", () => {
    const x = new Scalar(1);
    const y = new Scalar(2);
    x.lt(y).add(x.gt(y)).add(x.eq(y)).backward();
    expect(x.derivative).toBe(0);
    expect(y.derivative).toBe(0);
  });

  for (const { name, scalar, smooth } of oneArg) {
    it(`${name}: derivative matches central differences`, () => {
      fc.assert(
        fc.property(smallFloats, (a) => {
          fc.pre(smooth?.(a) ?? true);
          derivativeCheck(scalar, new Scalar(a));
        }),
        runs,
      );
    });
  }

  for (const { name, scalar, smooth } of twoArg) {
    it(`${name}: derivatives match central differences`, () => {
      fc.assert(
        fc.property(smallFloats, smallFloats, (a, b) => {
          fc.pre(smooth?.(a, b) ?? true);
          derivativeCheck(scalar, new Scalar(a), new Scalar(b));
        }),
        runs,
      );
    });
  }

  it("derivativeCheck detects a wrong derivative and names the argument", () => {
    class WrongSquare extends ScalarFunction {
      static override forward(ctx: Context, x: number): number {
        ctx.saveForBackward(x);
        return x * x;
      }
      static override backward(ctx: Context, d: number): number {
        const [x] = ctx.saved<[number]>();
        return x * d; // should be 2x·d
      }
    }
    expect(() => derivativeCheck((x) => WrongSquare.apply(x), new Scalar(2))).toThrow(
      /derivativeCheck: derivative of argument 0 at \[2\] is 2, central difference gives 4/,
    );
    expect(() => derivativeCheck((x, y) => x.add(WrongSquare.apply(y)), new Scalar(1), new Scalar(3))).toThrow(
      /derivative of argument 1 at \[1, 3\] is 3/,
    );
  });
});

describe("toScalar (given with Task 1.2)", () => {
  it("toScalar wraps a number as a leaf and passes a scalar through", () => {
    const s = new Scalar(2);
    expect(toScalar(s)).toBe(s);
    const t = toScalar(3);
    expect(t.data).toBe(3);
    expect(t.isLeaf()).toBe(true);
  });
});

describe("task1_4", () => {
  describe("Scalar errors", () => {
    it("a ScalarFunction without forward or backward names the subclass", () => {
      class NoForward extends ScalarFunction {}
      expect(() => NoForward.apply(1)).toThrow(/NoForward.forward must be defined by the subclass/);
      class NoBackward extends ScalarFunction {
        static override forward(_ctx: Context, x: number): number {
          return x;
        }
      }
      const y = NoBackward.apply(new Scalar(1));
      expect(() => y.backward()).toThrow(/NoBackward.backward must be defined by the subclass/);
    });
  });
});

describe("Scalar errors (given with Task 1.4)", () => {
  it("a Scalar of a non-number is a TypeError naming the type", () => {
    expect(() => new Scalar("1" as unknown as number)).toThrow(/Scalar: value must be a number, got string/);
  });

  it("a forward that returns a non-number is an error naming the function", () => {
    class BadForward extends ScalarFunction {
      static override forward(_ctx: Context, x: number): number {
        return String(x) as unknown as number;
      }
    }
    expect(() => BadForward.apply(1)).toThrow(/BadForward.forward must return a number, got string/);
  });

  it("a constant has no parents to ask for", () => {
    expect(() => new Scalar(1, null).parents).toThrow(/Scalar.parents: a constant has no history/);
  });
});
