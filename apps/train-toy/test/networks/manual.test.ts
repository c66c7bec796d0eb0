/**
 * Task 0.5: the hand-made classifier — its layer by hand, then the weights
 * picked for simple and diag classifying every point of those sets.
 */
import { diag, simple } from "@minitorch/datasets";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ManualLinear, ManualNetwork, handPickedWeights, type ManualDataset } from "../../src/networks/manual.js";

/** The share of points whose label the network gives (output above 0.5 for label 1). */
function accuracy(network: ManualNetwork, data: { X: [number, number][]; y: number[] }): number {
  const right = data.X.filter((x, i) => (network.forward(x) > 0.5 ? 1 : 0) === data.y[i]).length;
  return right / data.X.length;
}

const small = fc.double({ min: -10, max: 10, noNaN: true });

describe("task0_5", () => {
  it("ManualLinear x=[1, 2] w=[[3], [4]] b=[5] gives [16]", () => {
    const layer = new ManualLinear(2, 1, (i) => [3, 4][i]!, () => 5);
    expect(layer.forward([1, 2])).toEqual([16]);
  });

  it("ManualLinear 2 → 2: y_j = b_j + Σ_i x_i · w_ij by hand", () => {
    const w = [
      [1, -2],
      [0.5, 3],
    ];
    const layer = new ManualLinear(2, 2, (i, j) => w[i]![j]!, (j) => [10, -10][j]!);
    expect(layer.forward([2, 4])).toEqual([10 + 2 * 1 + 4 * 0.5, -10 + 2 * -2 + 4 * 3]);
  });

  it("ManualNetwork with zero weights gives sigmoid(0) = 0.5, and sigmoid(w·x + b) otherwise", () => {
    expect(new ManualNetwork({ w1: 0, w2: 0, bias: 0 }).forward([0.3, 0.7])).toBe(0.5);
    expect(new ManualNetwork({ w1: 1, w2: 2, bias: -1 }).forward([1, 1])).toBeCloseTo(1 / (1 + Math.exp(-2)), 12);
  });

  it("ManualLinear is the weighted sum for any weights and inputs", () => {
    fc.assert(
      fc.property(fc.tuple(small, small), fc.tuple(small, small, small), ([x1, x2], [w1, w2, b]) => {
        const layer = new ManualLinear(2, 1, (i) => [w1, w2][i]!, () => b);
        expect(layer.forward([x1, x2])[0]).toBeCloseTo(b + x1 * w1 + x2 * w2, 9);
      }),
    );
  });

  it.each<[ManualDataset, typeof simple]>([
    ["simple", simple],
    ["diag", diag],
  ])("the hand-picked weights classify every point of %s (50 points, 3 seeds)", (name, make) => {
    const network = new ManualNetwork(handPickedWeights(name));
    for (const seed of [0, 1, 2]) expect(accuracy(network, make(50, seed)), `seed ${seed}`).toBe(1);
  });
});
