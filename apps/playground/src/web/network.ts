/**
 * The toy network of Tasks 1.5–3.5, as minitorch's project/run_tensor.py
 * builds it: Linear(2, hidden) → ReLU → Linear(hidden, hidden) → ReLU →
 * Linear(hidden, 1) → sigmoid, one probability per point, with weights
 * uniform in (-1, 1) as its RParam draws them.
 *
 * The same shape as @minitorch/train-toy's networks (`{ forward(x);
 * parameters() }`); once that package is merged, the page can import its
 * TensorNetwork / FastNetwork instead of this factory.
 */
import { Linear, Module, type LayerOptions } from "@minitorch/nn";
import type { Tensor } from "@minitorch/tensor-core";

export class ToyNetwork extends Module {
  readonly layer1: Linear;
  readonly layer2: Linear;
  readonly layer3: Linear;
  /** The last forward pass's first hidden layer [N, hidden], for the per-unit heatmaps. */
  hidden: Tensor | null = null;

  constructor(hidden: number, options: LayerOptions = {}) {
    super();
    this.layer1 = new Linear(2, hidden, options);
    this.layer2 = new Linear(hidden, hidden, options);
    this.layer3 = new Linear(hidden, 1, options);
    // minitorch's RParam draws uniformly from (-1, 1), wider than nn's layers (±0.05): small toy nets learn sooner from it.
    for (const p of this.parameters()) {
      const s = p.value.storage;
      for (let i = 0; i < s.length; i++) s[i] = s[i]! * 20;
    }
  }

  /** Probabilities [N] of class 1 for points [N, 2]. */
  override forward(x: Tensor): Tensor {
    this.hidden = this.layer1.forward(x).relu();
    const h = this.layer2.forward(this.hidden).relu();
    return this.layer3.forward(h).sigmoid().view(x.shape[0]!);
  }
}
