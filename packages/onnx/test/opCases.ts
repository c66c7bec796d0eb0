/**
 * The op cases: one tiny model per mapped op, its input, the ONNX operators
 * it must become and its output computed by hand.
 */
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { avgpool2d, dropout, logsoftmax, max, maxpool2d, softmax, tile } from "@minitorch/nn";
import { tensor, type NestedArray, type Tensor } from "@minitorch/tensor-core";
import { Fn } from "./helpers.js";

export interface OpCase {
  name: string;
  input: NestedArray;
  f: (x: Tensor, ...p: Tensor[]) => Tensor;
  params?: NestedArray[];
  /** The ONNX operators of the exported graph, in order. */
  ops: string[];
  /** The output, computed by hand. */
  expected: NestedArray;
}

const x23 = [
  [1, 2, 3],
  [4, 5, 6],
];
const mixed = [
  [-2, 0, 3],
  [1.5, -0.5, 0],
];

export const cases: OpCase[] = [
  { name: "add [2,3] + parameter [3] (broadcast)", input: x23, params: [[10, 20, 30]], f: (x, p) => x.add(p), ops: ["Add"], expected: [[11, 22, 33], [14, 25, 36]] },
  { name: "add a number: x + 2", input: x23, f: (x) => x.add(2), ops: ["Add"], expected: [[3, 4, 5], [6, 7, 8]] },
  { name: "sub: x − parameter [3]", input: x23, params: [[1, 2, 4]], f: (x, p) => x.sub(p), ops: ["Neg", "Add"], expected: [[0, 0, -1], [3, 3, 2]] },
  {
    name: "mul [2,2,1] · parameter [1,3] → [2,2,3] (both broadcast)",
    input: [[[1], [2]], [[3], [4]]],
    params: [[[1, 10, 100]]],
    f: (x, p) => x.mul(p),
    ops: ["Mul"],
    expected: [[[1, 10, 100], [2, 20, 200]], [[3, 30, 300], [4, 40, 400]]],
  },
  { name: "div by a number: x / 4", input: x23, f: (x) => x.div(4), ops: ["Mul"], expected: [[0.25, 0.5, 0.75], [1, 1.25, 1.5]] },
  { name: "div by a parameter: x / p", input: x23, params: [[1, 2, 4]], f: (x, p) => x.div(p), ops: ["Reciprocal", "Mul"], expected: [[1, 1, 0.75], [4, 2.5, 1.5]] },
  { name: "neg", input: mixed, f: (x) => x.neg(), ops: ["Neg"], expected: [[2, -0, -3], [-1.5, 0.5, -0]] },
  { name: "inv", input: x23, f: (x) => x.inv(), ops: ["Reciprocal"], expected: [[1, 0.5, 1 / 3], [0.25, 0.2, 1 / 6]] },
  { name: "exp", input: mixed, f: (x) => x.exp(), ops: ["Exp"], expected: [[Math.exp(-2), 1, Math.exp(3)], [Math.exp(1.5), Math.exp(-0.5), 1]] },
  { name: "log", input: x23, f: (x) => x.log(), ops: ["Log"], expected: [[0, Math.log(2), Math.log(3)], [Math.log(4), Math.log(5), Math.log(6)]] },
  {
    name: "sigmoid",
    input: mixed,
    f: (x) => x.sigmoid(),
    ops: ["Sigmoid"],
    expected: [[1 / (1 + Math.exp(2)), 0.5, 1 / (1 + Math.exp(-3))], [1 / (1 + Math.exp(-1.5)), 1 / (1 + Math.exp(0.5)), 0.5]],
  },
  { name: "relu", input: mixed, f: (x) => x.relu(), ops: ["Relu"], expected: [[0, 0, 3], [1.5, 0, 0]] },
  { name: "lt: x < parameter", input: mixed, params: [[0, 0, 0]], f: (x, p) => x.lt(p), ops: ["Less", "Cast"], expected: [[1, 0, 0], [0, 1, 0]] },
  { name: "gt: x > 0 (a number)", input: mixed, f: (x) => x.gt(0), ops: ["Less", "Cast"], expected: [[0, 0, 1], [1, 0, 0]] },
  { name: "eq: x == parameter", input: mixed, params: [[-2, 1, 0]], f: (x, p) => x.eq(p), ops: ["Equal", "Cast"], expected: [[1, 0, 0], [0, 0, 1]] },
  {
    name: "isClose: |x − p| < 0.01",
    input: mixed,
    params: [[-2.005, 0.02, 3]],
    f: (x, p) => x.isClose(p),
    ops: ["Sub", "Abs", "Less", "Cast"],
    expected: [[1, 0, 1], [0, 0, 0]],
  },
  { name: "sum(1) keeps the dim: [2,3] → [2,1]", input: x23, f: (x) => x.sum(1), ops: ["ReduceSum"], expected: [[6], [15]] },
  { name: "sum() of everything → [1]", input: x23, f: (x) => x.sum(), ops: ["Reshape", "ReduceSum"], expected: [21] },
  { name: "sum(0) over the batch → [1,3]", input: x23, f: (x) => x.sum(0), ops: ["ReduceSum"], expected: [[5, 7, 9]] },
  { name: "mean(1) → [2,1]", input: x23, f: (x) => x.mean(1), ops: ["ReduceSum", "Mul"], expected: [[2], [5]] },
  { name: "all(1) of 0/1 values", input: [[1, 1, 0], [1, 1, 1]], f: (x) => x.all(1), ops: ["ReduceProd"], expected: [[0], [1]] },
  { name: "max(x, 1) keeps the dim", input: mixed, f: (x) => max(x, 1), ops: ["ReduceMax"], expected: [[3], [1.5]] },
  { name: "permute(1, 0): [2,3] → [3,2]", input: x23, f: (x) => x.permute(1, 0), ops: ["Transpose"], expected: [[1, 4], [2, 5], [3, 6]] },
  { name: "view(-1, 3, 1) keeps the batch", input: x23, f: (x) => x.view(-1, 3, 1), ops: ["Reshape"], expected: [[[1], [2], [3]], [[4], [5], [6]]] },
  { name: "view(-1) flattens the batch", input: x23, f: (x) => x.view(-1), ops: ["Reshape"], expected: [1, 2, 3, 4, 5, 6] },
  { name: "contiguous() of a permuted view: Transpose only", input: x23, f: (x) => x.permute(1, 0).contiguous().view(-1), ops: ["Transpose", "Reshape"], expected: [1, 4, 2, 5, 3, 6] },
  {
    name: "matmul [2,3] @ parameter [3,2]",
    input: x23,
    params: [[[1, 0], [0, 1], [1, 1]]],
    f: (x, p) => x.matmul(p),
    ops: ["MatMul"],
    expected: [[4, 5], [10, 11]],
  },
  {
    name: "matmul batched [2,1,3] @ parameter [2,3,1] broadcasts the batch dims",
    input: [[[1, 2, 3]], [[4, 5, 6]]],
    params: [[[[1], [1], [1]]]],
    f: (x, p) => x.matmul(p),
    ops: ["MatMul"],
    expected: [[[6]], [[15]]],
  },
  {
    name: "conv1d [1,1,4] ⋆ [1,1,2]: zeros past the right edge",
    input: [[[1, 2, 3, 4]]],
    params: [[[[1, 10]]]],
    f: (x, w) => conv1d(x, w),
    ops: ["Conv"],
    expected: [[[21, 32, 43, 4]]],
  },
  {
    name: "conv2d [1,1,2,2] ⋆ [1,1,2,2]: zeros past the bottom and right edges",
    input: [[[[1, 2], [3, 4]]]],
    params: [[[[[1, 0], [0, 1]]]]],
    f: (x, w) => conv2d(x, w),
    ops: ["Conv"],
    expected: [[[[5, 2], [3, 4]]]],
  },
  {
    name: "tile [1,1,2,4] by 2×2 → [1,1,1,2,4]",
    input: [[[[1, 2, 3, 4], [5, 6, 7, 8]]]],
    f: (x) => tile(x, [2, 2])[0],
    ops: ["Reshape", "Transpose", "Reshape"],
    expected: [[[[[1, 2, 5, 6], [3, 4, 7, 8]]]]],
  },
  {
    name: "avgpool2d [1,1,2,4] by 2×2 → [1,1,1,2]",
    input: [[[[1, 2, 3, 4], [5, 6, 7, 8]]]],
    f: (x) => avgpool2d(x, [2, 2]),
    ops: ["AveragePool"],
    expected: [[[[3.5, 5.5]]]],
  },
  {
    name: "maxpool2d [1,1,2,4] by 2×2 → [1,1,1,2]",
    input: [[[[1, 2, 3, 4], [5, 6, 7, -8]]]],
    f: (x) => maxpool2d(x, [2, 2]),
    ops: ["MaxPool"],
    expected: [[[[6, 7]]]],
  },
  {
    name: "softmax(x, 1) of large values: one Softmax node",
    input: [[1000, 1001, 1002], [-1000, -1000, -1000]],
    f: (x) => softmax(x, 1),
    ops: ["Softmax"],
    expected: softmaxRows([[0, 1, 2], [0, 0, 0]]),
  },
  {
    name: "logsoftmax(x, 1) of large values",
    input: [[1000, 1001, 1002], [-1000, -1000, -1000]],
    f: (x) => logsoftmax(x, 1),
    ops: ["LogSoftmax"],
    expected: softmaxRows([[0, 1, 2], [0, 0, 0]]).map((row) => row.map(Math.log)),
  },
  { name: "dropout in evaluation mode records nothing", input: mixed, f: (x) => dropout(x.relu(), 0.5, true), ops: ["Relu"], expected: [[0, 0, 3], [1.5, 0, 0]] },
];

function softmaxRows(rows: number[][]): number[][] {
  return rows.map((row) => {
    const e = row.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  });
}

/** The case's model (its parameters made from `params`) and input. */
export const build = (c: OpCase): { model: Fn; x: Tensor } => ({
  model: new Fn(c.f, ...(c.params ?? []).map((p) => tensor(p))),
  x: tensor(c.input),
});
