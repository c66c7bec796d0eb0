import { Scalar } from "@minitorch/autodiff";
import { describe, expect, it } from "vitest";
import { walkGraph } from "../../src/web/graph.js";

const scalarWalk = {
  fn: (s: Scalar) => (s.history?.lastFn ? s.history.lastFn.name : null),
  inputs: (s: Scalar) => s.history?.inputs ?? [],
  label: (s: Scalar) => s.name ?? String(s.data),
  constant: (s: Scalar) => s.history === null,
};

describe("walkGraph", () => {
  it("x * y + x: leaves once each, one op node per application, edges input → op → result", () => {
    const x = new Scalar(2, undefined, "x");
    const y = new Scalar(3, undefined, "y");
    const g = walkGraph(x.mul(y).add(x), scalarWalk);
    expect(g.nodes.filter((n) => n.kind === "leaf").map((n) => n.label)).toEqual(["x", "y"]);
    expect(g.nodes.filter((n) => n.kind === "op").map((n) => n.label)).toEqual(["Mul", "Add"]);
    const id = (label: string): number => g.nodes.find((n) => n.label === label)!.id;
    expect(g.edges).toContainEqual([id("x"), id("Mul")]);
    expect(g.edges).toContainEqual([id("y"), id("Mul")]);
    expect(g.edges).toContainEqual([id("x"), id("Add")]);
    // 2 leaves, 2 ops, 2 results; 2 + 1 edges per op.
    expect(g.nodes).toHaveLength(6);
    expect(g.edges).toHaveLength(6);
  });

  it("a lone leaf is one node and no edges", () => {
    expect(walkGraph(new Scalar(1, undefined, "a"), scalarWalk)).toEqual({ nodes: [{ id: 0, label: "a", kind: "leaf" }], edges: [] });
  });
});
