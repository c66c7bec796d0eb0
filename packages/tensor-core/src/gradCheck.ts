/**
 * Module 2: checking tensor gradients against central differences.
 */
import { Random } from "@minitorch/autodiff";
import { Tensor } from "./tensor.js";

export interface GradCheckOptions {
  /** Perturbation for central differences. */
  epsilon?: number;
  /** Allowed error: |got − expected| ≤ tolerance · (1 + |expected|). */
  tolerance?: number;
  /** Tensors with at most this many elements are checked at every index; larger ones at `samples` random indices. */
  exhaustiveUpTo?: number;
  samples?: number;
  /**
   * Take the central difference of each output element on the host, then
   * sum, instead of differencing two sums: outputs that do not depend on the
   * perturbed input then cancel exactly rather than adding their rounding.
   * For a float32 backend (GpuBackend), where the rounding of sum(fn) would
   * swamp any usable step.
   */
  perOutput?: boolean;
}

/**
 * Checks the gradient of `sum(fn(...inputs))` with respect to every input
 * against central differences. Each input is made a leaf that requires a
 * gradient. Throws an Error naming the input, the index and both values on
 * a mismatch. The default step (1e-6) is for float64 inputs; a float32
 * input needs an `epsilon` its elements can hold (e.g. 1/128 on inputs
 * that are multiples of 1/16), given explicitly.
 */
export function gradCheck(fn: (...inputs: Tensor[]) => Tensor, ...inputs: Tensor[]): void;
/** As above, with options after the tensors: `gradCheck(f, a, b, { tolerance: 1e-3 })`. */
export function gradCheck(fn: (...inputs: Tensor[]) => Tensor, ...inputsAndOptions: Array<Tensor | GradCheckOptions>): void;
export function gradCheck(
  fn: (...inputs: Tensor[]) => Tensor,
  ...inputsAndOptions: Array<Tensor | GradCheckOptions>
): void {
  const inputs = inputsAndOptions.filter((x): x is Tensor => x instanceof Tensor);
  const options = (inputsAndOptions.find((x) => !(x instanceof Tensor)) ?? {}) as GradCheckOptions;
  const epsilon = options.epsilon ?? 1e-6;
  const tolerance = options.tolerance ?? 1e-2;
  const exhaustiveUpTo = options.exhaustiveUpTo ?? 64;
  const samples = options.samples ?? 8;
  inputs.forEach((x, i) => {
    if (x.dtype !== "float64" && options.epsilon === undefined) {
      throw new TypeError(
        `gradCheck: input ${i} is ${x.dtype}; the default step 1e-6 vanishes in its rounding — ` +
          `check float64 inputs (x.to("float64")) or pass an epsilon its elements can hold`,
      );
    }
  });
  for (const x of inputs) {
    x.requiresGrad_(true);
    x.zeroGrad_();
  }
  fn(...inputs).sum().backward();
  const random = new Random(10);
  const total = (): number => fn(...inputs.map((x) => x.detach())).sum().item();
  const outputs = (): Float64Array => fn(...inputs.map((x) => x.detach())).toFloat64Array();
  /** sum(fn) at the perturbed input minus sum(fn) at the other one. */
  const difference = (up: () => void, down: () => void): number => {
    if (options.perOutput !== true) {
      up();
      const a = total();
      down();
      return a - total();
    }
    up();
    const a = outputs();
    down();
    const b = outputs();
    let d = 0;
    for (let j = 0; j < a.length; j++) d += a[j]! - b[j]!;
    return d;
  };
  inputs.forEach((x, arg) => {
    const grad = x.grad;
    if (grad === null) throw new Error(`gradCheck: input ${arg} received no gradient`);
    const indices: number[][] = x.size <= exhaustiveUpTo ? Array.from(x.data.indices()) : [];
    for (let i = 0; i < samples && indices.length < Math.min(x.size, exhaustiveUpTo + samples); i++) {
      indices.push(x.data.sample(random));
    }
    for (const index of indices) {
      const pos = x.data.index(index);
      const original = x.storage[pos]!;
      const change = difference(
        () => (x.storage[pos] = original + epsilon),
        () => (x.storage[pos] = original - epsilon),
      );
      x.storage[pos] = original;
      const expected = change / (2 * epsilon);
      const got = grad.get(...index);
      if (!(Math.abs(got - expected) <= tolerance * (1 + Math.abs(expected)))) {
        throw new Error(
          `gradCheck: gradient of input ${arg} (shape [${x.shape.join(", ")}]) at [${index.join(", ")}] is ${got}, ` +
            `central difference gives ${expected}`,
        );
      }
    }
  });
}
