/**
 * Task 0.5: a classifier made by hand (minitorch's run_manual.py). One
 * linear unit and a sigmoid, built from Module 0's operators only:
 * p(x) = sigmoid(w₁·x₁ + w₂·x₂ + b). There is no training: the student
 * picks the weights that separate a dataset, reading its rule.
 */
import { operators } from "@minitorch/autodiff";
import { Module, type Parameter } from "@minitorch/nn";

/** A point of a toy dataset: (x₁, x₂) in the unit square. */
export type Point = readonly [number, number];

/** The weights of the hand-made classifier: w₁, w₂ and the bias. */
export interface ManualWeights {
  readonly w1: number;
  readonly w2: number;
  readonly bias: number;
}

/** The datasets a single line can separate; split and xor need a hidden layer (Task 1.5). */
export type ManualDataset = "simple" | "diag";

/** Fully connected layer on plain numbers: y_j = b_j + Σ_i x_i · w_ij. */
export class ManualLinear extends Module<number> {
  readonly weights: Parameter<number>[][] = [];
  readonly bias: Parameter<number>[] = [];

  constructor(inSize: number, outSize: number, weights: (i: number, j: number) => number, bias: (j: number) => number) {
    super();
    for (let i = 0; i < inSize; i++) {
      this.weights.push(Array.from({ length: outSize }, (_, j) => this.addParameter(`weight_${i}_${j}`, weights(i, j))));
    }
    for (let j = 0; j < outSize; j++) this.bias.push(this.addParameter(`bias_${j}`, bias(j)));
  }

  override forward(inputs: readonly number[]): number[] {
    // BEGIN ASSIGN0.5
    const y = this.bias.map((b) => b.value);
    for (const [i, x] of inputs.entries()) {
      for (let j = 0; j < y.length; j++) y[j] = operators.add(y[j]!, operators.mul(x, this.weights[i]![j]!.value));
    }
    return y;
    // END ASSIGN0.5
  }
}

/**
 * The weights, picked by hand, that classify `dataset` (label 1 where the
 * output is above 0.5). Read the dataset's rule in @minitorch/datasets'
 * toy.ts: simple is 1 left of x₁ = 0.5, diag is 1 below x₁ + x₂ = 0.5.
 */
export function handPickedWeights(dataset: ManualDataset): ManualWeights {
  // BEGIN ASSIGN0.5
  // A steep sigmoid on the dataset's own boundary line: w·x + b = 0 on it, > 0 on the label-1 side.
  const weights: Record<ManualDataset, ManualWeights> = {
    simple: { w1: -10, w2: 0, bias: 5 },
    diag: { w1: -10, w2: -10, bias: 5 },
  };
  return weights[dataset];
  // END ASSIGN0.5
}

/** minitorch's manual Network: Linear(2, 1) then a sigmoid, on plain numbers. */
export class ManualNetwork extends Module<number> {
  readonly linear: ManualLinear;

  constructor(weights: ManualWeights) {
    super();
    const w = [weights.w1, weights.w2];
    this.linear = new ManualLinear(2, 1, (i) => w[i]!, () => weights.bias);
  }

  /** The probability of label 1 at the point x. */
  override forward(x: Point): number {
    return operators.sigmoid(this.linear.forward(x)[0]!);
  }
}
