import { Random } from "@minitorch/autodiff";
import { describe, expect, it } from "vitest";
import { circle, diag, makePoints, simple, spiral, split, toyDatasets, xor } from "../src/index.js";

describe("datasets toy sets", () => {
  it("makePoints draws x1 then x2 from the generator, in [0, 1)", () => {
    const rng = new Random(5);
    const expected = [rng.random(), rng.random(), rng.random(), rng.random()];
    expect(makePoints(2, 5)).toEqual([
      [expected[0], expected[1]],
      [expected[2], expected[3]],
    ]);
    for (const [a, b] of makePoints(100)) {
      expect(a).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
    }
  });

  it("labels follow minitorch's rules", () => {
    const rules: [typeof simple, (a: number, b: number) => boolean][] = [
      [simple, (a) => a < 0.5],
      [diag, (a, b) => a + b < 0.5],
      [split, (a) => a < 0.2 || a > 0.8],
      [xor, (a, b) => (a < 0.5 && b > 0.5) || (a > 0.5 && b < 0.5)],
      [circle, (a, b) => (a - 0.5) ** 2 + (b - 0.5) ** 2 > 0.1],
    ];
    for (const [make, rule] of rules) {
      const g = make(200, 11);
      expect(g.N).toBe(200);
      expect(g.X.length).toBe(200);
      g.X.forEach(([a, b], i) => expect(g.y[i]).toBe(rule(a, b) ? 1 : 0));
      expect(new Set(g.y)).toEqual(new Set([0, 1]));
    }
  });

  it("the same seed gives the same set; a shared generator advances", () => {
    expect(xor(20, 3)).toEqual(xor(20, 3));
    expect(xor(20)).toEqual(xor(20, 0));
    const rng = new Random(3);
    const first = xor(20, rng);
    expect(first).toEqual(xor(20, 3));
    expect(xor(20, rng)).not.toEqual(first);
  });

  it("spiral(4): h = 2, t = 25 and 30, class 0 then the mirrored class 1", () => {
    const g = spiral(4);
    const x = (t: number): number => (t * Math.cos(t)) / 20;
    const y = (t: number): number => (t * Math.sin(t)) / 20;
    expect(g.X).toEqual([
      [x(25) + 0.5, y(25) + 0.5],
      [x(30) + 0.5, y(30) + 0.5],
      [y(-25) + 0.5, x(-25) + 0.5],
      [y(-30) + 0.5, x(-30) + 0.5],
    ]);
    expect(g.y).toEqual([0, 0, 1, 1]);
    expect(spiral(5).N).toBe(4);
  });

  it("toyDatasets names the six sets; bad N is refused", () => {
    expect(Object.keys(toyDatasets)).toEqual(["Simple", "Diag", "Split", "Xor", "Circle", "Spiral"]);
    expect(toyDatasets["Spiral"]!(10).N).toBe(10);
    expect(() => simple(-1)).toThrow("simple: N must be a non-negative integer, got -1");
    expect(() => spiral(2.5)).toThrow("spiral: N must be a non-negative integer, got 2.5");
  });
});
