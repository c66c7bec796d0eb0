/**
 * Parameter-free modules for Sequential, as PyTorch names them: ReLU,
 * Sigmoid and Flatten. Each forward is one tensor method, so its gradient
 * is that method's.
 */
import { IndexingError, type Tensor } from "@minitorch/tensor-core";
import { Module } from "./module.js";

/** max(0, x) elementwise. */
export class ReLU extends Module {
  override forward(input: Tensor): Tensor {
    return input.relu();
  }
}

/** 1 / (1 + e^−x) elementwise. */
export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor {
    return input.sigmoid();
  }
}

/** [batch, d1, d2, …] → [batch, d1·d2·…] (PyTorch's Flatten with its default start_dim = 1). */
export class Flatten extends Module {
  override forward(input: Tensor): Tensor {
    if (input.dims < 1) throw new IndexingError(`Flatten: input must have a batch dimension, got shape [${input.shape.join(", ")}]`);
    return input.reshape(input.shape[0]!, -1);
  }
}
