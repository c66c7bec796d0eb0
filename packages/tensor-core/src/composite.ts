/**
 * Composite functions: an op written as a composition of other tensor
 * functions (avgpool2d from tile and mean, softmax from exp, sum and div)
 * that is recorded as ONE node of the graph, so what the op is travels with
 * the graph — an exporter reads "AvgPool2d" from the node, not from the
 * shape of the code that computed it — and every backend records the same
 * graph whichever composition its registered kernel uses.
 *
 * The forward pass runs the composition on fresh leaves that stand for the
 * inputs and keeps the small graph it records inside the node's Context;
 * the backward pass backpropagates through that inner graph. Nothing is
 * computed twice, and when no input needs a gradient nothing is recorded.
 */
import { backpropagate, type Context } from "@minitorch/autodiff";
import { Tensor } from "./tensor.js";
import { TensorFunction, type FunctionArg } from "./tensorFunctions.js";

/** What a composite node keeps: the inner output, the leaves standing for its tensor inputs, and its other arguments. */
interface Inner {
  out: Tensor;
  leaves: Tensor[];
  args: FunctionArg[];
}

/** Base of the composite functions: subclasses define `compose`. */
export abstract class CompositeFunction extends TensorFunction {
  /** The composition, on tensors that may record a graph. */
  static compose(..._args: FunctionArg[]): Tensor {
    throw new Error(`${this.name}.compose must be defined by the subclass`);
  }

  /** The arguments a node was applied to (tensors as the leaves that stood for them), for exporters. */
  static argsOf(ctx: Context): readonly FunctionArg[] {
    return ctx.saved<[Inner]>()[0].args;
  }

  static override forward(this: typeof CompositeFunction, ctx: Context, ...args: FunctionArg[]): Tensor {
    if (ctx.noGrad) return this.compose(...args);
    let k = 0;
    const leaves: Tensor[] = [];
    const inner = args.map((a) => {
      if (!(a instanceof Tensor)) return a;
      const leaf = a.detach().requiresGrad_(ctx.needsInputGrad[k++] === true);
      leaves.push(leaf);
      return leaf;
    });
    const out = this.compose(...inner);
    ctx.saveForBackward({ out, leaves, args: inner } satisfies Inner);
    return out;
  }

  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [{ out, leaves }] = ctx.saved<[Inner]>();
    for (const leaf of leaves) leaf.zeroGrad_();
    if (out.history !== null && out.history.lastFn !== null) backpropagate<Tensor>(out, grad, (a, b) => out.backend.addZip(a, b));
    else if (out.history !== null) out.accumulateDerivative(grad);
    return leaves.map((leaf) => leaf.grad ?? leaf.zeros());
  }
}
