/**
 * Module 2: the differentiable tensor functions. Each class has its
 * `forward` and, right below it, its `backward`, which returns one gradient
 * per tensor input (in the input's broadcast shape; `Tensor.expand` sums it
 * back down). Forward passes see detached inputs, so nothing they do is
 * recorded; state crosses to the backward pass only through the Context.
 */
import { Context, isGradEnabled } from "@minitorch/autodiff";
import { IndexingError, shapeSize, type Dtype } from "./tensorData.js";
import type { TensorBackend } from "./tensorOps.js";
// A value import of a module that imports this one: used only inside functions.
import { History, Tensor, sameBackend } from "./tensor.js";

/** Arguments of a tensor function: tensors take part in differentiation, the rest are parameters. */
export type FunctionArg = Tensor | number | readonly number[] | TensorBackend | Dtype | undefined;

/** The static side of a TensorFunction subclass. */
export interface TensorFunctionClass {
  readonly name: string;
  /** The ONNX operator an elementwise Function is, when it declares one (see unaryOp). */
  readonly onnx?: string | undefined;
  forward(ctx: Context, ...inputs: FunctionArg[]): Tensor;
  backward(ctx: Context, grad: Tensor): Tensor | readonly Tensor[];
  backwardAll(ctx: Context, grad: Tensor): readonly Tensor[];
  apply(...vals: FunctionArg[]): Tensor;
}

/** Base of the tensor functions: wraps forward/backward into graph building. */
export abstract class TensorFunction {
  static forward(_ctx: Context, ..._inputs: FunctionArg[]): Tensor {
    throw new Error(`${this.name}.forward must be defined by the subclass`);
  }

  static backward(_ctx: Context, _grad: Tensor): Tensor | readonly Tensor[] {
    throw new Error(`${this.name}.backward must be defined by the subclass`);
  }

  /** `backward` with its result always a list, one gradient per tensor input. */
  static backwardAll(this: TensorFunctionClass, ctx: Context, grad: Tensor): readonly Tensor[] {
    const g = this.backward(ctx, grad);
    return g instanceof Tensor ? [g] : g;
  }

  /** Runs `forward` on detached inputs and records history when any input requires a gradient. */
  static apply(this: TensorFunctionClass, ...vals: FunctionArg[]): Tensor {
    const inputs: Tensor[] = [];
    let needGrad = false;
    const recording = isGradEnabled();
    const raw = vals.map((v) => {
      if (!(v instanceof Tensor)) return v;
      inputs.push(v);
      if (recording && v.requiresGrad()) needGrad = true;
      return v.detach();
    });
    sameBackend(this.name, inputs);
    const ctx = new Context(!needGrad);
    ctx.needsInputGrad = inputs.map((t) => recording && t.requiresGrad());
    const c = this.forward(ctx, ...raw);
    return new Tensor(c.data, needGrad ? new History(this, ctx, inputs) : null, c.backend);
  }
}

export class Neg extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    return a.backend.negMap(a);
    // END ASSIGN2.3
  }
  static override backward(_ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    return grad.backend.negMap(grad);
    // END ASSIGN2.4
  }
}

export class Inv extends TensorFunction {
  static override forward(ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a);
    return a.backend.invMap(a);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [a] = ctx.saved<[Tensor]>();
    return grad.backend.invBackZip(a, grad);
    // END ASSIGN2.4
  }
}

export class Add extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    return a.backend.addZip(a, b);
    // END ASSIGN2.3
  }
  static override backward(_ctx: Context, grad: Tensor): readonly Tensor[] {
    // BEGIN ASSIGN2.4
    return [grad, grad];
    // END ASSIGN2.4
  }
}

export class Mul extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a, b);
    return a.backend.mulZip(a, b);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    // BEGIN ASSIGN2.4
    const [a, b] = ctx.saved<[Tensor, Tensor]>();
    return [grad.backend.mulZip(grad, b), grad.backend.mulZip(grad, a)];
    // END ASSIGN2.4
  }
}

export class Sigmoid extends TensorFunction {
  static override forward(ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a);
    return a.backend.sigmoidMap(a);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [a] = ctx.saved<[Tensor]>();
    return grad.backend.sigmoidBackZip(a, grad);
    // END ASSIGN2.4
  }
}

export class ReLU extends TensorFunction {
  static override forward(ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a);
    return a.backend.reluMap(a);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [a] = ctx.saved<[Tensor]>();
    return grad.backend.reluBackZip(a, grad);
    // END ASSIGN2.4
  }
}

export class Log extends TensorFunction {
  static override forward(ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a);
    return a.backend.logMap(a);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [a] = ctx.saved<[Tensor]>();
    return grad.backend.logBackZip(a, grad);
    // END ASSIGN2.4
  }
}

export class Exp extends TensorFunction {
  static override forward(ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    const out = a.backend.expMap(a);
    ctx.saveForBackward(out);
    return out;
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [out] = ctx.saved<[Tensor]>();
    return grad.backend.mulZip(grad, out);
    // END ASSIGN2.4
  }
}

/** Sum over `dim` (kept with size 1), or over all elements into shape [1]. */
export class Sum extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor, dim?: number): Tensor {
    // BEGIN ASSIGN2.3
    if (dim !== undefined) return a.backend.addReduce(a, dim);
    return a.backend.addReduce(flatten(a), 0);
    // END ASSIGN2.3
  }
  static override backward(_ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    return grad;
    // END ASSIGN2.4
  }
}

/**
 * Product over `dim` (or everything): for a 0/1 tensor, 1 exactly where all
 * elements are 1, as in minitorch. Not differentiable.
 */
export class All extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor, dim?: number): Tensor {
    if (dim !== undefined) return a.backend.mulReduce(a, dim);
    return a.backend.mulReduce(flatten(a), 0);
  }
  static override backward(_ctx: Context, grad: Tensor): Tensor {
    return grad.zeros(grad.shape);
  }
}

export class LT extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a.shape, b.shape);
    return a.backend.ltZip(a, b);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    // BEGIN ASSIGN2.4
    const [aShape, bShape] = ctx.saved<[number[], number[]]>();
    return [grad.zeros(aShape), grad.zeros(bShape)];
    // END ASSIGN2.4
  }
}

export class EQ extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a.shape, b.shape);
    return a.backend.eqZip(a, b);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    // BEGIN ASSIGN2.4
    const [aShape, bShape] = ctx.saved<[number[], number[]]>();
    return [grad.zeros(aShape), grad.zeros(bShape)];
    // END ASSIGN2.4
  }
}

/** 1 where |a − b| < 1e-2; not differentiable. */
export class IsClose extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    ctx.saveForBackward(a.shape, b.shape);
    return a.backend.isCloseZip(a, b);
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    const [aShape, bShape] = ctx.saved<[number[], number[]]>();
    return [grad.zeros(aShape), grad.zeros(bShape)];
  }
}

export class Permute extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, order: readonly number[]): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(order);
    return new Tensor(a.data.permute(...order), null, a.backend);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [order] = ctx.saved<[number[]]>();
    const inverse = new Array<number>(order.length);
    order.forEach((o, i) => (inverse[o] = i));
    return new Tensor(grad.data.permute(...inverse), null, grad.backend);
    // END ASSIGN2.4
  }
}

/** The same storage with a new shape; one size may be −1 and is then inferred. */
export class View extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, shape: readonly number[]): Tensor {
    const target = resolveViewShape(a, shape);
    if (!a.isContiguous()) {
      throw new IndexingError(
        `view: tensor of shape [${a.shape.join(", ")}] with strides [${a.strides.join(", ")}] is not contiguous; call contiguous() first`,
      );
    }
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a.shape);
    return Tensor.fromStorage(a.storage, target, undefined, a.backend);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    const [original] = ctx.saved<[number[]]>();
    const g = grad.isContiguous() ? grad : grad.backend.idMap(grad);
    return Tensor.fromStorage(g.storage, original, undefined, grad.backend);
    // END ASSIGN2.4
  }
}

/** A contiguous version: the same data if already contiguous, else a row-major copy. */
export class Copy extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    return a.isContiguous() ? a : a.backend.idMap(a);
    // END ASSIGN2.3
  }
  static override backward(_ctx: Context, grad: Tensor): Tensor {
    // BEGIN ASSIGN2.4
    return grad;
    // END ASSIGN2.4
  }
}

/** Batched matrix product; gradients are products with the transposed other operand. */
export class MatMul extends TensorFunction {
  static override forward(ctx: Context, a: Tensor, b: Tensor): Tensor {
    // BEGIN ASSIGN2.3
    ctx.saveForBackward(a, b);
    return a.backend.matrixMultiply(a, b);
    // END ASSIGN2.3
  }
  static override backward(ctx: Context, grad: Tensor): readonly Tensor[] {
    // BEGIN ASSIGN2.4
    const [a, b] = ctx.saved<[Tensor, Tensor]>();
    const f = grad.backend;
    return [f.matrixMultiply(grad, transpose(b)), f.matrixMultiply(transpose(a), grad)];
    // END ASSIGN2.4
  }
}

/** The last two dimensions swapped, as a view. */
export function transpose(a: Tensor): Tensor {
  const order = a.shape.map((_, i) => i);
  order[a.dims - 2] = a.dims - 1;
  order[a.dims - 1] = a.dims - 2;
  return new Tensor(a.data.permute(...order), null, a.backend);
}

/** All elements as a 1-D tensor (a view when contiguous, else a copy). */
function flatten(a: Tensor): Tensor {
  const c = a.isContiguous() ? a : a.backend.idMap(a);
  return Tensor.fromStorage(c.storage, [a.size], undefined, a.backend);
}

function resolveViewShape(a: Tensor, shape: readonly number[]): number[] {
  const out = shape.slice();
  const unknown = out.indexOf(-1);
  if (out.some((s, i) => !Number.isInteger(s) || s < -1 || (s === -1 && i !== unknown))) {
    throw new IndexingError(`view: shape must be non-negative integers with at most one -1, got [${shape.join(", ")}]`);
  }
  if (unknown >= 0) {
    const known = shapeSize(out.filter((s) => s !== -1));
    if (known === 0 || a.size % known !== 0) {
      throw new IndexingError(`view: cannot view shape [${a.shape.join(", ")}] (${a.size} elements) as [${shape.join(", ")}]`);
    }
    out[unknown] = a.size / known;
  }
  if (shapeSize(out) !== a.size) {
    throw new IndexingError(
      `view: cannot view shape [${a.shape.join(", ")}] (${a.size} elements) as [${shape.join(", ")}] (${shapeSize(out)} elements)`,
    );
  }
  return out;
}
