/**
 * Task 4.4: dropout.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import type { Tensor } from "@minitorch/tensor-core";
import { Module } from "./module.js";

/**
 * Zeroes each element of `input` with probability `rate`, drawing from the
 * library's seedable generator (or `random`). With `ignore` (evaluation
 * mode) the input is returned unchanged. As in minitorch, kept elements are
 * not rescaled.
 *
 * @throws RangeError unless 0 ≤ rate ≤ 1.
 */
export function dropout(input: Tensor, rate: number, ignore = false, random: Random = defaultRandom): Tensor {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`dropout: rate must be in [0, 1], got ${rate}`);
  if (ignore || rate === 0) return input;
  // BEGIN ASSIGN4.4
  const mask = input.zeros(input.shape);
  const m = mask.storage;
  for (let i = 0; i < m.length; i++) m[i] = random.random() >= rate ? 1 : 0;
  return input.mul(mask);
  // END ASSIGN4.4
}


/**
 * PyTorch's Dropout layer: in training mode (`train()`, the default) each
 * element is zeroed with probability `p` and the kept ones are scaled by
 * 1/(1 − p), so that an activation's expected value is the same in
 * training and evaluation; in evaluation mode (`eval()`) it passes the
 * input through. Unlike the course's `dropout` function, which does not
 * rescale, its outputs match a PyTorch model trained with it.
 */
export class Dropout extends Module {
  readonly p: number;
  private readonly random: Random;

  constructor(p = 0.5, options: { random?: Random } = {}) {
    super();
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be a number in [0, 1], got ${String(p)}`);
    this.p = p;
    this.random = options.random ?? defaultRandom;
  }

  override forward(input: Tensor): Tensor {
    if (!this.training || this.p === 0) return input;
    if (this.p === 1) return input.mul(0);
    return dropout(input, this.p, false, this.random).mul(1 / (1 - this.p));
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
