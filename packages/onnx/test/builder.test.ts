import { describe, expect, it } from "vitest";
import { GraphBuilder } from "../src/builder.js";
import { DataType } from "../src/schema.js";

describe("GraphBuilder", () => {
  it("names nodes and values uniquely, after reserved names", () => {
    const g = new GraphBuilder("float32");
    g.reserve("input");
    expect(() => g.reserve("input")).toThrow('toOnnx: the name "input" is used twice');
    const a = g.node("Relu", ["input"]);
    const b = g.node("Relu", [a]);
    const c = g.node("Identity", [b], {}, "output");
    expect([a, b, c]).toEqual(["Relu", "Relu_2", "output"]);
    expect(g.nodes.map((n) => n.name)).toEqual(["Relu", "Relu_2", "Identity"]);
    g.rename("Relu_2", "hidden");
    expect(g.nodes.map((n) => [n.input, n.output])).toEqual([
      [["input"], ["Relu"]],
      [["Relu"], ["hidden"]],
      [["hidden"], ["output"]],
    ]);
  });

  it("writes attributes of each kind", () => {
    const g = new GraphBuilder("float32");
    g.node("X", [], { i: 3, ints: [1, -1], f: { float: 0.5 }, s: "ab" });
    expect(g.nodes[0]!.attribute).toEqual([
      { name: "i", type: 2, i: 3 },
      { name: "ints", type: 7, ints: [1, -1] },
      { name: "f", type: 1, f: 0.5 },
      { name: "s", type: 3, s: new TextEncoder().encode("ab") },
    ]);
    expect(() => g.node("X", [], { i: 0.5 })).toThrow("toOnnx: internal error, attribute i must be an integer, got 0.5");
  });

  it("stores float initializers little-endian in the chosen type, int64 ones shared by value", () => {
    const f32 = new GraphBuilder("float32");
    f32.floats("w", [2], [1, -2.5]);
    expect(f32.initializers[0]).toMatchObject({ name: "w", dims: [2], dataType: DataType.FLOAT });
    expect([...new Float32Array(f32.initializers[0]!.rawData.slice().buffer)]).toEqual([1, -2.5]);
    const f64 = new GraphBuilder("float64");
    f64.floats("w", [1], [0.1]);
    expect(f64.initializers[0]!.dataType).toBe(DataType.DOUBLE);
    expect([...new Float64Array(f64.initializers[0]!.rawData.slice().buffer)]).toEqual([0.1]);
    const a = f64.int64s([0, -1]);
    expect(f64.int64s([0, -1])).toBe(a);
    expect(f64.int64s([1])).not.toBe(a);
    expect([...new BigInt64Array(f64.initializers[1]!.rawData.slice().buffer)]).toEqual([0n, -1n]);
  });
});
