/**
 * One tiny graph per mapped op: the ONNX operators it becomes, onnxruntime's
 * result against hand-computed values, and against the library's forward
 * pass on the traced batch and on a batch of another size (the batch
 * dimension is symbolic), in float32 and float64.
 */
import fc from "fast-check";
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { avgpool2d, dropout, logsoftmax, max, maxpool2d, softmax, tile } from "@minitorch/nn";
import { SimpleBackend, fromArray, tensor, type NestedArray, type Tensor } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { layoutTensor, permutationOf } from "../../tensor-core/test/layout.js";
import { decodeModel, toOnnx } from "../src/index.js";
import { Fn, expectOrtMatches, maxAbs, maxAbsDiff, runOnnx } from "./helpers.js";

interface OpCase {
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

const cases: OpCase[] = [
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
    name: "softmax(x, 1) of large values: the max shift is computed in the graph",
    input: [[1000, 1001, 1002], [-1000, -1000, -1000]],
    f: (x) => softmax(x, 1),
    ops: ["ReduceMax", "Neg", "Add", "Exp", "ReduceSum", "Reciprocal", "Mul"],
    expected: softmaxRows([[0, 1, 2], [0, 0, 0]]),
  },
  {
    name: "logsoftmax(x, 1) of large values",
    input: [[1000, 1001, 1002], [-1000, -1000, -1000]],
    f: (x) => logsoftmax(x, 1),
    ops: ["ReduceMax", "Neg", "Add", "Exp", "ReduceSum", "Log", "Neg", "Add"],
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

/** `x` with one more batch row (its first, halved) and its rows in reverse: another input of the same kind. */
function otherBatch(x: Tensor): Tensor {
  const batch = x.shape[0]!;
  const row = x.size / batch;
  const v = x.toFloat64Array();
  const out = new Float64Array((batch + 1) * row);
  for (let r = 0; r < batch; r++) out.set(v.subarray((batch - 1 - r) * row, (batch - r) * row), r * row);
  for (let i = 0; i < row; i++) out[batch * row + i] = v[i]! / 2;
  return fromArray(out, [batch + 1, ...x.shape.slice(1)]);
}

const build = (c: OpCase): { model: Fn; x: Tensor } => ({
  model: new Fn(c.f, ...(c.params ?? []).map((p) => tensor(p))),
  x: tensor(c.input),
});

describe("ONNX op mapping", () => {
  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_, c) => {
    const { model, x } = build(c);
    const bytes = toOnnx(model, x);
    expect(decodeModel(bytes).graph.node.map((n) => n.opType)).toEqual(c.ops);
    const got = await runOnnx(bytes, x);
    const expected = tensor(c.expected);
    expect(got.dims).toEqual(expected.shape);
    expect(maxAbsDiff(got.data, expected.toFloat64Array())).toBeLessThanOrEqual(1e-6 * maxAbs(expected.toFloat64Array()));
    const other = otherBatch(x);
    await expectOrtMatches(bytes, other, model.forward(other), "float32", 1e-6);
  });

  it.each(cases.map((c) => [c.name, c] as const))("float64: %s", async (_, c) => {
    const { model, x } = build(c);
    const bytes = toOnnx(model, x, { dtype: "float64" });
    await expectOrtMatches(bytes, x, tensor(c.expected), "float64", 1e-12);
    const other = otherBatch(x);
    await expectOrtMatches(bytes, other, model.forward(other), "float64", 1e-12);
  });

  it("float64 convolutions are one matrix product (onnxruntime has no double Conv)", () => {
    const conv = cases.find((c) => c.name.startsWith("conv2d"))!;
    const { model, x } = build(conv);
    const ops = decodeModel(toOnnx(model, x, { dtype: "float64" })).graph.node.map((n) => n.opType);
    expect(ops).toEqual(["Pad", "Slice", "Slice", "Slice", "Slice", "Concat", "Reshape", "Transpose", "Reshape", "MatMul", "Reshape"]);
  });

  it("pooling is one AveragePool / MaxPool node (kernel = strides = [kh, kw]) unless fusePooling is false", async () => {
    const x = fromArray(
      Array.from({ length: 2 * 3 * 4 * 6 }, (_, i) => Math.sin(i)),
      [2, 3, 4, 6],
    );
    const opsOf = (bytes: Uint8Array): string[] => decodeModel(bytes).graph.node.map((n) => n.opType);
    const avg = new Fn((t) => avgpool2d(t, [2, 3]).relu());
    const max = new Fn((t) => maxpool2d(t, [4, 1]).relu());
    const fused = decodeModel(toOnnx(avg, x)).graph;
    expect(fused.node.map((n) => [n.opType, n.attribute.map((a) => [a.name, a.ints])])).toEqual([
      ["AveragePool", [["kernel_shape", [2, 3]], ["strides", [2, 3]]]],
      ["Relu", []],
    ]);
    expect(fused.initializer).toEqual([]);
    expect(opsOf(toOnnx(max, x))).toEqual(["MaxPool", "Relu"]);
    const chain = ["Reshape", "Transpose", "Reshape", "ReduceSum", "Mul", "Reshape", "Relu"];
    expect(opsOf(toOnnx(avg, x, { fusePooling: false }))).toEqual(chain);
    // onnxruntime has no float64 AveragePool; MaxPool it has.
    expect(opsOf(toOnnx(avg, x, { dtype: "float64" }))).toEqual(chain);
    expect(opsOf(toOnnx(max, x, { dtype: "float64" }))).toEqual(["MaxPool", "Relu"]);
    for (const model of [avg, max]) {
      for (const fusePooling of [true, false]) await expectOrtMatches(toOnnx(model, x, { fusePooling }), x, model.forward(x), "float32", 1e-6);
      await expectOrtMatches(toOnnx(model, x, { dtype: "float64" }), x, model.forward(x), "float64", 1e-12);
    }
  });

  it("a tiled tensor used for something else is not fused", () => {
    const x = fromArray(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 1, 4, 4],
    );
    const model = new Fn((t) => {
      const [tiled] = tile(t, [2, 2]);
      return max(tiled, 4).view(-1, 1, 2, 2).add(tiled.sum(4).view(-1, 1, 2, 2));
    });
    expect(decodeModel(toOnnx(model, x)).graph.node.map((n) => n.opType)).toEqual([
      "Reshape",
      "Transpose",
      "Reshape",
      "ReduceMax",
      "Reshape",
      "ReduceSum",
      "Reshape",
      "Add",
    ]);
  });

  it("a permuted, non-contiguous example input exports the same graph of its values", async () => {
    const values = Array.from({ length: 24 }, (_, i) => i - 11.5);
    const x = layoutTensor(values, [2, 3, 4], [2, 0, 1], SimpleBackend);
    expect(x.isContiguous()).toBe(false);
    const model = new Fn((t, p) => t.permute(0, 2, 1).mul(p).sum(2), tensor([[1], [2], [3], [4]]));
    const bytes = toOnnx(model, x);
    expect(decodeModel(bytes).graph.node.map((n) => n.opType)).toEqual(["Transpose", "Mul", "ReduceSum"]);
    await expectOrtMatches(bytes, x, model.forward(x), "float32", 1e-6);
  });

  it("property: elementwise chains over random shapes, broadcasts and storage orders match the forward pass", async () => {
    const unaries: Array<(t: Tensor) => Tensor> = [(t) => t.relu(), (t) => t.sigmoid(), (t) => t.neg(), (t) => t.exp().log(), (t) => t.mul(t).add(1).inv()];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.record({
            shape: fc.constant(shape),
            perm: permutationOf(shape.length),
            broadcastDims: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
            ops: fc.array(fc.integer({ min: 0, max: unaries.length - 1 }), { minLength: 1, maxLength: 3 }),
            seed: fc.integer({ min: 0, max: 1000 }),
          }),
        ),
        async ({ shape, perm, broadcastDims, ops, seed }) => {
          const size = shape.reduce((a, b) => a * b, 1);
          const values = Array.from({ length: size }, (_, i) => Math.sin(seed + i * 1.7) * 3);
          const x = layoutTensor(values, shape, perm, SimpleBackend);
          const pShape = shape.map((s, d) => (broadcastDims[d] ? 1 : s)).slice(1);
          const pSize = pShape.reduce((a, b) => a * b, 1);
          const p = fromArray(
            Array.from({ length: pSize }, (_, i) => Math.cos(seed + i) * 2),
            pShape,
          );
          const model = new Fn((t, q) => ops.reduce((acc, k) => unaries[k]!(acc), t.add(q)), p);
          const bytes = toOnnx(model, x);
          await expectOrtMatches(bytes, x, model.forward(x), "float32", 1e-5);
        },
      ),
      { numRuns: 25 },
    );
  });
});
