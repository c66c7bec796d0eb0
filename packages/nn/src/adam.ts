/**
 * Adam (Kingma & Ba, 2015) exactly as torch.optim.Adam computes it.
 */
import type { Storage } from "@minitorch/tensor-core";
import type { Parameter } from "./module.js";
import { Optimizer, checkNumber, checkOptions } from "./optim.js";

/** Adam's options, as torch.optim.Adam takes them (camelCase). */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the gradient's running mean and of its square's (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient, as torch.optim.Adam (not AdamW) does (default 0). */
  weightDecay?: number;
}

/**
 * Adam: per parameter, with t the step count and g = grad + weightDecay · value,
 * m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², then
 * value ← value − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps).
 */
export class Adam extends Optimizer {
  lr: number;
  readonly betas: readonly [number, number];
  readonly eps: number;
  readonly weightDecay: number;
  private readonly moments = new Map<Parameter<unknown>, { m: Float64Array; v: Float64Array; t: number }>();

  constructor(parameters: Iterable<Parameter<unknown>>, options: AdamOptions = {}) {
    super(parameters);
    checkOptions("Adam", options, ["lr", "betas", "eps", "weightDecay"]);
    this.lr = checkNumber("Adam", "lr", options.lr ?? 1e-3, (x) => x > 0, "a positive number");
    const betas = options.betas ?? [0.9, 0.999];
    if (!Array.isArray(betas) || betas.length !== 2) {
      throw new RangeError(`Adam: betas must be two numbers [beta1, beta2], got ${JSON.stringify(betas)}`);
    }
    checkNumber("Adam", "betas[0]", betas[0], (x) => x >= 0 && x < 1, "a number in [0, 1)");
    checkNumber("Adam", "betas[1]", betas[1], (x) => x >= 0 && x < 1, "a number in [0, 1)");
    this.betas = [betas[0], betas[1]];
    this.eps = checkNumber("Adam", "eps", options.eps ?? 1e-8, (x) => x >= 0, "a number ≥ 0");
    this.weightDecay = checkNumber("Adam", "weightDecay", options.weightDecay ?? 0, (x) => x >= 0, "a number ≥ 0");
  }

  protected update(p: Parameter<unknown>, values: Storage, grad: Storage): void {
    const [b1, b2] = this.betas;
    let s = this.moments.get(p);
    if (s === undefined) {
      s = { m: new Float64Array(values.length), v: new Float64Array(values.length), t: 0 };
      this.moments.set(p, s);
    }
    s.t += 1;
    const stepSize = this.lr / (1 - b1 ** s.t);
    const root2 = Math.sqrt(1 - b2 ** s.t);
    const { m, v } = s;
    for (let i = 0; i < values.length; i++) {
      const g = grad[i]! + this.weightDecay * values[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      values[i] = values[i]! - (stepSize * m[i]!) / (Math.sqrt(v[i]!) / root2 + this.eps);
    }
  }
}
