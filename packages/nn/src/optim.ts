/**
 * Optimizers: plain SGD as the course has it, with PyTorch's momentum and
 * weight decay, and (in adam.ts) Adam. Both update the parameters' host
 * storage in place, so every backend gets them.
 */
import { Scalar } from "@minitorch/autodiff";
import { Tensor, type Storage } from "@minitorch/tensor-core";
import type { Parameter } from "./module.js";

/**
 * Throws unless every key of `options` is one of `known` (a misspelt
 * option must not be silently ignored), naming the optimizer, the key and
 * the known ones.
 */
export function checkOptions(owner: string, options: object, known: readonly string[]): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${options === null ? "null" : Array.isArray(options) ? "an array" : typeof options}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new TypeError(`${owner}: unknown option "${key}" (known: ${known.join(", ")})`);
  }
}

/** Throws a RangeError unless `value` is a finite number in the range `ok` accepts, described by `range`. */
export function checkNumber(owner: string, name: string, value: unknown, ok: (x: number) => boolean, range: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    throw new RangeError(`${owner}: ${name} must be ${range}, got ${String(value)}`);
  }
  return value;
}

/**
 * What optimizers share: the parameter list, `zeroGrad`, and a `step` that
 * hands each parameter's values and gradient (flat, row-major) to
 * `update`. Tensors are updated in place (views and other holders keep
 * pointing at them); a scalar gets a fresh value. As in minitorch, a step
 * consumes the gradients: they are cleared after use, so a loop needs no
 * `zeroGrad()` (calling it is harmless).
 */
export abstract class Optimizer {
  readonly parameters: Parameter<unknown>[];

  constructor(parameters: Iterable<Parameter<unknown>>) {
    this.parameters = [...parameters];
  }

  /** Forget every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters) {
      if (p.value instanceof Tensor) p.value.zeroGrad_();
      else if (p.value instanceof Scalar) p.value.derivative = null;
    }
  }

  /** Move every parameter that has a gradient one step. */
  step(): void {
    for (const p of this.parameters) {
      const v = p.value;
      if (v instanceof Tensor) {
        if (v.grad === null) continue;
        if (!v.isContiguous()) throw new Error(`${this.constructor.name}: parameter of shape [${v.shape.join(", ")}] is not contiguous`);
        if (v.grad.size !== v.size) {
          throw new Error(`${this.constructor.name}: gradient of shape [${v.grad.shape.join(", ")}] for parameter of shape [${v.shape.join(", ")}]`);
        }
        const grad = v.grad.isContiguous() ? v.grad.storage.subarray(0, v.size) : v.grad.toFloat64Array();
        this.update(p, v.storage.subarray(0, v.size), grad);
        v.zeroGrad_();
      } else if (v instanceof Scalar) {
        if (v.derivative === null) continue;
        const values = Float64Array.of(v.data);
        this.update(p, values, Float64Array.of(v.derivative));
        p.update(new Scalar(values[0]!));
      }
    }
  }

  /** Updates `values` (the parameter's, in place) from `grad`; state may be kept per parameter. */
  protected abstract update(p: Parameter<unknown>, values: Storage, grad: Storage): void;
}

/** SGD's options, as PyTorch's torch.optim.SGD takes them. */
export interface SGDOptions {
  /** Momentum factor (default 0: none). */
  momentum?: number;
  /** L2 penalty added to the gradient: g + weightDecay · value (default 0). */
  weightDecay?: number;
  /** Dampening of the momentum's new gradient (default 0). */
  dampening?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
}

/**
 * Stochastic gradient descent, with PyTorch's momentum and weight decay:
 * g ← grad + weightDecay · value; with momentum, buf ← g on the first step,
 * then buf ← momentum · buf + (1 − dampening) · g, and g ← buf (Nesterov:
 * g + momentum · buf); value ← value − lr · g. With no options it is the
 * course's plain SGD.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly weightDecay: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  private readonly buffers = new Map<Parameter<unknown>, Float64Array>();

  constructor(
    parameters: Iterable<Parameter<unknown>>,
    public lr = 1.0,
    options: SGDOptions = {},
  ) {
    super(parameters);
    checkNumber("SGD", "lr", lr, (x) => x > 0, "a positive number");
    checkOptions("SGD", options, ["momentum", "weightDecay", "dampening", "nesterov"]);
    this.momentum = checkNumber("SGD", "momentum", options.momentum ?? 0, (x) => x >= 0, "a number ≥ 0");
    this.weightDecay = checkNumber("SGD", "weightDecay", options.weightDecay ?? 0, (x) => x >= 0, "a number ≥ 0");
    this.dampening = checkNumber("SGD", "dampening", options.dampening ?? 0, (x) => x >= 0 && x <= 1, "a number in [0, 1]");
    const nesterov = options.nesterov ?? false;
    if (typeof nesterov !== "boolean") throw new TypeError(`SGD: nesterov must be true or false, got ${String(nesterov)}`);
    if (nesterov && (this.momentum === 0 || this.dampening !== 0)) {
      throw new RangeError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${this.momentum} and dampening ${this.dampening}`);
    }
    this.nesterov = nesterov;
  }

  protected update(p: Parameter<unknown>, values: Storage, grad: Storage): void {
    const { lr, momentum, weightDecay, dampening, nesterov } = this;
    let buf = this.buffers.get(p);
    const first = buf === undefined;
    if (momentum !== 0 && buf === undefined) {
      buf = new Float64Array(values.length);
      this.buffers.set(p, buf);
    }
    for (let i = 0; i < values.length; i++) {
      let g = grad[i]! + weightDecay * values[i]!;
      if (buf !== undefined) {
        buf[i] = first ? g : momentum * buf[i]! + (1 - dampening) * g;
        g = nesterov ? g + momentum * buf[i]! : buf[i]!;
      }
      values[i] = values[i]! - lr * g;
    }
  }

  /** What a checkpoint needs to restore this optimizer's learning rate. */
  state(): { lr: number } {
    return { lr: this.lr };
  }

  loadState(state: { lr: number }): void {
    if (!(state.lr > 0) || !Number.isFinite(state.lr)) throw new RangeError(`SGD.loadState: lr must be a positive number, got ${state.lr}`);
    this.lr = state.lr;
  }
}
