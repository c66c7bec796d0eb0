/**
 * One tiny graph per mapped op: the ONNX operators it becomes, onnxruntime's
 * result against hand-computed values, and against the library's forward
 * pass on the traced batch and on a batch of another size (the batch
 * dimension is symbolic), in float32 and float64.
 */
import fc from "fast-check";
import { avgpool2d, logsoftmax, max, maxpool2d, softmax, tile } from "@minitorch/nn";
import { SimpleBackend, fromArray, tensor, type Tensor } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { layoutTensor, permutationOf } from "../../tensor-core/test/layout.js";
import { decodeModel, toOnnx } from "../src/index.js";
import { Fn, expectOrtMatches, maxAbs, maxAbsDiff, runOnnx } from "./helpers.js";
import { build, cases } from "./opCases.js";

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
    const chain = ["Reshape", "ReduceMean", "Relu"];
    expect(opsOf(toOnnx(avg, x, { fusePooling: false }))).toEqual(chain);
    expect(opsOf(toOnnx(max, x, { fusePooling: false }))).toEqual(["Reshape", "ReduceMax", "Relu"]);
    // onnxruntime has no float64 AveragePool; MaxPool it has.
    expect(opsOf(toOnnx(avg, x, { dtype: "float64" }))).toEqual(chain);
    expect(opsOf(toOnnx(max, x, { dtype: "float64" }))).toEqual(["MaxPool", "Relu"]);
    for (const model of [avg, max]) {
      for (const fusePooling of [true, false]) await expectOrtMatches(toOnnx(model, x, { fusePooling }), x, model.forward(x), "float32", 1e-6);
      await expectOrtMatches(toOnnx(model, x, { dtype: "float64" }), x, model.forward(x), "float64", 1e-12);
    }
  });

  it("softmax along dim 0 and logsoftmax along the last dim keep their axis", async () => {
    const x = fromArray([3, -1, 2, 0.5, 1000, -1000], [2, 3]);
    const soft = new Fn((t) => softmax(t, 0));
    const logSoft = new Fn((t) => logsoftmax(t, 1));
    const axisOf = (bytes: Uint8Array): unknown[] => decodeModel(bytes).graph.node.map((n) => [n.opType, n.attribute.map((a) => [a.name, Number(a.i)])]);
    expect(axisOf(toOnnx(soft, x))).toEqual([["Softmax", [["axis", 0]]]]);
    expect(axisOf(toOnnx(logSoft, x))).toEqual([["LogSoftmax", [["axis", 1]]]]);
    for (const model of [soft, logSoft]) await expectOrtMatches(toOnnx(model, x, { dtype: "float64" }), x, model.forward(x), "float64", 1e-12);
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
