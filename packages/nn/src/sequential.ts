/**
 * PyTorch's Sequential: modules applied one after another.
 */
import type { Tensor } from "@minitorch/tensor-core";
import { Module } from "./module.js";

/** A module that applies each of `modules` in turn to the output of the one before. */
export class Sequential extends Module {
  /** How many modules it chains. */
  readonly length: number;

  constructor(...modules: Module[]) {
    super();
    modules.forEach((m, i) => {
      if (!(m instanceof Module)) {
        throw new TypeError(`Sequential: argument ${i} must be a Module, got ${m === null ? "null" : typeof m}`);
      }
      // Named "0", "1", … as in PyTorch, so parameters read "0.weight"; integer keys keep their order.
      Object.defineProperty(this, String(i), { value: m, enumerable: true, writable: false, configurable: false });
    });
    this.length = modules.length;
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): Module {
    const i = index < 0 ? index + this.length : index;
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new RangeError(`Sequential.at: index must be an integer in [${-this.length}, ${this.length}), got ${index}`);
    }
    return (this as unknown as Record<string, Module>)[String(i)]!;
  }

  override forward(input: Tensor): Tensor {
    let x: unknown = input;
    for (const m of this.children()) x = m.forward(x);
    return x as Tensor;
  }
}
