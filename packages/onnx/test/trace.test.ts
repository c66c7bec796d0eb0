import { Add, Mul, ReLU, tensor, type Tensor } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { compareTraces, trace, variantInput, type OpStep } from "../src/trace.js";
import { Fn } from "./helpers.js";

describe("trace", () => {
  it("lists every tensor after its inputs, with the input, the parameters and the constants as leaves", () => {
    const model = new Fn((x, p) => x.mul(p).relu().add(x).add(1), tensor([2, 3]));
    const t = trace(model, tensor([[1, -1]]));
    expect(t.steps.map((s) => (s.kind === "op" ? s.fn.name : s.kind))).toEqual(["input", "parameter", "Mul", "ReLU", "Add", "constant", "Add"]);
    expect(t.input).toBe(0);
    expect(t.output).toBe(6);
    expect(t.steps[1]!.kind === "parameter" && t.steps[1]!.name).toBe("p0");
    const ops = t.steps.filter((s): s is OpStep => s.kind === "op");
    expect(ops.map((s) => s.fn)).toEqual([Mul, ReLU, Add, Add]);
    expect(ops.map((s) => s.inputs)).toEqual([[0, 1], [2], [3, 0], [4, 5]]);
    expect(t.steps[6]!.tensor.toArray()).toEqual([[4, 0]]);
  });

  it("records the graph even though the input does not require a gradient", () => {
    const model = new Fn((x) => x.relu().neg());
    const x = tensor([[1, -2]]);
    const t = trace(model, x);
    expect(t.steps.map((s) => s.kind)).toEqual(["input", "op", "op"]);
    expect(x.requiresGrad()).toBe(false);
  });

  it("visits a tensor used twice once", () => {
    const t = trace(new Fn((x) => x.mul(x)), tensor([[2]]));
    expect(t.steps).toHaveLength(2);
    expect((t.steps[1] as OpStep).inputs).toEqual([0, 0]);
  });

  it("variantInput adds one batch row and rotates the rows by one", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(variantInput(x, true).toArray()).toEqual([
      [3, 4],
      [5, 6],
      [1, 2],
      [3, 4],
    ]);
    expect(variantInput(x, false).toArray()).toEqual([
      [3, 4],
      [5, 6],
      [1, 2],
    ]);
    expect(variantInput(tensor([[[7]]]), true).toArray()).toEqual([[[7]], [[7]]]);
  });

  it("compareTraces gives the sizes that follow the batch, and names where two graphs differ", () => {
    const model = new Fn((x: Tensor) => x.sum(1).relu());
    const a = trace(model, tensor([[1, 2, 3]]));
    const b = trace(model, tensor([[1, 2, 3], [4, 5, 6]]));
    expect(compareTraces(a, b)).toEqual([
      [true, false],
      [true, false],
      [true, false],
    ]);
    const branchy = new Fn((x: Tensor) => (x.get(0, 0) > 0 ? x.relu() : x.neg()));
    expect(() => compareTraces(trace(branchy, tensor([[1]])), trace(branchy, tensor([[-1]])))).toThrow(
      "toOnnx: the model's graph changes with the input (step 1: ReLU vs Neg); only graphs that do not depend on the input's values can be exported",
    );
    const longer = new Fn((x: Tensor) => (x.get(0, 0) > 0 ? x.relu().relu() : x.relu()));
    expect(() => compareTraces(trace(longer, tensor([[1]])), trace(longer, tensor([[-1]])))).toThrow(/a different number of operations/);
  });
});
