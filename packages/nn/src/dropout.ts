/**
 * Task 4.4: dropout.
 */
import { defaultRandom, type Random } from "@minitorch/autodiff";
import type { Tensor } from "@minitorch/tensor-core";

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

