/**
 * Task 4.4: max along a dimension (differentiable), argmax as a one-hot
 * tensor, and softmax / log-softmax.
 */
import type { Context } from "@minitorch/autodiff";
import { CompositeFunction, IndexingError, TensorFunction, checkDim, type Tensor } from "@minitorch/tensor-core";

/**
 * Checks `dim` for a reduction that has no value over nothing (max, argmax):
 * an empty dimension is an error, as in PyTorch, not −Infinity.
 */
function checkReducible(input: Tensor, dim: number, op: string): void {
  checkDim(input, dim, op);
  if (input.shape[dim] === 0) {
    throw new IndexingError(`${op}: dim ${dim} of shape [${input.shape.join(", ")}] is empty; the ${op} of no elements is undefined`);
  }
}

/**
 * 1 at the largest entries along `dim`, 0 elsewhere (same shape as input).
 * Every entry tied for the maximum gets a 1. A NaN is the maximum of any row
 * holding one (as in PyTorch), so such a row marks its NaNs.
 */
export function argmax(input: Tensor, dim: number): Tensor {
  checkReducible(input, dim, "argmax");
  // BEGIN ASSIGN4.4
  const f = input.backend;
  return f.sameValueZip(f.maxReduce(input, dim), input);
  // END ASSIGN4.4
}

/**
 * Maximum along `dim`, kept with size 1. The gradient flows to the entries
 * that attain the maximum; when several tie, each of them receives the full
 * gradient (as in minitorch, which routes through argmax). A NaN anywhere
 * along `dim` makes the maximum NaN (as in PyTorch), and the gradient flows
 * to the NaNs.
 */
export class Max extends TensorFunction {
  static override forward(ctx: Context, input: Tensor, dim: number): Tensor {
    checkReducible(input, dim, "max");
    // BEGIN ASSIGN4.4
    const out = input.backend.maxReduce(input, dim);
    ctx.saveForBackward(input, out);
    return out;
    // END ASSIGN4.4
  }

  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN4.4
    const [input, out] = ctx.saved<[Tensor, Tensor]>();
    const f = grad.backend;
    return f.mulZip(f.sameValueZip(out, input), grad);
    // END ASSIGN4.4
  }
}

/** Maximum of `input` along `dim` (kept with size 1), differentiable. */
export function max(input: Tensor, dim: number): Tensor {
  return Max.apply(input, dim);
}

/**
 * Softmax along `dim`: exp(xᵢ) / Σⱼ exp(xⱼ), computed after subtracting the
 * maximum (softmax does not change under a shift), so large inputs do not
 * overflow.
 */
export function softmax(input: Tensor, dim: number): Tensor {
  checkDim(input, dim, "softmax");
  return Softmax.apply(input, dim);
}

/** Softmax as one graph node (so an exporter sees a softmax), computed by its composition. */
export class Softmax extends CompositeFunction {
  static override compose(input: Tensor, dim: number): Tensor {
    return softmaxOf(input, dim);
  }
}

/** Task 4.4's softmax along `dim`. */
function softmaxOf(input: Tensor, dim: number): Tensor {
  // BEGIN ASSIGN4.4
  const shifted = input.sub(input.backend.maxReduce(input.detach(), dim));
  const e = shifted.exp();
  return e.div(e.sum(dim));
  // END ASSIGN4.4
}

/**
 * Log-softmax along `dim`: xᵢ − log Σⱼ exp(xⱼ), with the log-sum-exp trick
 * (m + log Σ exp(x − m), m the maximum), so inputs around ±1000 give finite
 * values and gradients.
 */
export function logsoftmax(input: Tensor, dim: number): Tensor {
  checkDim(input, dim, "logsoftmax");
  return LogSoftmax.apply(input, dim);
}

/** Log-softmax as one graph node, computed by its composition. */
export class LogSoftmax extends CompositeFunction {
  static override compose(input: Tensor, dim: number): Tensor {
    return logsoftmaxOf(input, dim);
  }
}

/** Task 4.4's log-softmax along `dim`. */
function logsoftmaxOf(input: Tensor, dim: number): Tensor {
  // BEGIN ASSIGN4.4
  const shifted = input.sub(input.backend.maxReduce(input.detach(), dim));
  return shifted.sub(shifted.exp().sum(dim).log());
  // END ASSIGN4.4
}
