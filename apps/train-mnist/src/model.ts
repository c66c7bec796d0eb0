/**
 * Task 4.5: the LeNet-style network of minitorch's run_mnist_multiclass.py.
 *
 *   [B, 1, 28, 28] → conv 1→4 3×3 + ReLU (kept as `mid`)
 *                  → conv 4→8 3×3 + ReLU (kept as `out`)
 *                  → avgpool 4×4 → [B, 8, 7, 7] → view [B, 392]
 *                  → linear 392→64 + ReLU → dropout 0.25 (training only)
 *                  → linear 64→10 → logsoftmax over classes
 */
import { Conv2d, Linear, Module, avgpool2d, dropout, logsoftmax, type LayerOptions } from "@minitorch/nn";
import type { Tensor } from "@minitorch/tensor-core";

export const CLASSES = 10;
export const HEIGHT = 28;
export const WIDTH = 28;

export class LeNet extends Module {
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly linear1: Linear;
  readonly linear2: Linear;
  /** First conv layer's activations [B, 4, 28, 28] from the last forward pass, for visualisation. */
  mid: Tensor | null = null;
  /** Second conv layer's activations [B, 8, 28, 28] from the last forward pass. */
  out: Tensor | null = null;

  constructor(
    options: LayerOptions = {},
    readonly dropoutRate = 0.25,
  ) {
    super();
    // BEGIN ASSIGN4.5
    this.conv1 = new Conv2d(1, 4, 3, 3, options);
    this.conv2 = new Conv2d(4, 8, 3, 3, options);
    this.linear1 = new Linear(392, 64, options);
    this.linear2 = new Linear(64, CLASSES, options);
    // END ASSIGN4.5
  }

  /** Log-probabilities [B, 10] of images [B, 1, 28, 28]. */
  override forward(x: Tensor): Tensor {
    // BEGIN ASSIGN4.5
    const batch = x.shape[0]!;
    this.mid = this.conv1.forward(x).relu();
    this.out = this.conv2.forward(this.mid).relu();
    let h = avgpool2d(this.out, [4, 4]).view(batch, 392);
    h = this.linear1.forward(h).relu();
    h = dropout(h, this.dropoutRate, !this.training);
    return logsoftmax(this.linear2.forward(h), 1);
    // END ASSIGN4.5
  }
}
