/**
 * The public API contract of DESIGN.md, checked on the BUILT umbrella
 * package, as outside checks import it (`import * as minitorch from "minitorch"`).
 */
import { describe, expect, it } from "vitest";
import * as minitorch from "minitorch";

const contract = [
  "tensor",
  "zeros",
  "rand",
  "SimpleBackend",
  "FastBackend",
  "Tensor",
  "conv1d",
  "conv2d",
  "Conv1dFun",
  "Conv2dFun",
  "tile",
  "avgpool2d",
  "maxpool2d",
  "max",
  "argmax",
  "softmax",
  "logsoftmax",
  "dropout",
  "Module",
  "Parameter",
  "Linear",
  "Conv1d",
  "Conv2d",
  "SGD",
  "gradCheck",
  "GpuBackend",
  "gpuAvailable",
  "toOnnx",
  "noGrad",
  "Dropout",
  "Sequential",
  "Adam",
  "crossEntropy",
  "cat",
  "stack",
  "setDefaultBackend",
  "DataLoader",
  "saveStateDict",
  "loadStateDict",
  "saveSafetensors",
] as const;

const tensorMethods = [
  "get",
  "view",
  "permute",
  "contiguous",
  "add",
  "sub",
  "mul",
  "div",
  "neg",
  "matmul",
  "lt",
  "gt",
  "eq",
  "sum",
  "mean",
  "relu",
  "sigmoid",
  "log",
  "exp",
  "requiresGrad_",
  "backward",
  "narrow",
  "reshape",
  "transpose",
  "to",
  "toArray",
  "toFloat64Array",
  "item",
] as const;

describe("minitorch umbrella package", () => {
  it.each(contract)("exports %s", (name) => {
    expect(minitorch[name]).toBeDefined();
  });

  it.each(tensorMethods)("Tensor has the method %s", (name) => {
    expect(typeof minitorch.Tensor.prototype[name]).toBe("function");
  });

  it("exports CourseBackend and PlainBackend, the parallel backend with the course's kernels and with plain-TypeScript ones", () => {
    expect(minitorch.backendNames()).toEqual(expect.arrayContaining(["simple", "fast", "plain", "course", "gpu"]));
    expect(minitorch.kernelFor("matmul", minitorch.CourseBackend)).not.toBe(minitorch.kernelFor("matmul", minitorch.FastBackend));
    expect(minitorch.kernelFor("matmul", minitorch.PlainBackend)).not.toBe(minitorch.kernelFor("matmul", minitorch.FastBackend));
  });

  it("a tensor made by the built package works end to end on every backend", () => {
    for (const backend of [minitorch.SimpleBackend, minitorch.FastBackend, minitorch.PlainBackend, minitorch.CourseBackend]) {
      const x = minitorch.tensor([[1, 2], [3, 4]], { backend, requiresGrad: true });
      expect(x.shape).toEqual([2, 2]);
      expect(x.size).toBe(4);
      expect(x.dims).toBe(2);
      const y = x.matmul(x).sum();
      y.backward();
      expect(y.item()).toBe(54);
      expect(x.grad?.toArray()).toEqual([[7, 11], [9, 13]]);
      const z = minitorch.zeros([2, 3], backend);
      const r = minitorch.rand([2, 3], backend);
      expect(z.toFloat64Array()).toEqual(new Float64Array(6));
      expect(r.shape).toEqual([2, 3]);
      const [tiled, h, w] = minitorch.tile(minitorch.rand([1, 1, 4, 4], backend), [2, 2]);
      expect([tiled.shape, h, w]).toEqual([[1, 1, 2, 2, 4], 2, 2]);
      expect(minitorch.dropout(x, 0.5, true)).toBe(x);
    }
  });

  it("gpuAvailable() reports { ok, adapter, reason }; with a GPU, GpuBackend computes the same example", () => {
    const status = minitorch.gpuAvailable();
    expect(Object.keys(status).sort()).toEqual(["adapter", "ok", "reason"]);
    if (!status.ok && !process.env.CI) {
      expect(status.adapter).toBeNull();
      expect(status.reason).toMatch(/no WebGPU adapter|Dawn/);
      return;
    }
    expect(status, status.reason ?? "").toMatchObject({ ok: true, reason: null });
    expect(typeof status.adapter).toBe("string");
    const x = minitorch.tensor([[1, 2], [3, 4]], { backend: minitorch.GpuBackend, requiresGrad: true });
    const y = x.matmul(x).sum();
    y.backward();
    expect(y.item()).toBe(54);
    expect(x.grad?.toArray()).toEqual([[7, 11], [9, 13]]);
  });

  it("toOnnx returns the bytes of an ONNX ModelProto", () => {
    const bytes = minitorch.toOnnx(new minitorch.Linear(2, 3), minitorch.rand([4, 2]));
    expect(bytes).toBeInstanceOf(Uint8Array);
    const model = minitorch.decodeModel(bytes);
    expect(model.opsetImport).toEqual([{ domain: "", version: minitorch.ONNX_OPSET }]);
    expect(model.graph.node.map((n) => n.opType)).toEqual(["MatMul", "Add"]);
  });
});
