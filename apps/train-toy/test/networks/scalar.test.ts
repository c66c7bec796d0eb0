/**
 * Task 1.5: the scalar network — a layer by hand, its derivatives against
 * central differences, then training on the four toy sets (a small run; the
 * CLI tests run the defaults).
 */
import { Random, Scalar, centralDifference } from "@minitorch/autodiff";
import { simple } from "@minitorch/datasets";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScalarLinear, ScalarNetwork } from "../../src/networks/scalar.js";
import { scalarTrainer } from "../../src/networks/train.js";
import { TOY_TARGETS } from "./targets.js";

/** A layer whose weight w_ij is `w[i][j]` and bias b_j is `b[j]`. */
function layerWith(w: number[][], b: number[]): ScalarLinear {
  const layer = new ScalarLinear(w.length, b.length);
  for (const [i, row] of w.entries()) for (const [j, v] of row.entries()) layer.weights[i]![j]!.update(new Scalar(v));
  for (const [j, v] of b.entries()) layer.bias[j]!.update(new Scalar(v));
  return layer;
}


const small = fc.double({ min: -5, max: 5, noNaN: true });

describe("task1_5", () => {
  it("ScalarLinear x=[1, 2] w=[[3, -1], [4, 0.5]] b=[5, 1] gives [16, 1]", () => {
    const out = layerWith([[3, -1], [4, 0.5]], [5, 1]).forward([new Scalar(1), new Scalar(2)]);
    expect(out.map((s) => s.data)).toEqual([16, 1]);
  });

  it("ScalarLinear's derivatives: d y / d w_ij = x_i and d y / d b_j = 1", () => {
    const layer = layerWith([[3], [4]], [5]);
    const x = [new Scalar(1.5), new Scalar(-2)];
    layer.forward(x)[0]!.backward();
    expect(layer.weights[0]![0]!.value.derivative).toBe(1.5);
    expect(layer.weights[1]![0]!.value.derivative).toBe(-2);
    expect(layer.bias[0]!.value.derivative).toBe(1);
    expect(x[0]!.derivative).toBe(3);
  });

  it("ScalarNetwork's derivative in each input matches central differences", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (seed, a, b) => {
        const network = new ScalarNetwork(3, new Random(seed));
        const x = [new Scalar(a), new Scalar(b)] as const;
        network.forward(x).backward();
        const f = (u: number, v: number): number => network.forward([new Scalar(u), new Scalar(v)]).data;
        expect(x[0].derivative!).toBeCloseTo(centralDifference(f, [a, b], 0), 5);
        expect(x[1].derivative!).toBeCloseTo(centralDifference(f, [a, b], 1), 5);
      }),
      { numRuns: 30 },
    );
  });

  it("ScalarLinear is the weighted sum for any weights and inputs", () => {
    fc.assert(
      fc.property(fc.tuple(small, small), fc.tuple(small, small, small), ([x1, x2], [w1, w2, b]) => {
        const out = layerWith([[w1], [w2]], [b]).forward([new Scalar(x1), new Scalar(x2)]);
        expect(out[0]!.data).toBeCloseTo(b + x1 * w1 + x2 * w2, 9);
      }),
    );
  });

  it("one epoch lowers the loss, and its first loss is −Σ log p(label) over the points", () => {
    const data = simple(20, 3);
    const trainer = scalarTrainer(data, { hidden: 4, lr: 0.5, random: new Random(5) });
    const probabilities = trainer.predict(data.X);
    const expected = -probabilities.reduce((s, p, i) => s + Math.log(data.y[i] === 1 ? p : 1 - p), 0);
    const first = trainer.epoch();
    expect(first.loss).toBeCloseTo(expected, 9);
    for (let e = 0; e < 20; e++) trainer.epoch();
    expect(trainer.epoch().loss).toBeLessThan(first.loss);
  });

  // A small run (20 points, 200 epochs, the defaults' hidden 10 and lr 0.5) keeps the task's tests
  // quick; the CLI tests check the guide's figures on the defaults' 50 points and 500 epochs.
  it.each(TOY_TARGETS)("trains %s (20 points, 200 epochs) to the guide's accuracy", (_name, make, target) => {
    const random = new Random(0);
    const data = make(20, random);
    const trainer = scalarTrainer(data, { hidden: 10, lr: 0.5, random });
    let correct = 0;
    for (let epoch = 0; epoch < 200; epoch++) correct = trainer.epoch().correct;
    expect(correct / data.N).toBeGreaterThanOrEqual(target);
  });
});
