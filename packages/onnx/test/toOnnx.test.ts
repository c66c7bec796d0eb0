/**
 * toOnnx as a whole: a small CNN with every layer kind (random and trained
 * weights) against onnxruntime, the model's declared signature, a clean load
 * at warning level, and the errors for graphs ONNX cannot hold.
 */
import { Context } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { Conv1d, Conv2d, Linear, Module, SGD, argmax, avgpool2d, dropout, logsoftmax, maxpool2d, nllLoss } from "@minitorch/nn";
import { SimpleBackend, Tensor, TensorFunction, fromArray, rand, tensor, type Dtype, type TensorBackend } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { OPSET, OP_MAPPINGS, decodeModel, toOnnx } from "../src/index.js";
import { Fn, expectOrtMatches, loadWarnings, runOnnx } from "./helpers.js";

/**
 * Every layer kind on [B, 1, 4, 8] images: conv2d → relu → maxpool → (avgpool 1×1, view,
 * permute, contiguous) → conv1d over rows → sigmoid → linear → dropout → logsoftmax.
 */
class SmallNet extends Module {
  readonly conv: Conv2d;
  readonly rowConv: Conv1d;
  readonly linear: Linear;
  constructor(backend: TensorBackend = SimpleBackend, dtype: Dtype = "float64") {
    super();
    this.conv = new Conv2d(1, 2, 3, 2, { backend, dtype });
    this.rowConv = new Conv1d(4, 3, 2, { backend, dtype });
    this.linear = new Linear(3 * 4, 5, { backend, dtype });
  }
  override forward(x: Tensor): Tensor {
    const batch = x.shape[0]!;
    const h = maxpool2d(this.conv.forward(x).relu(), [2, 2]); // [B, 2, 2, 4]: 16 values per example
    const rows = avgpool2d(h, [1, 1]).view(batch, 4, 4).permute(0, 2, 1).contiguous().view(batch, 4, 4); // [B, 4, 4]
    const r = this.rowConv.forward(rows).sigmoid(); // [B, 3, 4]
    const flat = r.contiguous().view(batch, 12);
    return logsoftmax(dropout(this.linear.forward(flat), 0.5, !this.training), 1);
  }
}

const images = (batch: number, seed = 1): Tensor =>
  fromArray(
    Array.from({ length: batch * 32 }, (_, i) => Math.sin(seed * 31 + i * 0.37) * 2),
    [batch, 1, 4, 8],
  );

/** A few SGD steps on a made-up task, so the weights are no longer the initial ones. */
function train(model: SmallNet, steps: number): void {
  const optim = new SGD(model.parameters(), 0.5);
  for (let s = 0; s < steps; s++) {
    const x = images(4, s + 10);
    const target = fromArray(
      Array.from({ length: 20 }, (_, i) => (i % 5 === (Math.floor(i / 5) + s) % 5 ? 1 : 0)),
      [4, 5],
    );
    nllLoss(model.forward(x), target).backward();
    optim.step();
  }
}

describe("toOnnx", () => {
  it("a small CNN with random weights: onnxruntime matches the forward pass in float32 and float64, any batch size", async () => {
    const model = new SmallNet();
    model.eval();
    for (const [dtype, tol] of [
      ["float32", 1e-4],
      ["float64", 1e-9],
    ] as const) {
      const bytes = toOnnx(model, images(2), { dtype });
      for (const batch of [1, 2, 7]) {
        const x = images(batch, batch);
        const got = await expectOrtMatches(bytes, x, model.forward(x), dtype, tol);
        expect(argmaxRows(got.data, 5)).toEqual(argmaxRows(model.forward(x).toFloat64Array(), 5));
      }
    }
  });

  it("a small CNN with trained weights matches, and its predictions are the library's", async () => {
    const model = new SmallNet();
    const before = model.linear.weights.value.toFloat64Array();
    train(model, 5);
    expect(model.linear.weights.value.toFloat64Array()).not.toEqual(before);
    model.eval();
    const x = images(16, 99);
    const want = model.forward(x);
    const got = await expectOrtMatches(toOnnx(model, images(1)), x, want, "float32", 1e-4);
    expect(argmaxRows(got.data, 5)).toEqual(argmaxRows(want.toFloat64Array(), 5));
  });

  it("works on FastBackend tensors, from an input that does not require a gradient, and leaves the input alone", async () => {
    const model = new SmallNet(FastBackend);
    const x = fromArray(images(3).toFloat64Array(), [3, 1, 4, 8], FastBackend);
    expect(x.requiresGrad()).toBe(false);
    const bytes = toOnnx(model, x);
    expect(x.requiresGrad()).toBe(false);
    model.eval();
    await expectOrtMatches(bytes, x, model.forward(x));
  });

  it("a float32 model exports its own float32 values (initializers bit for bit), traced from a float64 example input", async () => {
    const model = new SmallNet(FastBackend, "float32");
    model.eval();
    const bytes = toOnnx(model, images(2));
    const m = decodeModel(bytes);
    const weights = m.graph.initializer.find((t) => t.name === "conv.weights")!;
    expect(weights.dataType).toBe(1);
    const raw = weights.rawData!;
    expect(Array.from(new Float32Array(Uint8Array.from(raw).buffer))).toEqual(Array.from(model.conv.weights.value.storage));
    const x = fromArray(images(3).toFloat64Array(), [3, 1, 4, 8], { backend: FastBackend, dtype: "float32" });
    await expectOrtMatches(bytes, x, model.forward(x), "float32", 1e-5);
  });

  it("declares the input with a symbolic batch, names the parameters by path and records opset and producer", () => {
    const m = decodeModel(toOnnx(new SmallNet(), images(2), { metadata: { app: "test" }, docString: "a small net" }));
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: "", version: OPSET }]);
    expect(OPSET).toBe(17);
    expect(m.producerName).toBe("minitorch-ts");
    expect(m.producerVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.docString).toBe("a small net");
    expect(m.metadataProps).toEqual([{ key: "app", value: "test" }]);
    expect(m.graph.name).toBe("SmallNet");
    const dims = (v: (typeof m.graph.input)[0]): unknown[] => v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue);
    expect(m.graph.input.map((v) => v.name)).toEqual(["input"]);
    expect(dims(m.graph.input[0]!)).toEqual(["batch", 1, 4, 8]);
    expect(m.graph.output.map((v) => v.name)).toEqual(["output"]);
    expect(dims(m.graph.output[0]!)).toEqual(["batch", 5]);
    const names = m.graph.initializer.map((t) => t.name);
    for (const p of ["conv.weights", "conv.bias", "rowConv.weights", "rowConv.bias", "linear.weights", "linear.bias"]) expect(names).toContain(p);
    const weights = m.graph.initializer.find((t) => t.name === "conv.weights")!;
    expect(weights.dims).toEqual([2, 1, 3, 2]);
    expect(weights.dataType).toBe(1);
    expect(weights.rawData.length).toBe(2 * 3 * 2 * 4);
  });

  it("with dynamicBatch: false every size is fixed; inputName/outputName/graphName rename", () => {
    const m = decodeModel(toOnnx(new SmallNet(), images(3), { dynamicBatch: false, inputName: "pixels", outputName: "logp", graphName: "net" }));
    expect(m.graph.name).toBe("net");
    expect(m.graph.input[0]!.name).toBe("pixels");
    expect(m.graph.input[0]!.type.tensorType.shape.dim).toEqual([{ dimValue: 3 }, { dimValue: 1 }, { dimValue: 4 }, { dimValue: 8 }]);
    expect(m.graph.output[0]!.name).toBe("logp");
    expect(m.graph.output[0]!.type.tensorType.shape.dim).toEqual([{ dimValue: 3 }, { dimValue: 5 }]);
    expect(m.graph.node.some((n) => n.input.includes("pixels"))).toBe(true);
    expect(m.graph.node.filter((n) => n.output.includes("logp"))).toHaveLength(1);
  });

  it("loads in onnxruntime without a warning, in float32 and float64", () => {
    expect(loadWarnings(toOnnx(new SmallNet(), images(2)))).toBe("");
    expect(loadWarnings(toOnnx(new SmallNet(), images(2), { dtype: "float64" }))).toBe("");
  });

  it("the warning check can fail: an unused initializer is reported", async () => {
    const bytes = toOnnx(new Fn((x) => x.relu()), images(1));
    const { encodeModel } = await import("../src/schema.js");
    const m = decodeModel(bytes);
    m.graph.initializer.push({ name: "unused", dims: [1], dataType: 1, rawData: new Uint8Array(4) });
    expect(loadWarnings(encodeModel(m))).toMatch(/Removing initializer 'unused'/);
  });

  it("restores every module's mode and keeps the example's activations", () => {
    const model = new SmallNet();
    model.rowConv.eval();
    class Recorder extends Module {
      readonly net = model;
      last: Tensor | null = null;
      override forward(x: Tensor): Tensor {
        this.last = x;
        return this.net.forward(x);
      }
    }
    const r = new Recorder();
    const x = images(2);
    toOnnx(r, x);
    expect([r.training, model.training, model.conv.training, model.rowConv.training, model.linear.training]).toEqual([true, true, true, false, true]);
    expect(r.last!.shape).toEqual([2, 1, 4, 8]);
    expect(r.last!.toFloat64Array()).toEqual(x.toFloat64Array());
  });

  it("a model returning its input gets an Identity node", async () => {
    const bytes = toOnnx(new Fn((x) => x), tensor([[1, 2]]));
    expect(decodeModel(bytes).graph.node.map((n) => n.opType)).toEqual(["Identity"]);
    const x = tensor([[3, 4], [5, 6]]);
    expect((await runOnnx(bytes, x)).data).toEqual(Float64Array.from([3, 4, 5, 6]));
  });

  it("a mean over the batch divides by the batch size: an error with a symbolic batch, exported with dynamicBatch: false", async () => {
    const model = new Fn((x) => x.mean(0));
    const x = tensor([
      [1, 2],
      [3, 5],
    ]);
    expect(() => toOnnx(model, x)).toThrow(
      /^toOnnx: a constant of shape \[1\] \(step \d+\) used by Mul changes with the input: it was computed from the input outside the recorded graph/,
    );
    await expectOrtMatches(toOnnx(model, x, { dynamicBatch: false }), x, tensor([[2, 3.5]]));
  });

  it("values computed from the input outside the graph are an error, never frozen", () => {
    expect(() => toOnnx(new Fn((x) => x.relu().add(x.detach().mul(2))), tensor([[1, 2]]))).toThrow(/changes with the input/);
    expect(() => toOnnx(new Fn((x, p) => argmax(x.add(p), 1), tensor([0, 0])), tensor([[1, 2]]))).toThrow(/changes with the input/);
  });

  it("a tensor function without an ONNX mapping is an error naming it", () => {
    class Square extends TensorFunction {
      static override forward(_ctx: Context, a: Tensor): Tensor {
        return a.backend.mulZip(a, a);
      }
      static override backward(_ctx: Context, grad: Tensor): Tensor {
        return grad;
      }
    }
    expect(() => toOnnx(new Fn((x) => Square.apply(x).relu()), tensor([[1, 2]]))).toThrow(
      /^toOnnx: no ONNX mapping for tensor function Square \(it made a tensor of shape \[1, 2\]\); mapped: Add, Mul, .*Conv2dFun$/,
    );
  });

  it("rejects bad arguments with a message naming them", () => {
    const x = tensor([[1, 2]]);
    expect(() => toOnnx({} as Module, x)).toThrow("toOnnx: model must be a Module, got object");
    expect(() => toOnnx(new Fn((t) => t), [1, 2] as unknown as Tensor)).toThrow("toOnnx: exampleInput must be a Tensor, got object");
    expect(() => toOnnx(new Fn((t) => t), x, { dtype: "float16" as "float32" })).toThrow('toOnnx: dtype must be "float32" or "float64", got "float16"');
    expect(() => toOnnx(new Fn((t) => t), tensor(3))).toThrow("toOnnx: exampleInput must have a batch dimension and at least one element, got shape []");
    class Pair extends Module {
      override forward(t: Tensor): Tensor[] {
        return [t, t];
      }
    }
    expect(() => toOnnx(new Pair(), x)).toThrow("toOnnx: Pair.forward must return one Tensor, got an array");
  });

  it("maps every tensor Function the networks and the tensor API use", () => {
    expect([...OP_MAPPINGS.keys()].map((f) => f.name).sort()).toEqual(
      [
        ...["Add", "All", "AvgPool2d", "Conv1dFun", "Conv2dFun", "Copy", "EQ", "Exp", "Inv", "IsClose", "LT", "Log", "LogSoftmax", "MatMul", "Max"],
        ...["MaxPool2d", "Mul", "Neg", "Permute", "ReLU", "Sigmoid", "Softmax", "Sum", "View"],
      ].sort(),
    );
  });

  it("parameters on another backend than the input still export: the example input is traced on the parameters' backend", async () => {
    const p = rand([3], SimpleBackend);
    const model = new Fn((x, q) => x.mul(q).sum(1), p);
    const x = fromArray([1, 2, 3, 4, 5, 6], [2, 3], FastBackend);
    // The model itself never mixes backends (an op on two backends is an error naming both).
    expect(() => model.forward(x)).toThrow(/^mul: tensors are on different backends \(fast and simple\)/);
    await expectOrtMatches(toOnnx(model, x), x, model.forward(fromArray(x.toFloat64Array(), x.shape, SimpleBackend)));
  });
});

function argmaxRows(data: ArrayLike<number>, classes: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < data.length / classes; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (data[r * classes + c]! > data[r * classes + best]!) best = c;
    out.push(best);
  }
  return out;
}
