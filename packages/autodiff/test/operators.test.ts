import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  add,
  addLists,
  eq,
  exp,
  id,
  inv,
  invBack,
  isClose,
  log,
  logBack,
  lt,
  map,
  max,
  mul,
  neg,
  negList,
  prod,
  reduce,
  relu,
  reluBack,
  sameValue,
  sigmoid,
  sigmoidBack,
  sum,
  zipWith,
} from "../src/operators.js";
import { smallFloats } from "./strategies.js";
const runs = { numRuns: 50 };

/** |a − b| < 1e-2, minitorch's `assert_close`. */
function expectClose(a: number, b: number): void {
  expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThan(1e-2);
}

/** d · f'(x) by central differences, to check the `…Back` helpers independently. */
function numericBack(f: (x: number) => number, x: number, d: number): number {
  const h = 1e-5;
  return (d * (f(x + h) - f(x - h))) / (2 * h);
}

describe("task0_1", () => {
  it("mul 3·4 = 12, add 2+3 = 5, neg 3 = −3, id 5 = 5", () => {
    expect(mul(3, 4)).toBe(12);
    expect(add(2, 3)).toBe(5);
    expect(neg(3)).toBe(-3);
    expect(neg(-2.5)).toBe(2.5);
    expect(id(5)).toBe(5);
  });

  it("lt 1<2 = 1, 2<1 = 0, 2<2 = 0", () => {
    expect(lt(1, 2)).toBe(1);
    expect(lt(2, 1)).toBe(0);
    expect(lt(2, 2)).toBe(0);
  });

  it("eq 2==2 = 1, 2==3 = 0", () => {
    expect(eq(2, 2)).toBe(1);
    expect(eq(2, 3)).toBe(0);
  });

  it("NaN as in PyTorch: relu(NaN) = NaN, max(NaN, 1) = max(1, NaN) = NaN, reluBack(NaN, 5) = 5, lt and eq with NaN are 0", () => {
    expect(relu(NaN)).toBeNaN();
    expect(max(NaN, 1)).toBeNaN();
    expect(max(1, NaN)).toBeNaN();
    expect(max(-Infinity, NaN)).toBeNaN();
    expect(reluBack(NaN, 5)).toBe(5);
    expect(lt(NaN, 1)).toBe(0);
    expect(lt(1, NaN)).toBe(0);
    expect(eq(NaN, NaN)).toBe(0);
  });

  it("max(2,3) = max(3,2) = 3, max(−1,−4) = −1", () => {
    expect(max(2, 3)).toBe(3);
    expect(max(3, 2)).toBe(3);
    expect(max(-1, -4)).toBe(-1);
  });

  it("isClose(1, 1.005) = 1, isClose(1, 1.02) = 0", () => {
    expect(isClose(1, 1.005)).toBe(1);
    expect(isClose(1.005, 1)).toBe(1);
    expect(isClose(1, 1.02)).toBe(0);
    expect(isClose(-3, 3)).toBe(0);
  });

  it("sigmoid(0) = 0.5, sigmoid(2) = 1/(1+e^−2)", () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(2)).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
    expect(sigmoid(-2)).toBeCloseTo(1 / (1 + Math.exp(2)), 12);
  });

  it("sigmoid is stable: sigmoid(−1000) = 0, sigmoid(1000) = 1, no NaN", () => {
    expect(sigmoid(-1000)).toBe(0);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoidBack(-1000, 1)).toBe(0);
    expect(sigmoidBack(1000, 1)).toBe(0);
    // Far from saturation the small tail keeps its relative precision.
    expect(sigmoid(-50) / Math.exp(-50)).toBeCloseTo(1, 12);
  });

  it("relu(−2) = 0, relu(3) = 3, relu(0) = 0", () => {
    expect(relu(-2)).toBe(0);
    expect(relu(3)).toBe(3);
    expect(relu(0)).toBe(0);
  });

  it("log(e) = 1, exp(0) = 1, exp(1) = e, inv(4) = 0.25", () => {
    expect(log(Math.E)).toBeCloseTo(1, 12);
    expect(log(1)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(exp(1)).toBeCloseTo(Math.E, 12);
    expect(inv(4)).toBe(0.25);
    expect(inv(-0.5)).toBe(-2);
  });

  it("logBack(2, 3) = 1.5, invBack(2, 3) = −0.75", () => {
    expect(logBack(2, 3)).toBe(1.5);
    expect(invBack(2, 3)).toBe(-0.75);
    expect(invBack(-1, 1)).toBe(-1);
  });

  it("reluBack(2, 5) = 5, reluBack(−2, 5) = 0, sigmoidBack(0, 1) = 0.25", () => {
    expect(reluBack(2, 5)).toBe(5);
    expect(reluBack(-2, 5)).toBe(0);
    expect(sigmoidBack(0, 1)).toBe(0.25);
    expect(sigmoidBack(0, 4)).toBe(1);
  });

  it("mul, add, neg, max, inv agree with JavaScript arithmetic", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, (x, y) => {
        expectClose(mul(x, y), x * y);
        expectClose(add(x, y), x + y);
        expectClose(neg(x), -x);
        expectClose(max(x, y), x > y ? x : y);
        if (Math.abs(x) > 1e-5) expectClose(inv(x), 1 / x);
      }),
      runs,
    );
  });

  it("relu(a) is a for a > 0 and 0 for a < 0", () => {
    fc.assert(
      fc.property(smallFloats, (a) => {
        if (a > 0) expect(relu(a)).toBe(a);
        if (a < 0) expect(relu(a)).toBe(0);
      }),
      runs,
    );
  });

  it("reluBack(a, b) is b for a > 0 and 0 for a < 0", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, (a, b) => {
        if (a > 0) expect(reluBack(a, b)).toBe(b);
        if (a < 0) expect(reluBack(a, b)).toBe(0);
      }),
      runs,
    );
  });

  it("id(a) = a", () => {
    fc.assert(fc.property(smallFloats, (a) => {
      expect(id(a)).toBe(a);
    }), runs);
  });

  it("lt(a − 1, a) = 1 and lt(a, a − 1) = 0", () => {
    fc.assert(
      fc.property(smallFloats, (a) => {
        expect(lt(a - 1, a)).toBe(1);
        expect(lt(a, a - 1)).toBe(0);
      }),
      runs,
    );
  });

  it("max(a ± 1, a) picks the larger, in either order", () => {
    fc.assert(
      fc.property(smallFloats, (a) => {
        expect(max(a - 1, a)).toBe(a);
        expect(max(a, a - 1)).toBe(a);
        expect(max(a + 1, a)).toBe(a + 1);
        expect(max(a, a + 1)).toBe(a + 1);
      }),
      runs,
    );
  });

  it("eq(a, a) = 1, eq(a, a ± 1) = 0", () => {
    fc.assert(
      fc.property(smallFloats, (a) => {
        expect(eq(a, a)).toBe(1);
        expect(eq(a, a - 1)).toBe(0);
        expect(eq(a, a + 1)).toBe(0);
      }),
      runs,
    );
  });

  it("logBack, invBack, sigmoidBack match central differences of log, inv, sigmoid", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, (a, d) => {
        const x = Math.abs(a) + 4; // away from log's and inv's pole at 0
        expect(logBack(x, d)).toBeCloseTo(numericBack(log, x, d), 4);
        expect(invBack(x, d)).toBeCloseTo(numericBack(inv, x, d), 4);
        expect(invBack(-x, d)).toBeCloseTo(numericBack(inv, -x, d), 4);
        expect(sigmoidBack(a, d)).toBeCloseTo(numericBack(sigmoid, a, d), 4);
      }),
      runs,
    );
  });
});

describe("task0_2", () => {
  it("mul is symmetric: mul(a, b) = mul(b, a)", () => {
    // BEGIN ASSIGN0.2
    fc.assert(fc.property(smallFloats, smallFloats, (a, b) => {
      expect(mul(a, b)).toBe(mul(b, a));
    }), runs);
    // END ASSIGN0.2
  });

  it("add is symmetric: add(a, b) = add(b, a)", () => {
    // BEGIN ASSIGN0.2
    fc.assert(fc.property(smallFloats, smallFloats, (a, b) => {
      expect(add(a, b)).toBe(add(b, a));
    }), runs);
    // END ASSIGN0.2
  });

  it("mul distributes over add: z·(x + y) = z·x + z·y", () => {
    // BEGIN ASSIGN0.2
    fc.assert(
      fc.property(smallFloats, smallFloats, smallFloats, (x, y, z) => {
        expectClose(mul(z, add(x, y)), add(mul(z, x), mul(z, y)));
      }),
      runs,
    );
    // END ASSIGN0.2
  });

  it("sigmoid lies in [0, 1], strictly inside for |a| ≤ 30", () => {
    // BEGIN ASSIGN0.2
    fc.assert(
      fc.property(smallFloats, (a) => {
        expect(sigmoid(a)).toBeGreaterThanOrEqual(0);
        expect(sigmoid(a)).toBeLessThanOrEqual(1);
        if (Math.abs(a) <= 30) {
          expect(sigmoid(a)).toBeGreaterThan(0);
          expect(sigmoid(a)).toBeLessThan(1);
        }
      }),
      runs,
    );
    // END ASSIGN0.2
  });

  it("one minus sigmoid is sigmoid of the negative: 1 − σ(a) = σ(−a)", () => {
    // BEGIN ASSIGN0.2
    fc.assert(fc.property(smallFloats, (a) => {
      expectClose(1 - sigmoid(a), sigmoid(-a));
    }), runs);
    // END ASSIGN0.2
  });

  it("sigmoid crosses 0.5 at 0: σ(0) = 0.5", () => {
    // BEGIN ASSIGN0.2
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(-0)).toBe(0.5);
    // END ASSIGN0.2
  });

  it("sigmoid is increasing: a < b implies σ(a) ≤ σ(b), strictly when |a|, |b| ≤ 10 and b − a ≥ 0.1", () => {
    // BEGIN ASSIGN0.2
    fc.assert(
      fc.property(smallFloats, smallFloats, (x, y) => {
        const [a, b] = x < y ? [x, y] : [y, x];
        expect(sigmoid(a)).toBeLessThanOrEqual(sigmoid(b));
        if (Math.abs(a) <= 10 && Math.abs(b) <= 10 && b - a >= 0.1) {
          expect(sigmoid(a)).toBeLessThan(sigmoid(b));
        }
      }),
      runs,
    );
    // END ASSIGN0.2
  });

  it("lt is transitive: a < b and b < c imply a < c", () => {
    // BEGIN ASSIGN0.2
    fc.assert(
      fc.property(smallFloats, smallFloats, smallFloats, (x, y, z) => {
        // Sorted draws make the premise hold in most runs instead of one in six.
        const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
        fc.pre(a < b && b < c);
        expect(lt(a, b)).toBe(1);
        expect(lt(b, c)).toBe(1);
        expect(lt(a, c)).toBe(1);
      }),
      runs,
    );
    // END ASSIGN0.2
  });

  it("other: exactly one of lt(a, b), lt(b, a), eq(a, b) is 1", () => {
    // BEGIN ASSIGN0.2
    fc.assert(
      fc.property(smallFloats, smallFloats, fc.boolean(), (a, c, same) => {
        const b = same ? a : c;
        expect(lt(a, b) + lt(b, a) + eq(a, b)).toBe(1);
      }),
      runs,
    );
    // END ASSIGN0.2
  });
});

describe("operators given with Task 0.1", () => {
  it("sameValue is eq that matches NaN with NaN: (NaN, NaN) = 1, (2, 2) = 1, (0, −0) = 1, (NaN, 2) = 0, (2, 3) = 0", () => {
    expect(sameValue(NaN, NaN)).toBe(1);
    expect(sameValue(2, 2)).toBe(1);
    expect(sameValue(0, -0)).toBe(1);
    expect(sameValue(NaN, 2)).toBe(0);
    expect(sameValue(2, NaN)).toBe(0);
    expect(sameValue(2, 3)).toBe(0);
  });
});

describe("task0_3", () => {
  it("map(neg)([1, 2, 3]) = [−1, −2, −3]; map of [] is []", () => {
    expect(map(neg)([1, 2, 3])).toEqual([-1, -2, -3]);
    expect(map((x: number) => `${x}!`)([1, 2])).toEqual(["1!", "2!"]);
    expect(map(neg)([])).toEqual([]);
  });

  it("zipWith(add)([1, 2], [3, 4]) = [4, 6]", () => {
    expect(zipWith(add)([1, 2], [3, 4])).toEqual([4, 6]);
    expect(zipWith((a: number, b: string) => `${b}${a}`)([1, 2], ["x", "y"])).toEqual(["x1", "y2"]);
    expect(zipWith(add)([], [])).toEqual([]);
  });

  it("zipWith of lists of lengths 2 and 3 is an error naming both lengths", () => {
    expect(() => zipWith(add)([1, 2], [1, 2, 3])).toThrow(/zipWith: lists must have equal length, got 2 and 3/);
    expect(() => addLists([1], [])).toThrow(/got 1 and 0/);
  });

  it("reduce(add, 0)([1, 2, 3]) = 6, folded left to right, start for []", () => {
    expect(reduce(add, 0)([1, 2, 3])).toBe(6);
    expect(reduce((acc: number, x: number) => acc * 10 + x, 0)([1, 2, 3])).toBe(123);
    expect(reduce((acc: string, x: number) => acc + x, ">")([4, 5])).toBe(">45");
    expect(reduce(add, 7)([])).toBe(7);
  });

  it("negList([1, −2]) = [−1, 2], addLists([1, 2], [3, 4]) = [4, 6]", () => {
    expect(negList([1, -2])).toEqual([-1, 2]);
    expect(addLists([1, 2], [3, 4])).toEqual([4, 6]);
  });

  it("sum([1, 2, 3.5]) = 6.5, prod([2, 3, 4]) = 24, sum([]) = 0, prod([]) = 1", () => {
    expect(sum([1, 2, 3.5])).toBe(6.5);
    expect(prod([2, 3, 4])).toBe(24);
    expect(sum([])).toBe(0);
    expect(prod([])).toBe(1);
  });

  it("map, zipWith and the list helpers leave their inputs unchanged", () => {
    const a = [1, 2, 3];
    const b = [4, 5, 6];
    negList(a);
    addLists(a, b);
    sum(a);
    prod(b);
    expect(a).toEqual([1, 2, 3]);
    expect(b).toEqual([4, 5, 6]);
  });

  it("addLists([a, b], [c, d]) = [a + c, b + d]", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, smallFloats, smallFloats, (a, b, c, d) => {
        const [x1, x2] = addLists([a, b], [c, d]) as [number, number];
        expectClose(x1, a + c);
        expectClose(x2, b + d);
      }),
      runs,
    );
  });

  it("sum distributes over addLists: sum(addLists(l1, l2)) = sum(l1) + sum(l2)", () => {
    const pair = fc
      .integer({ min: 0, max: 20 })
      .chain((n) => fc.tuple(fc.array(smallFloats, { minLength: n, maxLength: n }), fc.array(smallFloats, { minLength: n, maxLength: n })));
    fc.assert(
      fc.property(pair, ([l1, l2]) => {
        expectClose(sum(addLists(l1, l2)), add(sum(l1), sum(l2)));
      }),
      runs,
    );
  });

  it("sum(negList(ls)) = −sum(ls), and sum matches a plain loop", () => {
    fc.assert(
      fc.property(fc.array(smallFloats, { maxLength: 30 }), (ls) => {
        let total = 0;
        for (const x of ls) total += x;
        expectClose(sum(ls), total);
        expectClose(sum(negList(ls)), -sum(ls));
      }),
      runs,
    );
  });

  it("prod([x, y, z]) = x·y·z", () => {
    fc.assert(
      fc.property(smallFloats, smallFloats, smallFloats, (x, y, z) => {
        expectClose(prod([x, y, z]), x * y * z);
      }),
      runs,
    );
  });

  it("negList negates every element and keeps the length", () => {
    fc.assert(
      fc.property(fc.array(smallFloats, { maxLength: 30 }), (ls) => {
        const out = negList(ls);
        expect(out).toHaveLength(ls.length);
        out.forEach((v, i) => expectClose(v, -ls[i]!));
      }),
      runs,
    );
  });
});
