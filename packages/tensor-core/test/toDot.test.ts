import { describe, expect, it } from "vitest";
import { tensor, toDot } from "../src/index.js";

describe("toDot", () => {
  it("(a * b + a).sum() gives the golden DOT text", () => {
    const a = tensor([1, 2, 3], { requiresGrad: true });
    const b = tensor([4, 5, 6], { requiresGrad: true });
    a.name = "a";
    b.name = "b";
    const golden = [
      'digraph "backward" {',
      "  rankdir=LR;",
      '  node [fontname="Helvetica", fontsize=11];',
      '  t0 [shape=box, label="a\\n[3]\\nrequires grad", style=filled, fillcolor="#dbeafe"];',
      '  t1 [shape=box, label="b\\n[3]\\nrequires grad", style=filled, fillcolor="#dbeafe"];',
      '  t2 [shape=box, label="t2\\n[3]\\nrequires grad"];',
      '  op0 [shape=ellipse, label="Mul", style=filled, fillcolor="#fef3c7"];',
      '  t3 [shape=box, label="t3\\n[3]\\nrequires grad"];',
      '  op1 [shape=ellipse, label="Add", style=filled, fillcolor="#fef3c7"];',
      '  t4 [shape=box, label="t4\\n[1]\\nrequires grad", peripheries=2];',
      '  op2 [shape=ellipse, label="Sum", style=filled, fillcolor="#fef3c7"];',
      "  t0 -> op0;",
      "  t1 -> op0;",
      "  op0 -> t2;",
      "  t2 -> op1;",
      "  t0 -> op1;",
      "  op1 -> t3;",
      "  t3 -> op2;",
      "  op2 -> t4;",
      "}",
      "",
    ].join("\n");
    expect(toDot(a.mul(b).add(a).sum())).toBe(golden);
  });

  it("is the same text for the same expression built twice (ids by traversal, not uniqueId)", () => {
    const build = (): string => {
      const x = tensor([[1, 2]], { requiresGrad: true });
      return toDot(x.mul(x).relu().sum(1));
    };
    expect(build()).toBe(build());
  });

  it("x * 2: the number operand is a grey constant node showing its value", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const dot = toDot(x.mul(2));
    expect(dot).toContain('t1 [shape=box, label="t1 = 2\\n[1]\\nconstant", style=filled, fillcolor="#e5e7eb"];');
    expect(dot).toContain("t1 -> op0;");
  });

  it("a tensor without history is a single node", () => {
    const c = tensor([1, 2]);
    expect(toDot(c)).toContain('t0 [shape=box, label="t0\\n[2]\\nconstant", style=filled, fillcolor="#e5e7eb", peripheries=2];');
    expect(toDot(c)).not.toContain("->");
  });

  it("escapes quotes and backslashes in names", () => {
    const x = tensor([1], { requiresGrad: true });
    x.name = 'say "hi" \\';
    expect(toDot(x)).toContain('label="say \\"hi\\" \\\\\\n[1]\\nrequires grad"');
  });

  it("graphName and rankdir options", () => {
    const dot = toDot(tensor([1]), { graphName: "expr", rankdir: "TB" });
    expect(dot.startsWith('digraph "expr" {\n  rankdir=TB;')).toBe(true);
  });
});
