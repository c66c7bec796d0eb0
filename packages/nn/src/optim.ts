/**
 * Stochastic gradient descent over a module's parameters.
 */
import { Scalar } from "@minitorch/autodiff";
import { Tensor } from "@minitorch/tensor-core";
import type { Parameter } from "./module.js";

/**
 * Plain SGD: value ← value − lr · gradient, for tensor and scalar
 * parameters. Tensors are updated in place (views and optimizers keep
 * pointing at them). As in minitorch, where each step gives a parameter a
 * fresh value, a step consumes the gradients: they are cleared after use,
 * so a loop needs no `zeroGrad()` (calling it is harmless).
 */
export class SGD {
  readonly parameters: Parameter<unknown>[];

  constructor(
    parameters: Iterable<Parameter<unknown>>,
    public lr = 1.0,
  ) {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new RangeError(`SGD: lr must be a positive number, got ${lr}`);
    this.parameters = [...parameters];
  }

  /** Forget every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters) {
      if (p.value instanceof Tensor) p.value.zeroGrad_();
      else if (p.value instanceof Scalar) p.value.derivative = null;
    }
  }

  /** Move every parameter that has a gradient one step against it. */
  step(): void {
    for (const p of this.parameters) {
      const v = p.value;
      if (v instanceof Tensor) {
        if (v.grad === null) continue;
        stepTensor(v, v.grad, this.lr);
        v.zeroGrad_();
      } else if (v instanceof Scalar) {
        if (v.derivative === null) continue;
        p.update(new Scalar(v.data - this.lr * v.derivative));
      }
    }
  }

  /** What a checkpoint needs to restore this optimizer. */
  state(): { lr: number } {
    return { lr: this.lr };
  }

  loadState(state: { lr: number }): void {
    if (!(state.lr > 0) || !Number.isFinite(state.lr)) throw new RangeError(`SGD.loadState: lr must be a positive number, got ${state.lr}`);
    this.lr = state.lr;
  }
}

function stepTensor(value: Tensor, grad: Tensor, lr: number): void {
  if (!value.isContiguous()) {
    throw new Error(`SGD: parameter of shape [${value.shape.join(", ")}] is not contiguous`);
  }
  const g = grad.isContiguous() ? grad.storage : grad.toFloat64Array();
  if (grad.size !== value.size) {
    throw new Error(`SGD: gradient of shape [${grad.shape.join(", ")}] for parameter of shape [${value.shape.join(", ")}]`);
  }
  const s = value.storage;
  for (let i = 0; i < value.size; i++) s[i] = s[i]! - lr * g[i]!;
}
