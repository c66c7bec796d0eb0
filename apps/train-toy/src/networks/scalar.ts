/**
 * Task 1.5: a network of Scalars trained by backpropagation (minitorch's
 * run_scalar.py). Every weight is its own Scalar parameter; a layer is a
 * double loop of Scalar multiplications and additions, so the whole
 * computation graph is built one number at a time.
 */
import { Scalar, defaultRandom, type Random } from "@minitorch/autodiff";
import { Module, type Parameter } from "@minitorch/nn";

/** Fully connected layer on Scalars: y_j = b_j + Σ_i x_i · w_ij, weights and biases uniform in [−1, 1). */
export class ScalarLinear extends Module<Scalar> {
  readonly weights: Parameter<Scalar>[][] = [];
  readonly bias: Parameter<Scalar>[] = [];

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    random: Random = defaultRandom,
  ) {
    super();
    for (let i = 0; i < inSize; i++) {
      this.weights.push(Array.from({ length: outSize }, (_, j) => this.addParameter(`weight_${i}_${j}`, new Scalar(2 * (random.random() - 0.5)))));
    }
    for (let j = 0; j < outSize; j++) this.bias.push(this.addParameter(`bias_${j}`, new Scalar(2 * (random.random() - 0.5))));
  }

  /** `inputs` has inSize Scalars; returns outSize Scalars. */
  override forward(inputs: readonly Scalar[]): Scalar[] {
    if (inputs.length !== this.inSize) throw new RangeError(`ScalarLinear: expected ${this.inSize} inputs, got ${inputs.length}`);
    // BEGIN ASSIGN1.5
    const y = this.bias.map((b) => b.value);
    for (const [i, x] of inputs.entries()) {
      for (let j = 0; j < y.length; j++) y[j] = y[j]!.add(x.mul(this.weights[i]![j]!.value));
    }
    return y;
    // END ASSIGN1.5
  }
}

/** minitorch's scalar Network: 2 → hidden → hidden → 1, ReLU between layers, a sigmoid at the end. */
export class ScalarNetwork extends Module<Scalar> {
  readonly layer1: ScalarLinear;
  readonly layer2: ScalarLinear;
  readonly layer3: ScalarLinear;

  constructor(hidden: number, random: Random = defaultRandom) {
    super();
    if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`ScalarNetwork: hidden must be a positive integer, got ${hidden}`);
    this.layer1 = new ScalarLinear(2, hidden, random);
    this.layer2 = new ScalarLinear(hidden, hidden, random);
    this.layer3 = new ScalarLinear(hidden, 1, random);
  }

  /** The probability of label 1 at the point (x₁, x₂). */
  override forward(x: readonly [Scalar, Scalar]): Scalar {
    const middle = this.layer1.forward(x).map((h) => h.relu());
    const end = this.layer2.forward(middle).map((h) => h.relu());
    return this.layer3.forward(end)[0]!.sigmoid();
  }
}
