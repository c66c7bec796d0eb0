/**
 * Task 2.5: the same network on tensors (minitorch's run_tensor.py). A
 * layer is one broadcast multiply and a sum instead of a double loop, and
 * the whole dataset goes through as one batch.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import { Module, Parameter } from "@minitorch/nn";
import { SimpleBackend, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";

/** Where a toy network's parameters live and how they are drawn. */
export interface ToyLayerOptions {
  /** Defaults to SimpleBackend, as minitorch's run_tensor.py. */
  backend?: TensorBackend;
  random?: Random;
}

/** minitorch's RParam for run_tensor.py: uniform in [−1, 1). */
function rParam(shape: readonly number[], options: ToyLayerOptions): Parameter<Tensor> {
  const r = rand(shape, options.backend ?? SimpleBackend, options.random ?? defaultRandom);
  return new Parameter(r.sub(0.5).mul(2));
}

function checkBatch(layer: string, x: Tensor, inSize: number): void {
  if (x.dims !== 2 || x.shape[1] !== inSize) throw new RangeError(`${layer}: input must be [batch, ${inSize}], got shape [${x.shape.join(", ")}]`);
}

/** Fully connected layer: [batch, inSize] → [batch, outSize], x · W + b, without matmul. */
export class TensorLinear extends Module {
  readonly weights: Parameter<Tensor>;
  readonly bias: Parameter<Tensor>;

  constructor(
    readonly inSize: number,
    readonly outSize: number,
    options: ToyLayerOptions = {},
  ) {
    super();
    this.weights = rParam([inSize, outSize], options);
    this.bias = rParam([outSize], options);
  }

  override forward(x: Tensor): Tensor {
    checkBatch("TensorLinear", x, this.inSize);
    // BEGIN ASSIGN2.5
    // [batch, in, 1] × [1, in, out] broadcasts to [batch, in, out]; summing over `in` leaves [batch, 1, out].
    const batch = x.shape[0]!;
    const products = x.view(batch, this.inSize, 1).mul(this.weights.value.view(1, this.inSize, this.outSize));
    return products.sum(1).view(batch, this.outSize).add(this.bias.value.view(this.outSize));
    // END ASSIGN2.5
  }
}

/** minitorch's tensor Network: 2 → hidden → hidden → 1, ReLU between layers, a sigmoid at the end. */
export class TensorNetwork extends Module {
  readonly layer1: TensorLinear;
  readonly layer2: TensorLinear;
  readonly layer3: TensorLinear;

  constructor(hidden: number, options: ToyLayerOptions = {}) {
    super();
    if (!Number.isInteger(hidden) || hidden < 1) throw new RangeError(`TensorNetwork: hidden must be a positive integer, got ${hidden}`);
    this.layer1 = new TensorLinear(2, hidden, options);
    this.layer2 = new TensorLinear(hidden, hidden, options);
    this.layer3 = new TensorLinear(hidden, 1, options);
  }

  /** [batch, 2] points → [batch, 1] probabilities of label 1. */
  override forward(x: Tensor): Tensor {
    // BEGIN ASSIGN2.5
    const h1 = this.layer1.forward(x).relu();
    const h2 = this.layer2.forward(h1).relu();
    return this.layer3.forward(h2).sigmoid();
    // END ASSIGN2.5
  }
}
