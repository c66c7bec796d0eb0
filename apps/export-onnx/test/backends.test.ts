import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { decodeModel, toOnnx } from "@minitorch/onnx";
import { SimpleBackend, rand, type TensorBackend } from "@minitorch/tensor-core";
import { LeNet } from "@minitorch/train-mnist";
import { describe, expect, it } from "vitest";

/** The ONNX operators of a LeNet traced on `backend`. */
function lenetOps(backend: TensorBackend): string[] {
  const model = new LeNet({ backend });
  const x = rand([2, 1, 28, 28], backend);
  return decodeModel(toOnnx(model, x)).graph.node.map((n) => n.opType);
}

describe("LeNet exported from every CPU backend", () => {
  // Each backend computes avgpool2d with its own registered kernel; the graph records one AvgPool2d node regardless.
  const backends: Array<[string, TensorBackend]> = [
    ["FastBackend", FastBackend],
    ["PlainBackend", PlainBackend],
    ["CourseBackend", CourseBackend],
    ["SimpleBackend", SimpleBackend],
  ];

  it.each(backends)("traced on %s: one AveragePool and one LogSoftmax, the same graph as on SimpleBackend", (_, backend) => {
    const ops = lenetOps(backend);
    expect(ops.filter((op) => op === "AveragePool")).toHaveLength(1);
    expect(ops.filter((op) => op === "LogSoftmax")).toHaveLength(1);
    expect(ops).not.toContain("Transpose");
    expect(ops).toEqual(lenetOps(SimpleBackend));
  });
});
