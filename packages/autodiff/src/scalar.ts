/**
 * Module 1: `Scalar`, a number that remembers how it was computed so that
 * derivatives can flow back through it.
 */
import { Context, backpropagate, centralDifference, newVariableId, type Variable } from "./autodiff.js";
import {
  Add,
  EQ,
  Exp,
  Inv,
  LT,
  Log,
  Mul,
  Neg,
  ReLU,
  Sigmoid,
  type ScalarFunctionClass,
} from "./scalarFunctions.js";

/** A scalar or a plain number, wherever a scalar operand is accepted. */
export type ScalarLike = Scalar | number;

/** How a scalar was made: the function, its context and its inputs. */
export class ScalarHistory {
  constructor(
    readonly lastFn: ScalarFunctionClass | null = null,
    readonly ctx: Context | null = null,
    readonly inputs: readonly Scalar[] = [],
  ) {}
}

/**
 * A number in the computation graph. A scalar made by the user is a leaf
 * and collects a `derivative` when `backward()` runs through it; a scalar
 * made by an operation records its `history`.
 */
export class Scalar implements Variable<number> {
  readonly uniqueId: number;
  derivative: number | null = null;

  /**
   * @param data the value.
   * @param history how it was computed; the default (empty) history makes a
   *   leaf, `null` makes a constant that takes no part in differentiation.
   */
  constructor(
    readonly data: number,
    readonly history: ScalarHistory | null = new ScalarHistory(),
    readonly name?: string,
  ) {
    if (typeof data !== "number") {
      throw new TypeError(`Scalar: value must be a number, got ${typeof data}`);
    }
    this.uniqueId = newVariableId();
  }

  toString(): string {
    return `Scalar(${this.data})`;
  }

  add(b: ScalarLike): Scalar {
    return Add.apply(this, b);
  }
  sub(b: ScalarLike): Scalar {
    return Add.apply(this, Neg.apply(b));
  }
  mul(b: ScalarLike): Scalar {
    return Mul.apply(this, b);
  }
  div(b: ScalarLike): Scalar {
    return Mul.apply(this, Inv.apply(b));
  }
  /** b / this */
  rdiv(b: ScalarLike): Scalar {
    return Mul.apply(b, Inv.apply(this));
  }
  neg(): Scalar {
    return Neg.apply(this);
  }
  lt(b: ScalarLike): Scalar {
    return LT.apply(this, b);
  }
  gt(b: ScalarLike): Scalar {
    return LT.apply(b, this);
  }
  eq(b: ScalarLike): Scalar {
    return EQ.apply(this, b);
  }
  log(): Scalar {
    return Log.apply(this);
  }
  exp(): Scalar {
    return Exp.apply(this);
  }
  sigmoid(): Scalar {
    return Sigmoid.apply(this);
  }
  relu(): Scalar {
    return ReLU.apply(this);
  }

  // Variable protocol.

  isLeaf(): boolean {
    return this.history !== null && this.history.lastFn === null;
  }

  isConstant(): boolean {
    return this.history === null;
  }

  get parents(): readonly Scalar[] {
    if (this.history === null) throw new Error("Scalar.parents: a constant has no history");
    return this.history.inputs;
  }

  accumulateDerivative(d: number): void {
    if (!this.isLeaf()) {
      throw new Error("Scalar.accumulateDerivative: only leaf variables have derivatives");
    }
    this.derivative = (this.derivative ?? 0) + d;
  }

  chainRule(dOutput: number): Array<readonly [Scalar, number]> {
    const h = this.history;
    if (h === null || h.lastFn === null || h.ctx === null) {
      throw new Error("Scalar.chainRule: needs a scalar made by a ScalarFunction");
    }
    // BEGIN ASSIGN1.3
    const grads = h.lastFn.backwardAll(h.ctx, dOutput);
    const out: Array<readonly [Scalar, number]> = [];
    h.inputs.forEach((input, i) => {
      if (!input.isConstant()) out.push([input, grads[i]!] as const);
    });
    return out;
    // END ASSIGN1.3
  }

  /** Backpropagate from this scalar; `dOutput` defaults to 1. */
  backward(dOutput = 1.0): void {
    backpropagate<number>(this, dOutput, (a, b) => a + b);
  }
}

/** Wrap a number as a leaf scalar (a scalar passes through unchanged). */
export function toScalar(x: ScalarLike): Scalar {
  return x instanceof Scalar ? x : new Scalar(x);
}

/**
 * Checks the derivatives of `f` at `scalars` against central differences,
 * throwing an Error that names the argument on a mismatch.
 */
export function derivativeCheck(f: (...xs: Scalar[]) => Scalar, ...scalars: Scalar[]): void {
  const out = f(...scalars);
  out.backward();
  const values = scalars.map((s) => s.data);
  scalars.forEach((x, i) => {
    const check = centralDifference((...vs) => f(...vs.map((v) => new Scalar(v))).data, values, i);
    const got = x.derivative ?? 0;
    if (!closeEnough(got, check)) {
      throw new Error(
        `derivativeCheck: derivative of argument ${i} at [${values.join(", ")}] is ${got}, ` +
          `central difference gives ${check}`,
      );
    }
  });
}

function closeEnough(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-2 * (1 + Math.abs(b));
}
