import { describe, expect, it } from "vitest";
import { DataType, IR_VERSION, decodeModel, encodeModel, type ModelProtoData } from "../src/schema.js";

const tiny = (): ModelProtoData => ({
  irVersion: IR_VERSION,
  opsetImport: [{ domain: "", version: 17 }],
  producerName: "p",
  producerVersion: "1",
  graph: {
    name: "g",
    node: [{ name: "n", opType: "Transpose", input: ["x"], output: ["y"], attribute: [{ name: "perm", type: 7, ints: [1, 0] }] }],
    initializer: [{ name: "w", dims: [2], dataType: DataType.FLOAT, rawData: new Uint8Array(8) }],
    input: [{ name: "x", type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: "batch" }, { dimValue: 3 }] } } } }],
    output: [{ name: "y", type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimValue: 3 }, { dimParam: "batch" }] } } } }],
  },
});

describe("ONNX schema", () => {
  it("writes onnx.proto's field numbers: ir_version is field 1, opset_import field 8, graph field 7", () => {
    const bytes = encodeModel(tiny());
    // Tag = field number << 3 | wire type (0 varint, 2 length-delimited).
    expect([...bytes.slice(0, 2)]).toEqual([(1 << 3) | 0, IR_VERSION]);
    const tags = new Set<number>();
    for (let i = 0; i < bytes.length; ) {
      const tag = bytes[i]!;
      tags.add(tag);
      const wire = tag & 7;
      i++;
      let n = 0;
      let shift = 0;
      while (true) {
        const b = bytes[i++]!;
        n |= (b & 0x7f) << shift;
        shift += 7;
        if (b < 0x80) break;
      }
      if (wire === 2) i += n;
    }
    // Top level: ir_version (1, varint), producer_name (2), producer_version (3), graph (7), opset_import (8).
    expect([...tags].sort((a, b) => a - b)).toEqual([(1 << 3) | 0, (2 << 3) | 2, (3 << 3) | 2, (7 << 3) | 2, (8 << 3) | 2]);
  });

  it("writes repeated integers unpacked, as proto2 onnx.proto declares them", () => {
    const bytes = encodeModel(tiny());
    // AttributeProto.ints is field 8: each value its own tag 0x40.
    const hex = Buffer.from(bytes).toString("hex");
    expect(hex).toContain("40014000");
  });

  it("round-trips a model", () => {
    const decoded = decodeModel(encodeModel(tiny()));
    expect(decoded.irVersion).toBe(IR_VERSION);
    expect(decoded.graph.node[0]).toMatchObject({ name: "n", opType: "Transpose", input: ["x"], output: ["y"], attribute: [{ name: "perm", type: 7, ints: [1, 0] }] });
    expect(decoded.graph.input[0]!.type.tensorType.shape.dim).toEqual([{ dimParam: "batch" }, { dimValue: 3 }]);
    expect(decoded.graph.initializer[0]).toMatchObject({ name: "w", dims: [2], dataType: DataType.FLOAT });
    expect([...decoded.graph.initializer[0]!.rawData]).toEqual(new Array(8).fill(0));
  });

  it("refuses a model that does not fit the schema", () => {
    const bad = tiny() as unknown as { graph: { name: unknown } };
    bad.graph.name = 42;
    expect(() => encodeModel(bad as unknown as ModelProtoData)).toThrow(/^toOnnx: internal error, the ModelProto does not fit the schema: .*name: string expected/);
  });
});
