/**
 * Module 1: the differentiable functions of scalars. Each is a class whose
 * static `forward` computes the value and whose static `backward`, right
 * below it, returns the derivative owed to each input.
 */
import { isGradEnabled } from "./gradMode.js";
import { Context } from "./autodiff.js";
import * as operators from "./operators.js";
import type { Scalar, ScalarLike } from "./scalar.js";
// Imported lazily by `apply` to break the module cycle scalar ⇄ scalarFunctions.
import * as scalarModule from "./scalar.js";

/** The static side of a ScalarFunction subclass. */
export interface ScalarFunctionClass {
  readonly name: string;
  forward(ctx: Context, ...inputs: number[]): number;
  backward(ctx: Context, dOutput: number): number | readonly number[];
  backwardAll(ctx: Context, dOutput: number): readonly number[];
  apply(...vals: ScalarLike[]): Scalar;
}

/** Base of the scalar functions: wraps forward/backward into graph building. */
export abstract class ScalarFunction {
  static forward(_ctx: Context, ..._inputs: number[]): number {
    throw new Error(`${this.name}.forward must be defined by the subclass`);
  }

  static backward(_ctx: Context, _dOutput: number): number | readonly number[] {
    throw new Error(`${this.name}.backward must be defined by the subclass`);
  }

  /** `backward` with its result always as a list, one entry per input. */
  static backwardAll(this: ScalarFunctionClass, ctx: Context, dOutput: number): readonly number[] {
    const d = this.backward(ctx, dOutput);
    return typeof d === "number" ? [d] : d;
  }

  /** Runs `forward` on the values and records the history needed by `backward`. */
  static apply(this: ScalarFunctionClass, ...vals: ScalarLike[]): Scalar {
    const { Scalar, ScalarHistory } = scalarModule;
    const scalars = vals.map((v) => (v instanceof Scalar ? v : new Scalar(v)));
    const needGrad = isGradEnabled() && scalars.some((s) => !s.isConstant());
    const ctx = new Context(!needGrad);
    const c = this.forward(ctx, ...scalars.map((s) => s.data));
    if (typeof c !== "number") {
      throw new TypeError(`${this.name}.forward must return a number, got ${typeof c}`);
    }
    return new Scalar(c, needGrad ? new ScalarHistory(this, ctx, scalars) : null);
  }
}

export class Add extends ScalarFunction {
  static override forward(_ctx: Context, a: number, b: number): number {
    // BEGIN ASSIGN1.2
    return operators.add(a, b);
    // END ASSIGN1.2
  }
  static override backward(_ctx: Context, d: number): readonly number[] {
    // BEGIN ASSIGN1.4
    return [d, d];
    // END ASSIGN1.4
  }
}

export class Log extends ScalarFunction {
  static override forward(ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    ctx.saveForBackward(a);
    return operators.log(a);
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    const [a] = ctx.saved<[number]>();
    return operators.logBack(a, d);
    // END ASSIGN1.4
  }
}

export class Mul extends ScalarFunction {
  static override forward(ctx: Context, a: number, b: number): number {
    // BEGIN ASSIGN1.2
    ctx.saveForBackward(a, b);
    return operators.mul(a, b);
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): readonly number[] {
    // BEGIN ASSIGN1.4
    const [a, b] = ctx.saved<[number, number]>();
    return [b * d, a * d];
    // END ASSIGN1.4
  }
}

export class Inv extends ScalarFunction {
  static override forward(ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    ctx.saveForBackward(a);
    return operators.inv(a);
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    const [a] = ctx.saved<[number]>();
    return operators.invBack(a, d);
    // END ASSIGN1.4
  }
}

export class Neg extends ScalarFunction {
  static override forward(_ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    return operators.neg(a);
    // END ASSIGN1.2
  }
  static override backward(_ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    return operators.neg(d);
    // END ASSIGN1.4
  }
}

export class Sigmoid extends ScalarFunction {
  static override forward(ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    const s = operators.sigmoid(a);
    ctx.saveForBackward(s);
    return s;
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    const [s] = ctx.saved<[number]>();
    return d * s * (1 - s);
    // END ASSIGN1.4
  }
}

export class ReLU extends ScalarFunction {
  static override forward(ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    ctx.saveForBackward(a);
    return operators.relu(a);
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    const [a] = ctx.saved<[number]>();
    return operators.reluBack(a, d);
    // END ASSIGN1.4
  }
}

export class Exp extends ScalarFunction {
  static override forward(ctx: Context, a: number): number {
    // BEGIN ASSIGN1.2
    const e = operators.exp(a);
    ctx.saveForBackward(e);
    return e;
    // END ASSIGN1.2
  }
  static override backward(ctx: Context, d: number): number {
    // BEGIN ASSIGN1.4
    const [e] = ctx.saved<[number]>();
    return d * e;
    // END ASSIGN1.4
  }
}

/** a < b as 1 or 0; its derivative is 0 everywhere it exists. */
export class LT extends ScalarFunction {
  static override forward(_ctx: Context, a: number, b: number): number {
    // BEGIN ASSIGN1.2
    return operators.lt(a, b);
    // END ASSIGN1.2
  }
  static override backward(_ctx: Context, _d: number): readonly number[] {
    // BEGIN ASSIGN1.4
    return [0, 0];
    // END ASSIGN1.4
  }
}

/** a == b as 1 or 0; its derivative is 0 everywhere it exists. */
export class EQ extends ScalarFunction {
  static override forward(_ctx: Context, a: number, b: number): number {
    // BEGIN ASSIGN1.2
    return operators.eq(a, b);
    // END ASSIGN1.2
  }
  static override backward(_ctx: Context, _d: number): readonly number[] {
    // BEGIN ASSIGN1.4
    return [0, 0];
    // END ASSIGN1.4
  }
}
