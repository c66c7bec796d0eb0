/**
 * Task 4.5: the Kim (2014) sentence CNN of minitorch's run_sentiment.py.
 *
 *   embeddings [B, L, D] → permute → [B, D, L]
 *   → three Conv1d (D → F feature maps, widths 3, 4, 5) + ReLU
 *   → max over time of each → summed → [B, F]
 *   → Linear F → 1 → dropout 0.25 (training only) → sigmoid → [B]
 */
import { Conv1d, Linear, Module, dropout, max, type LayerOptions } from "@minitorch/nn";
import type { Tensor } from "@minitorch/tensor-core";

export interface KimOptions extends LayerOptions {
  featureMapSize?: number;
  embeddingSize?: number;
  filterSizes?: readonly [number, number, number];
  dropout?: number;
}

export class KimCNN extends Module {
  readonly conv1: Conv1d;
  readonly conv2: Conv1d;
  readonly conv3: Conv1d;
  readonly linear: Linear;
  readonly featureMapSize: number;
  readonly filterSizes: readonly [number, number, number];
  readonly dropoutRate: number;
  /** The three ReLU'd feature maps [B, F, L] of the last forward pass, for visualisation. */
  maps: Tensor[] = [];

  constructor(options: KimOptions = {}) {
    super();
    this.featureMapSize = options.featureMapSize ?? 100;
    this.filterSizes = options.filterSizes ?? [3, 4, 5];
    this.dropoutRate = options.dropout ?? 0.25;
    const d = options.embeddingSize ?? 100;
    // BEGIN ASSIGN4.5
    this.conv1 = new Conv1d(d, this.featureMapSize, this.filterSizes[0], options);
    this.conv2 = new Conv1d(d, this.featureMapSize, this.filterSizes[1], options);
    this.conv3 = new Conv1d(d, this.featureMapSize, this.filterSizes[2], options);
    this.linear = new Linear(this.featureMapSize, 1, options);
    // END ASSIGN4.5
  }

  /** Probability of a positive sentence [B] for embeddings [B, L, D]. */
  override forward(embeddings: Tensor): Tensor {
    // BEGIN ASSIGN4.5
    const batch = embeddings.shape[0]!;
    const x = embeddings.permute(0, 2, 1);
    this.maps = [this.conv1.forward(x).relu(), this.conv2.forward(x).relu(), this.conv3.forward(x).relu()];
    const pooled = max(this.maps[0]!, 2).add(max(this.maps[1]!, 2)).add(max(this.maps[2]!, 2));
    let h = this.linear.forward(pooled.view(batch, this.featureMapSize));
    h = dropout(h, this.dropoutRate, !this.training);
    return h.sigmoid().view(batch);
    // END ASSIGN4.5
  }
}
