/**
 * Task 3.5: the tensor network on the fast backends (minitorch's
 * run_fast_tensor.py): a layer is one matrix multiply, run by Module 3's
 * parallel CPU kernels (`fast`) or the GPU (`gpu`), trained in mini-batches.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { Module, Parameter } from "@minitorch/nn";
import { rand, zeros, type Tensor, type TensorBackend } from "@minitorch/tensor-core";

/** Fully connected layer: [batch, inSize] → [batch, outSize], x @ W + b; W uniform in [−0.5, 0.5), b = 0.1. */
export class FastLinear extends Module {
  readonly weights: Parameter<Tensor>;
  readonly bias: Parameter<Tensor>;

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    backend: TensorBackend,
    random: Random = defaultRandom,
  ) {
    super();
    this.weights = new Parameter(rand([inSize, outSize], backend, random).sub(0.5));
    this.bias = new Parameter(zeros([outSize], backend).add(0.1));
  }

  override forward(x: Tensor): Tensor {
    if (x.dims !== 2 || x.shape[1] !== this.inSize) {
      throw new RangeError(`FastLinear: input must be [batch, ${this.inSize}], got shape [${x.shape.join(", ")}]`);
    }
    // BEGIN ASSIGN3.5
    return x.matmul(this.weights.value).add(this.bias.value);
    // END ASSIGN3.5
  }
}

/** minitorch's fast Network: 2 → hidden → hidden → 1 on `backend`, ReLU between layers, a sigmoid at the end. */
export class FastNetwork extends Module {
  readonly layer1: FastLinear;
  readonly layer2: FastLinear;
  readonly layer3: FastLinear;

  constructor(
    hidden: number,
    readonly backend: TensorBackend,
    random: Random = defaultRandom,
  ) {
    super();
    if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`FastNetwork: hidden must be a positive integer, got ${hidden}`);
    this.layer1 = new FastLinear(2, hidden, backend, random);
    this.layer2 = new FastLinear(hidden, hidden, backend, random);
    this.layer3 = new FastLinear(hidden, 1, backend, random);
  }

  /** [batch, 2] points → [batch, 1] probabilities of label 1. */
  override forward(x: Tensor): Tensor {
    // BEGIN ASSIGN3.5
    const h1 = this.layer1.forward(x).relu();
    const h2 = this.layer2.forward(h1).relu();
    return this.layer3.forward(h2).sigmoid();
    // END ASSIGN3.5
  }
}
