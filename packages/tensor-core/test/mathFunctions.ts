/**
 * minitorch's MathTest / MathTestVariable list (minitorch/testing.py) for
 * tensors: each function with its plain-number version, which the tensor
 * result must match elementwise, and where needed the inputs at which its
 * gradient can be checked by central differences (away from kinks and poles).
 */
import { operators } from "@minitorch/autodiff";
import type { Tensor } from "@minitorch/tensor-core";

export interface OneArgFunction {
  name: string;
  base: (a: number) => number;
  fn: (a: Tensor) => Tensor;
  smooth?: (a: number) => boolean;
}

export interface TwoArgFunction {
  name: string;
  base: (a: number, b: number) => number;
  fn: (a: Tensor, b: Tensor) => Tensor;
  smooth?: (a: number, b: number) => boolean;
}

export interface ReduceFunction {
  name: string;
  /** The value of one output element from the input elements it reduces. */
  base: (values: number[]) => number;
  fn: (a: Tensor) => Tensor;
  /** The reduced dimension; undefined reduces everything to shape [1]. */
  dim: number | undefined;
}

/** True when `x` is at least `margin` from `point`. */
export const awayFrom = (x: number, point: number, margin = 0.01): boolean => Math.abs(x - point) >= margin;

const { log, exp, sigmoid, relu, inv, lt, eq } = operators;

export const oneArgFunctions: OneArgFunction[] = [
  { name: "neg", base: (a) => -a, fn: (a) => a.neg() },
  { name: "addConstant", base: (a) => 5 + a, fn: (a) => a.add(5) },
  { name: "square", base: (a) => a * a, fn: (a) => a.mul(a) },
  { name: "cube", base: (a) => a * a * a, fn: (a) => a.mul(a).mul(a) },
  { name: "subConstant", base: (a) => a - 5, fn: (a) => a.sub(5) },
  { name: "multConstant", base: (a) => 5 * a, fn: (a) => a.mul(5) },
  { name: "div", base: (a) => a / 5, fn: (a) => a.div(5) },
  { name: "inv", base: (a) => inv(a + 3.5), fn: (a) => a.add(3.5).inv(), smooth: (a) => awayFrom(a, -3.5, 0.5) },
  { name: "sig", base: (a) => sigmoid(a), fn: (a) => a.sigmoid() },
  { name: "log", base: (a) => log(a + 100000), fn: (a) => a.add(100000).log() },
  { name: "relu", base: (a) => relu(a + 5.5), fn: (a) => a.add(5.5).relu(), smooth: (a) => awayFrom(a, -5.5) },
  { name: "exp", base: (a) => exp(a - 200), fn: (a) => a.sub(200).exp() },
  {
    name: "explog",
    base: (a) => log(a + 100000) + exp(a - 200),
    fn: (a) => a.add(100000).log().add(a.sub(200).exp()),
  },
  {
    name: "complex",
    base: (a) => log(sigmoid(relu(relu(a * 10 + 7) * 6 + 5) * 10)) / 50,
    fn: (a) => a.mul(10).add(7).relu().mul(6).add(5).relu().mul(10).sigmoid().log().div(50),
    smooth: (a) => awayFrom(a, -0.7),
  },
];

export const twoArgFunctions: TwoArgFunction[] = [
  { name: "add2", base: (a, b) => a + b, fn: (a, b) => a.add(b) },
  { name: "mul2", base: (a, b) => a * b, fn: (a, b) => a.mul(b) },
  { name: "div2", base: (a, b) => a / (b + 5.5), fn: (a, b) => a.div(b.add(5.5)), smooth: (_a, b) => awayFrom(b, -5.5, 0.5) },
  { name: "gt2", base: (a, b) => lt(b, a + 1.2), fn: (a, b) => a.add(1.2).gt(b), smooth: (a, b) => awayFrom(b, a + 1.2) },
  { name: "lt2", base: (a, b) => lt(a + 1.2, b), fn: (a, b) => a.add(1.2).lt(b), smooth: (a, b) => awayFrom(b, a + 1.2) },
  { name: "eq2", base: (a, b) => eq(a, b + 5.5), fn: (a, b) => a.eq(b.add(5.5)), smooth: (a, b) => awayFrom(a, b + 5.5) },
];

const total = (values: number[]): number => values.reduce((s, v) => s + v, 0);

export const reduceFunctions: ReduceFunction[] = [
  { name: "sum_red", base: total, fn: (a) => a.sum(0), dim: 0 },
  { name: "mean_red", base: (v) => total(v) / v.length, fn: (a) => a.mean(0), dim: 0 },
  { name: "mean_full_red", base: (v) => total(v) / v.length, fn: (a) => a.mean(), dim: undefined },
];
