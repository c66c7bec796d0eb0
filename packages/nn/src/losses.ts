/**
 * The losses the course's networks train with.
 */
import { IndexingError, Tensor } from "@minitorch/tensor-core";
import { logsoftmax } from "./reductions.js";

/**
 * Negative log-likelihood of one-hot targets under log-probabilities:
 * −(1/N) Σₙ Σ_c target[n, c] · logProbs[n, c], for logProbs and target of
 * shape [N, classes] (logProbs typically from `logsoftmax(x, 1)`). Returns
 * a tensor of shape [1]. An empty batch is an error.
 */
export function nllLoss(logProbs: Tensor, target: Tensor): Tensor {
  sameShape(logProbs, target, "nllLoss");
  if (logProbs.dims !== 2) {
    throw new IndexingError(`nllLoss: expected [batch, classes], got shape [${logProbs.shape.join(", ")}]`);
  }
  nonEmptyBatch(logProbs, "nllLoss");
  return logProbs.mul(target).sum(1).div(logProbs.shape[0]!).sum().neg();
}

/**
 * Binary cross-entropy of probabilities `probs` (after a sigmoid) against
 * 0/1 targets, both of shape [N]: −(1/N) Σ log(p·y + (1 − p)(1 − y)),
 * minitorch's form. Returns a tensor of shape [1]. An empty batch is an error.
 */
export function bceLoss(probs: Tensor, target: Tensor): Tensor {
  sameShape(probs, target, "bceLoss");
  if (probs.dims !== 1) throw new IndexingError(`bceLoss: expected [batch], got shape [${probs.shape.join(", ")}]`);
  nonEmptyBatch(probs, "bceLoss");
  const likelihood = probs.mul(target).add(probs.sub(1).mul(target.sub(1)));
  return likelihood.log().div(probs.shape[0]!).sum().neg();
}

/**
 * PyTorch's cross-entropy with class indices: −(1/N) Σₙ log softmax(logits[n])[targets[n]],
 * for logits [N, classes] and N class indices (a tensor of shape [N] or a
 * number array), with the mean over the batch as torch's default reduction.
 * Computed as nllLoss of logsoftmax (stable for large logits); the gradient
 * flows to the logits. Returns a tensor of shape [1].
 */
export function crossEntropy(logits: Tensor, targets: Tensor | readonly number[]): Tensor {
  if (!(logits instanceof Tensor) || logits.dims !== 2) {
    const got = logits instanceof Tensor ? `shape [${logits.shape.join(", ")}]` : typeof logits;
    throw new IndexingError(`crossEntropy: logits must be [batch, classes], got ${got}`);
  }
  const [n, classes] = logits.shape as [number, number];
  let indices: ArrayLike<number>;
  if (targets instanceof Tensor) {
    if (targets.dims !== 1) throw new IndexingError(`crossEntropy: targets must be class indices of shape [${n}], got shape [${targets.shape.join(", ")}]`);
    indices = targets.toFloat64Array();
  } else if (Array.isArray(targets)) {
    indices = targets;
  } else {
    throw new TypeError(`crossEntropy: targets must be a Tensor or an array of class indices, got ${targets === null ? "null" : typeof targets}`);
  }
  if (indices.length !== n) throw new IndexingError(`crossEntropy: ${indices.length} targets for a batch of ${n} logits rows`);
  nonEmptyBatch(logits, "crossEntropy");
  const oneHot = logits.zeros([n, classes]);
  for (let i = 0; i < n; i++) {
    const c = indices[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`crossEntropy: target ${i} is ${c}, expected a class index in [0, ${classes})`);
    }
    oneHot.storage[i * classes + c] = 1;
  }
  return nllLoss(logsoftmax(logits, 1), oneHot);
}

/**
 * A mean over no examples is 0/0: PyTorch returns NaN, here it is an error
 * (nothing returns NaN where a clear error is possible).
 */
function nonEmptyBatch(predictions: Tensor, op: string): void {
  if (predictions.shape[0] === 0) {
    throw new IndexingError(`${op}: the batch is empty (shape [${predictions.shape.join(", ")}]); a mean over no examples is undefined`);
  }
}

function sameShape(a: Tensor, b: Tensor, op: string): void {
  if (a.dims !== b.dims || a.shape.some((s, i) => s !== b.shape[i])) {
    throw new IndexingError(`${op}: predictions [${a.shape.join(", ")}] and targets [${b.shape.join(", ")}] must have the same shape`);
  }
}
