import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  Context,
  Scalar,
  ScalarFunction,
  ScalarHistory,
  backpropagate,
  centralDifference,
  operators,
  topologicalSort,
  type Variable,
} from "../src/index.js";
import { floatsIn } from "./strategies.js";

const runs = { numRuns: 50 };

/** f(x, y) = x + y + 10, minitorch's `Function1`. */
class Function1 extends ScalarFunction {
  static override forward(_ctx: Context, x: number, y: number): number {
    return x + y + 10;
  }
  static override backward(_ctx: Context, d: number): readonly number[] {
    return [d, d];
  }
}

/** f(x, y) = x·y + x, minitorch's `Function2`. */
class Function2 extends ScalarFunction {
  static override forward(ctx: Context, x: number, y: number): number {
    ctx.saveForBackward(x, y);
    return x * y + x;
  }
  static override backward(ctx: Context, d: number): readonly number[] {
    const [x, y] = ctx.saved<[number, number]>();
    return [d * (y + 1), d * x];
  }
}

/** f(x) = x², with a one-number backward. */
class Square extends ScalarFunction {
  static override forward(ctx: Context, x: number): number {
    ctx.saveForBackward(x);
    return x * x;
  }
  static override backward(ctx: Context, d: number): number {
    const [x] = ctx.saved<[number]>();
    return 2 * x * d;
  }
}

/** f(x) = 2x, counting how often its backward runs. */
class CountedDouble extends ScalarFunction {
  static calls = 0;
  static override forward(_ctx: Context, x: number): number {
    return 2 * x;
  }
  static override backward(_ctx: Context, d: number): number {
    CountedDouble.calls++;
    return 2 * d;
  }
}

describe("task1_1", () => {
  it("central difference of id at 5 is 1, of exp at 2 is e²", () => {
    expect(centralDifference(operators.id, [5])).toBeCloseTo(1, 6);
    expect(centralDifference(operators.exp, [2], 0)).toBeCloseTo(Math.exp(2), 5);
  });

  it("central differences of add and mul at (5, 10): 1; 10 and 5", () => {
    expect(centralDifference(operators.add, [5, 10], 0)).toBeCloseTo(1, 6);
    expect(centralDifference(operators.add, [5, 10], 1)).toBeCloseTo(1, 6);
    expect(centralDifference(operators.mul, [5, 10], 0)).toBeCloseTo(10, 5);
    expect(centralDifference(operators.mul, [5, 10], 1)).toBeCloseTo(5, 5);
  });

  it("central difference of 3x³ − 2x + 1 at 2 is 34", () => {
    const f = (x: number): number => 3 * x ** 3 - 2 * x + 1;
    expect(centralDifference(f, [2])).toBeCloseTo(34, 4);
  });

  it("central differences of x²y + y³ at (1, 2): ∂x = 4, ∂y = 13", () => {
    const f = (x: number, y: number): number => x * x * y + y ** 3;
    expect(centralDifference(f, [1, 2], 0)).toBeCloseTo(4, 4);
    expect(centralDifference(f, [1, 2], 1)).toBeCloseTo(13, 4);
  });

  it("a larger epsilon is used as given: (f(x+ε) − f(x−ε)) / 2ε of x³ at 1 with ε = 0.5 is 3.25", () => {
    expect(centralDifference((x) => x ** 3, [1], 0, 0.5)).toBeCloseTo(3.25, 10);
  });

  it("leaves the argument list unchanged", () => {
    const vals = [1, 2, 3];
    centralDifference((a, b, c) => a * b * c, vals, 1);
    expect(vals).toEqual([1, 2, 3]);
  });

  it("the central difference of a·x + b·y is a in x and b in y", () => {
    const coef = floatsIn(-10, 10);
    const val = floatsIn(-100, 100);
    fc.assert(
      fc.property(coef, coef, val, val, (a, b, x, y) => {
        const f = (u: number, v: number): number => a * u + b * v;
        expect(centralDifference(f, [x, y], 0)).toBeCloseTo(a, 3);
        expect(centralDifference(f, [x, y], 1)).toBeCloseTo(b, 3);
      }),
      runs,
    );
  });
});

describe("task1_3", () => {
  it("chainRule skips constant inputs: both constant gives nothing", () => {
    const c1 = new Scalar(1, null);
    const c2 = new Scalar(2, null);
    const out = new Scalar(13, new ScalarHistory(Function1, new Context(), [c1, c2]));
    expect(out.chainRule(5)).toEqual([]);
  });

  it("chainRule of x + y + 10 with a variable and a constant, d = 5: [[var, 5]]", () => {
    const v = new Scalar(3);
    const out = Function1.apply(v, new Scalar(7, null));
    const back = out.chainRule(5);
    expect(back).toHaveLength(1);
    expect(back[0]![0]).toBe(v);
    expect(back[0]![1]).toBe(5);
  });

  it("chainRule of x·y + x at (constant 10, var 5), d = 5: [[var, 50]]", () => {
    const v = new Scalar(5);
    const out = Function2.apply(new Scalar(10, null), v);
    expect(out.data).toBe(60);
    const back = out.chainRule(5);
    expect(back).toHaveLength(1);
    expect(back[0]![0]).toBe(v);
    expect(back[0]![1]).toBe(50);
  });

  it("chainRule of x·y + x at (5, 10), d = 5: [[x, 55], [y, 25]] in input order", () => {
    const x = new Scalar(5);
    const y = new Scalar(10);
    const back = Function2.apply(x, y).chainRule(5);
    expect(back.map(([v, d]) => [v.uniqueId, d])).toEqual([
      [x.uniqueId, 55],
      [y.uniqueId, 25],
    ]);
  });

  it("chainRule of a one-argument function with a number backward: d(x²) at 4, d = 3 is 24", () => {
    const x = new Scalar(4);
    const back = Square.apply(x).chainRule(3);
    expect(back).toEqual([[x, 24]]);
  });
});

describe("Scalar function application (given with Task 1.3)", () => {
  it("a function of constants only makes a constant; numbers become leaves", () => {
    const c = Function1.apply(new Scalar(1, null), new Scalar(2, null));
    expect(c.data).toBe(13);
    expect(c.isConstant()).toBe(true);
    const d = Function1.apply(1, 2);
    expect(d.isConstant()).toBe(false);
    expect(d.isLeaf()).toBe(false);
    expect(d.parents.every((p) => p.isLeaf())).toBe(true);
  });

  it("chainRule of a leaf is an error", () => {
    expect(() => new Scalar(1).chainRule(1)).toThrow(/Scalar.chainRule: needs a scalar made by a ScalarFunction/);
  });
});

describe("centralDifference's argument check (given with Task 1.1)", () => {
  it("an argument index outside the values is an error naming the range", () => {
    expect(() => centralDifference(operators.add, [1, 2], 2)).toThrow(/centralDifference: arg must be in \[0, 2\), got 2/);
    expect(() => centralDifference(operators.id, [1], -1)).toThrow(/arg must be in \[0, 1\), got -1/);
  });
});

/** A random computation graph: `leaves` leaf scalars, then each op combines earlier nodes. */
const graphs = fc.record({
  leaves: fc.integer({ min: 1, max: 4 }),
  constants: fc.integer({ min: 0, max: 2 }),
  ops: fc.array(fc.tuple(fc.constantFrom("add", "mul", "neg", "sigmoid"), fc.nat(), fc.nat()), { minLength: 1, maxLength: 15 }),
});

interface Graph {
  leaves: number;
  constants: number;
  ops: Array<[string, number, number]>;
}

function buildGraph(g: Graph): Scalar[] {
  const nodes: Scalar[] = [];
  for (let i = 0; i < g.leaves; i++) nodes.push(new Scalar(i + 1));
  for (let i = 0; i < g.constants; i++) nodes.push(new Scalar(i + 0.5, null));
  for (const [op, i, j] of g.ops) {
    const a = nodes[i % nodes.length]!;
    const b = nodes[j % nodes.length]!;
    nodes.push(op === "add" ? a.add(b) : op === "mul" ? a.mul(b) : op === "neg" ? a.neg() : a.sigmoid());
  }
  return nodes;
}

/** Non-constant variables reachable from `root` (itself included). */
function reachable(root: Variable<number>): Set<number> {
  const seen = new Set<number>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v.isConstant() || seen.has(v.uniqueId)) continue;
    seen.add(v.uniqueId);
    stack.push(...v.parents);
  }
  return seen;
}

describe("task1_4", () => {
  it("topologicalSort of z = (x·2) + 1, with 2 and 1 constants, is [z, x·2, x]", () => {
    const x = new Scalar(3);
    const y = x.mul(new Scalar(2, null));
    const z = y.add(new Scalar(1, null));
    expect(topologicalSort(z)).toEqual([z, y, x]);
  });

  it("topologicalSort skips constants; a constant root gives []", () => {
    const x = new Scalar(1);
    const c = new Scalar(2, null);
    const z = x.mul(c);
    expect(topologicalSort(z)).toEqual([z, x]);
    expect(topologicalSort(c)).toEqual([]);
  });

  it("topologicalSort of a diamond lists the shared node once, after both users", () => {
    const x = new Scalar(2);
    const a = x.neg();
    const b = x.sigmoid();
    const z = a.add(b);
    const order = topologicalSort(z);
    expect(order[0]).toBe(z);
    expect(order.filter((v) => v === x)).toHaveLength(1);
    expect(order.indexOf(x)).toBeGreaterThan(Math.max(order.indexOf(a), order.indexOf(b)));
    expect(order).toHaveLength(4);
  });

  it("topologicalSort of random graphs: root first, each reachable variable once, every variable before its parents", () => {
    fc.assert(
      fc.property(graphs, (g) => {
        const nodes = buildGraph(g);
        const root = nodes[nodes.length - 1]!;
        const order = topologicalSort(root);
        const position = new Map(order.map((v, i) => [v.uniqueId, i]));
        if (root.isConstant()) {
          expect(order).toEqual([]);
          return;
        }
        expect(order[0]).toBe(root);
        expect(position.size).toBe(order.length);
        expect(new Set(position.keys())).toEqual(reachable(root));
        for (const v of order) {
          for (const p of v.parents) {
            if (!p.isConstant()) expect(position.get(p.uniqueId)!).toBeGreaterThan(position.get(v.uniqueId)!);
          }
        }
      }),
      runs,
    );
  });

  it("backprop F1(0, v) with d = 5: v gets 5", () => {
    const v = new Scalar(0);
    Function1.apply(0, v).backward(5);
    expect(v.derivative).toBe(5);
  });

  it("backprop F1(0, F1(0, v)) with d = 5: v gets 5", () => {
    const v = new Scalar(0);
    Function1.apply(0, Function1.apply(0, v)).backward(5);
    expect(v.derivative).toBe(5);
  });

  it("backprop F1(F1(0, v), F1(0, v)) with d = 5: v, used twice, gets 10", () => {
    const v = new Scalar(0);
    const a = Function1.apply(0, v);
    const b = Function1.apply(0, v);
    Function1.apply(a, b).backward(5);
    expect(v.derivative).toBe(10);
  });

  it("backprop F1(F1(0, w), F1(0, w)) with w = F1(0, v), d = 5: v gets 10", () => {
    const v = new Scalar(0);
    const w = Function1.apply(0, v);
    Function1.apply(Function1.apply(0, w), Function1.apply(0, w)).backward(5);
    expect(v.derivative).toBe(10);
  });

  it("backprop of x·y + x at (5, 10): ∂x = 11, ∂y = 5; a second backward accumulates", () => {
    const x = new Scalar(5);
    const y = new Scalar(10);
    const z = Function2.apply(x, y);
    z.backward();
    expect([x.derivative, y.derivative]).toEqual([11, 5]);
    z.backward();
    expect([x.derivative, y.derivative]).toEqual([22, 10]);
  });

  it("backpropagate sums derivatives of a shared node before going on: its backward runs once", () => {
    CountedDouble.calls = 0;
    const x = new Scalar(1.5);
    const w = CountedDouble.apply(x);
    const z = w.add(1).add(w.mul(3));
    const sums: Array<[number, number]> = [];
    backpropagate<number>(z, 1, (a, b) => {
      sums.push([a, b]);
      return a + b;
    });
    expect(CountedDouble.calls).toBe(1);
    expect(sums).toHaveLength(1);
    expect(x.derivative).toBe(8); // d(2x + 1 + 6x)/dx
  });

  it("backprop leaves unreachable leaves and constants without a derivative", () => {
    const x = new Scalar(2);
    const other = new Scalar(4);
    const c = new Scalar(3, null);
    x.mul(c).backward();
    expect(x.derivative).toBe(3);
    expect(other.derivative).toBeNull();
    expect(c.derivative).toBeNull();
  });

  it("backprop through a chain of 20000 additions does not overflow the stack", () => {
    const x = new Scalar(0);
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(new Scalar(1, null));
    y.backward();
    expect(y.data).toBe(20000);
    expect(x.derivative).toBe(1);
  });
});

describe("derivative accumulation (given with Task 1.4)", () => {
  it("only leaves accumulate derivatives", () => {
    const y = new Scalar(1).add(2);
    expect(() => y.accumulateDerivative(1)).toThrow(/only leaf variables have derivatives/);
    const leaf = new Scalar(1);
    leaf.accumulateDerivative(2);
    leaf.accumulateDerivative(0.5);
    expect(leaf.derivative).toBe(2.5);
  });
});
