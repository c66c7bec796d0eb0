import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tensor, type Tensor } from "@minitorch/tensor-core";
import { Module, Parameter, type StateDict } from "../src/index.js";

const runs = { numRuns: 30 };
const VAL_A = 50;
const VAL_B = 100;

// The module tree of https://minitorch.github.io/modules.html.
class ModuleA4 extends Module {
  p3 = new Parameter(15);
}
class ModuleA3 extends Module {
  c = new ModuleA4();
}
class ModuleA2 extends Module {
  p2 = new Parameter(10);
}
class ModuleA1 extends Module {
  p1 = new Parameter(5);
  nonParam = 10;
  a = new ModuleA2();
  b = new ModuleA3();
}

class Module3 extends Module {
  parameterA = new Parameter(VAL_A);
}
class Module2 extends Module {
  parameterA = new Parameter(VAL_A);
  parameterB = new Parameter(VAL_B);
  nonParameter = 10;
  moduleC = new Module3();
  constructor(extra = 0) {
    super();
    for (let i = 0; i < extra; i++) this.addParameter(`extraParameter${i}`, 0);
  }
}
class Module1 extends Module {
  moduleA: Module2;
  moduleB: Module2;
  parameterA: Parameter<number>;
  constructor(sizeA: number, sizeB: number, val: number) {
    super();
    this.moduleA = new Module2(sizeA);
    this.moduleB = new Module2(sizeB);
    this.parameterA = new Parameter(val);
  }
}

const medInts = fc.integer({ min: 1, max: 20 });

describe("task0_4", () => {
  it("stacked demo: namedParameters p1 = 5, a.p2 = 10, b.c.p3 = 15", () => {
    const mod = new ModuleA1();
    const named = new Map(mod.namedParameters());
    expect(mod.p1.value).toBe(5);
    expect(mod.nonParam).toBe(10);
    expect([...named.keys()]).toEqual(["p1", "a.p2", "b.c.p3"]);
    expect(named.get("p1")!.value).toBe(5);
    expect(named.get("a.p2")!.value).toBe(10);
    expect(named.get("b.c.p3")!.value).toBe(15);
    expect(mod.parameters()).toHaveLength(3);
  });

  it("children, modules and toString of the stacked demo", () => {
    const mod = new ModuleA1();
    expect(mod.namedChildren().map(([name]) => name)).toEqual(["a", "b"]);
    expect(mod.children()).toEqual([mod.a, mod.b]);
    expect(mod.modules()).toEqual([mod.a, mod.b, mod.b.c]);
    expect(String(mod)).toBe("ModuleA1(\n  (a): ModuleA2()\n  (b): ModuleA3(\n    (c): ModuleA4()\n  )\n)");
  });

  it("ownParameters holds only the module's own parameters", () => {
    const mod = new ModuleA1();
    expect(mod.ownParameters().map(([name]) => name)).toEqual(["p1"]);
    expect(mod.b.ownParameters()).toEqual([]);
  });

  it("a module with n extra parameters has n + 3 parameters, named by property", () => {
    fc.assert(
      fc.property(medInts, (size) => {
        const module = new Module2(size);
        expect(module.parameters()).toHaveLength(size + 3);
        const named = new Map(module.namedParameters());
        expect(named.get("parameterA")!.value).toBe(VAL_A);
        expect(named.get("parameterB")!.value).toBe(VAL_B);
        expect(named.get("moduleC.parameterA")!.value).toBe(VAL_A);
        expect(named.get("extraParameter0")!.value).toBe(0);
        expect(named.has(`extraParameter${size - 1}`)).toBe(true);
      }),
      runs,
    );
  });

  it("a stacked module counts 1 + (a + 3) + (b + 3) parameters with dotted names", () => {
    fc.assert(
      fc.property(medInts, medInts, fc.integer({ min: -10000, max: 10000 }).map((n) => n / 100), (sizeA, sizeB, val) => {
        const module = new Module1(sizeA, sizeB, val);
        expect(module.parameters()).toHaveLength(1 + (sizeA + 3) + (sizeB + 3));
        const named = new Map(module.namedParameters());
        expect(named.get("parameterA")!.value).toBe(val);
        expect(named.get("moduleA.parameterA")!.value).toBe(VAL_A);
        expect(named.get("moduleA.parameterB")!.value).toBe(VAL_B);
        expect(named.get("moduleB.parameterA")!.value).toBe(VAL_A);
        expect(named.get("moduleB.moduleC.parameterA")!.value).toBe(VAL_A);
        expect(named.get(`moduleB.extraParameter${sizeB - 1}`)!.value).toBe(0);
      }),
      runs,
    );
  });

  it("train() and eval() reach every descendant and set mode", () => {
    const module = new Module1(2, 3, 1);
    const all = [module, ...module.modules()];
    expect(all).toHaveLength(5);
    expect(all.every((m) => m.training && m.mode === "train")).toBe(true);
    expect(module.eval()).toBe(module);
    expect(all.every((m) => !m.training && m.mode === "eval")).toBe(true);
    expect(module.train()).toBe(module);
    expect(all.every((m) => m.training && m.mode === "train")).toBe(true);
  });

  it("eval() on a child leaves its parent in training mode", () => {
    const module = new Module1(1, 1, 1);
    module.moduleA.eval();
    expect(module.training).toBe(true);
    expect(module.moduleA.moduleC.mode).toBe("eval");
    expect(module.moduleB.mode).toBe("train");
  });

  it("addParameter adds a named property; an existing name is an error", () => {
    const module = new Module3();
    const p = module.addParameter("extra", 7);
    expect(p.value).toBe(7);
    expect(p.name).toBe("extra");
    expect((module as unknown as Record<string, unknown>).extra).toBe(p);
    expect(module.namedParameters().map(([name]) => name)).toEqual(["parameterA", "extra"]);
    expect(() => module.addParameter("parameterA", 1)).toThrow(/addParameter: Module3 already has a property "parameterA"/);
    expect(() => module.addParameter("train", 1)).toThrow(/already has a property "train"/);
  });
});

describe("Parameter and the base forward (given with Task 0.4)", () => {
  it("a Parameter holding a tensor turns on requiresGrad, also after update(), and names it", () => {
    const t = tensor([1, 2]);
    expect(t.requiresGrad()).toBe(false);
    const p = new Parameter(t, "weight");
    expect(t.requiresGrad()).toBe(true);
    expect(t.isLeaf()).toBe(true);
    expect(t.name).toBe("weight");
    const t2 = tensor([3]);
    p.update(t2);
    expect(p.value).toBe(t2);
    expect(t2.requiresGrad()).toBe(true);
    expect(t2.name).toBe("weight");
  });

  it("a Parameter calls requiresGrad_(true) on any value that has it", () => {
    const mock = { flag: false, requiresGrad_(x?: boolean): void { this.flag = x === true; } };
    new Parameter(mock);
    expect(mock.flag).toBe(true);
    expect(String(new Parameter(3))).toBe("Parameter(3)");
  });

  it("forward: a subclass's forward runs; the base one is an error", () => {
    class ModuleRun extends Module {
      override forward(): number {
        return 10;
      }
    }
    expect(new ModuleRun().forward()).toBe(10);
    expect(() => new Module().forward()).toThrow(/Module.forward must be defined by the subclass/);
  });
});

class Inner extends Module {
  bias = new Parameter(tensor([0.5, -0.5]));
  scale = new Parameter(2); // not a tensor: not saved
}
class Outer extends Module {
  weight = new Parameter(tensor([[1, 2], [3, 4]]));
  child = new Inner();
}

function values(t: unknown): number[] {
  return Array.from((t as Tensor).toFloat64Array());
}

describe("nn module state", () => {
  it("stateDict lists tensor parameters by dotted name with shape and row-major data", () => {
    expect(new Outer().stateDict()).toEqual({
      weight: { shape: [2, 2], data: [1, 2, 3, 4] },
      "child.bias": { shape: [2], data: [0.5, -0.5] },
    });
  });

  it("loadStateDict after a JSON round trip restores values into the same tensors", () => {
    const saved = JSON.parse(JSON.stringify(new Outer().stateDict())) as StateDict;
    const target = new Outer();
    const weight = target.weight.value;
    weight.set([0, 0], 100);
    target.child.bias.value.set([1], 100);
    target.loadStateDict(saved);
    expect(target.weight.value).toBe(weight);
    expect(values(target.weight.value)).toEqual([1, 2, 3, 4]);
    expect(values(target.child.bias.value)).toEqual([0.5, -0.5]);
    expect(target.stateDict()).toEqual(saved);
  });

  it("a permuted (non-contiguous) parameter saves and loads in logical row-major order", () => {
    const source = new Outer();
    source.weight.update(tensor([[1, 2], [3, 4]]).permute(1, 0));
    const state = source.stateDict();
    expect(state.weight!.data).toEqual([1, 3, 2, 4]);
    const target = new Outer();
    target.weight.update(tensor([[0, 0], [0, 0]]).permute(1, 0));
    target.loadStateDict(state);
    expect(target.weight.value.toArray()).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("a saved parameter of the wrong shape is an error naming both shapes, and nothing is loaded", () => {
    const target = new Outer();
    const state = new Outer().stateDict();
    state.weight!.data = [9, 9, 9, 9];
    state["child.bias"] = { shape: [2, 1], data: [1, 2] };
    expect(() => target.loadStateDict(state)).toThrow(
      /loadStateDict: parameter "child.bias" has shape \[2\], saved shape is \[2, 1\] with 2 values/,
    );
    expect(values(target.weight.value)).toEqual([1, 2, 3, 4]);
    state["child.bias"] = { shape: [4], data: [1, 2, 3, 4] };
    expect(() => target.loadStateDict(state)).toThrow(/parameter "child.bias" has shape \[2\], saved shape is \[4\]/);
  });

  it("saved data that does not fill its shape is an error", () => {
    const state = new Outer().stateDict();
    state.weight!.data = [1, 2, 3];
    expect(() => new Outer().loadStateDict(state)).toThrow(/parameter "weight" has shape \[2, 2\], saved shape is \[2, 2\] with 3 values/);
  });

  it("a missing parameter is an error naming it", () => {
    const state = new Outer().stateDict();
    delete state["child.bias"];
    expect(() => new Outer().loadStateDict(state)).toThrow(/loadStateDict: missing parameter "child.bias"/);
  });

  it("an unexpected parameter is an error naming it and the model's parameters", () => {
    const state = { ...new Outer().stateDict(), extra: { shape: [1], data: [0] } };
    expect(() => new Outer().loadStateDict(state)).toThrow(/loadStateDict: unexpected parameter "extra" \(model has weight, child.bias\)/);
  });
});
