import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { Random, Scalar, manualSeed } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { IndexingError, SimpleBackend, Tensor, fromArray, tensor, zeros } from "@minitorch/tensor-core";
import { Conv1d, Conv2d, Linear, Module, Parameter, SGD, bceLoss, nllLoss, randomParameter, type StateDict } from "../src/index.js";
import { expectClose, floatArray } from "./helpers.js";

const runs = { numRuns: 30 };
const values = (p: Parameter<unknown>): number[] => Array.from((p.value as Tensor).toFloat64Array());
const allValues = (m: Module): number[] => m.parameters().flatMap(values);

describe("nn layers", () => {
  it("Linear(3, 2): weights [3, 2] and bias [2], named, tracking gradients", () => {
    const layer = new Linear(3, 2);
    expect(layer.namedParameters().map(([name, p]) => [name, (p.value as Tensor).shape])).toEqual([
      ["weights", [3, 2]],
      ["bias", [2]],
    ]);
    expect(layer.parameters().every((p) => (p.value as Tensor).requiresGrad())).toBe(true);
  });

  it("Conv1d(2, 3, 4) and Conv2d(2, 3, 2, 5): weights and per-channel bias shapes", () => {
    const c1 = new Conv1d(2, 3, 4);
    const c2 = new Conv2d(2, 3, 2, 5);
    const shapes = (m: Module): Array<[string, readonly number[]]> => m.namedParameters().map(([n, p]) => [n, (p.value as Tensor).shape]);
    expect(shapes(c1)).toEqual([
      ["weights", [3, 2, 4]],
      ["bias", [1, 3, 1]],
    ]);
    expect(shapes(c2)).toEqual([
      ["weights", [3, 2, 2, 5]],
      ["bias", [3, 1, 1]],
    ]);
  });

  it("a network of layers has 2 parameters per layer, with dotted names", () => {
    class Net extends Module {
      conv = new Conv2d(1, 2, 3, 3);
      hidden = new Linear(8, 4);
      out = new Linear(4, 1);
    }
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(["conv.weights", "conv.bias", "hidden.weights", "hidden.bias", "out.weights", "out.bias"]);
    expect(allValues(net).length).toBe(2 * 9 + 2 + 8 * 4 + 4 + 4 + 1);
  });

  it("initial values lie in [−0.05, 0.05) and spread over it", () => {
    manualSeed(1);
    const all = [new Linear(20, 30), new Conv1d(3, 4, 5), new Conv2d(3, 4, 3, 3)].flatMap(allValues);
    expect(all.every((x) => x >= -0.05 && x < 0.05)).toBe(true);
    expect(Math.min(...all)).toBeLessThan(-0.045);
    expect(Math.max(...all)).toBeGreaterThan(0.045);
    expect(Math.abs(all.reduce((a, b) => a + b, 0) / all.length)).toBeLessThan(0.005);
  });

  it("layers made after reseeding are equal; a Random passed in gives the same values", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
        manualSeed(seed);
        const a = [new Linear(4, 3), new Conv1d(2, 2, 3), new Conv2d(1, 2, 2, 2)];
        manualSeed(seed);
        const b = [new Linear(4, 3), new Conv1d(2, 2, 3), new Conv2d(1, 2, 2, 2)];
        expect(b.map(allValues)).toEqual(a.map(allValues));
        const c = new Linear(4, 3, { random: new Random(seed) });
        expect(allValues(c)).toEqual(allValues(new Linear(4, 3, { random: new Random(seed) })));
        expect(allValues(c)).not.toEqual(allValues(new Linear(4, 3, { random: new Random(seed + 1) })));
      }),
      { numRuns: 10 },
    );
  });

  it("randomParameter and layers honour the backend option", () => {
    expect(randomParameter([2, 2], { backend: FastBackend }).value.backend).toBe(FastBackend);
    expect(randomParameter([2, 2]).value.backend).toBe(SimpleBackend);
    const layer = new Conv2d(1, 1, 2, 2, { backend: FastBackend });
    expect(layer.parameters().every((p) => (p.value as Tensor).backend === FastBackend)).toBe(true);
  });

  it("Linear forward: x · W + b against a manual computation", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), floatArray(12), (inSize, outSize, batch, pool) => {
        const layer = new Linear(inSize, outSize);
        const xs = Array.from({ length: batch * inSize }, (_, i) => pool[i % pool.length]!);
        const w = layer.weights.value;
        const b = layer.bias.value;
        const want: number[] = [];
        for (let n = 0; n < batch; n++) {
          for (let o = 0; o < outSize; o++) {
            let s = b.get(o);
            for (let i = 0; i < inSize; i++) s += xs[n * inSize + i]! * w.get(i, o);
            want.push(s);
          }
        }
        const out = layer.forward(fromArray(xs, [batch, inSize]));
        expect(out.shape).toEqual([batch, outSize]);
        expectClose(out.toFloat64Array(), want, 1e-12);
      }),
      runs,
    );
  });

  it("Conv1d forward: Σ in[b, c, x + k] · w[o, c, k] + bias[o], 0 past the right edge", () => {
    const layer = new Conv1d(2, 3, 2);
    const input = fromArray([1, 2, 3, 4, -1, 0.5, 2, 1], [1, 2, 4]);
    const w = layer.weights.value;
    const want: number[] = [];
    for (let o = 0; o < 3; o++) {
      for (let x = 0; x < 4; x++) {
        let s = layer.bias.value.get(0, o, 0);
        for (let c = 0; c < 2; c++) for (let k = 0; k < 2; k++) if (x + k < 4) s += input.get(0, c, x + k) * w.get(o, c, k);
        want.push(s);
      }
    }
    const out = layer.forward(input);
    expect(out.shape).toEqual([1, 3, 4]);
    expectClose(out.toFloat64Array(), want, 1e-12);
  });

  it("Conv2d forward: Σ in[b, c, y + i, x + j] · w[o, c, i, j] + bias[o], 0 past the edges", () => {
    const layer = new Conv2d(2, 2, 2, 3);
    const input = fromArray(
      Array.from({ length: 2 * 2 * 3 * 4 }, (_, i) => ((i * 5) % 7) - 3),
      [2, 2, 3, 4],
    );
    const w = layer.weights.value;
    const want: number[] = [];
    for (let b = 0; b < 2; b++) {
      for (let o = 0; o < 2; o++) {
        for (let y = 0; y < 3; y++) {
          for (let x = 0; x < 4; x++) {
            let s = layer.bias.value.get(o, 0, 0);
            for (let c = 0; c < 2; c++) {
              for (let i = 0; i < 2; i++) {
                for (let j = 0; j < 3; j++) if (y + i < 3 && x + j < 4) s += input.get(b, c, y + i, x + j) * w.get(o, c, i, j);
              }
            }
            want.push(s);
          }
        }
      }
    }
    const out = layer.forward(input);
    expect(out.shape).toEqual([2, 2, 3, 4]);
    expectClose(out.toFloat64Array(), want, 1e-12);
  });

  it("backward through each layer gives every parameter a gradient of its own shape", () => {
    for (const [layer, input] of [
      [new Linear(3, 2), zeros([4, 3]).add(1)],
      [new Conv1d(2, 3, 2), zeros([2, 2, 5]).add(1)],
      [new Conv2d(2, 3, 2, 2), zeros([2, 2, 4, 4]).add(1)],
    ] as const) {
      (layer.forward(input) as Tensor).sum().backward();
      for (const p of layer.parameters()) {
        const t = p.value as Tensor;
        expect(t.grad?.shape).toEqual(t.shape);
      }
    }
  });

  it("bad sizes: zero, negative or fractional sizes name the layer and the size", () => {
    expect(() => new Linear(0, 2)).toThrow(/^Linear: inSize must be a positive integer, got 0$/);
    expect(() => new Linear(2, 1.5)).toThrow(/^Linear: outSize must be a positive integer, got 1.5$/);
    expect(() => new Conv1d(1, -1, 3)).toThrow(/^Conv1d: outChannels must be a positive integer, got -1$/);
    expect(() => new Conv1d(1, 1, 0)).toThrow(/^Conv1d: kernelWidth must be a positive integer, got 0$/);
    expect(() => new Conv2d(0, 1, 2, 2)).toThrow(/^Conv2d: inChannels must be a positive integer, got 0$/);
    expect(() => new Conv2d(1, 1, 2, Number.NaN)).toThrow(/^Conv2d: kw must be a positive integer, got NaN$/);
    expect(() => new Linear(0, 2)).toThrow(RangeError);
  });

  it("bad input to forward names the expected and the actual shape", () => {
    expect(() => new Linear(3, 2).forward(zeros([2, 4]))).toThrow(/^Linear: input must be \[batch, 3\], got shape \[2, 4\]$/);
    expect(() => new Linear(3, 2).forward(zeros([3]))).toThrow(/Linear: input must be \[batch, 3\], got shape \[3\]/);
    expect(() => new Conv2d(2, 1, 2, 2).forward(zeros([1, 3, 4, 4]))).toThrow(/conv2d: input has 3 channels but weight expects 2/);
    expect(() => new Conv1d(1, 1, 2).forward(zeros([1, 4]))).toThrow(/conv1d: input must be 3-D/);
  });
});

describe("nn layers: SGD", () => {
  it("one step moves a tensor parameter by −lr · grad and clears its gradient", () => {
    const p = new Parameter(tensor([1, 2, 3]));
    p.value.mul(tensor([0.5, -1, 2])).sum().backward();
    const opt = new SGD([p as Parameter<unknown>], 0.1);
    const before = p.value;
    opt.step();
    expectClose(p.value.toFloat64Array(), [0.95, 2.1, 2.8], 1e-15);
    expect(p.value).toBe(before);
    expect(p.value.grad).toBeNull();
    // A second step without a new backward leaves the parameter where it is.
    opt.step();
    expectClose(p.value.toFloat64Array(), [0.95, 2.1, 2.8], 1e-15);
  });

  it("one step moves a Scalar parameter by −lr · derivative; the new value has no derivative", () => {
    const p = new Parameter(new Scalar(3));
    p.value.mul(p.value).backward();
    expect(p.value.derivative).toBe(6);
    new SGD([p as Parameter<unknown>], 0.25).step();
    expect(p.value.data).toBe(1.5);
    expect(p.value.derivative).toBeNull();
  });

  it("parameters without a gradient stay; zeroGrad clears tensor and Scalar gradients", () => {
    const a = new Parameter(tensor([1, 2]));
    const b = new Parameter(new Scalar(4));
    const c = new Parameter(tensor([5]));
    a.value.sum().backward();
    b.value.mul(2).backward();
    const opt = new SGD([a, b, c] as Parameter<unknown>[], 0.5);
    opt.zeroGrad();
    expect(a.value.grad).toBeNull();
    expect(b.value.derivative).toBeNull();
    opt.step();
    expect(a.value.toArray()).toEqual([1, 2]);
    expect(b.value.data).toBe(4);
    expect(c.value.toArray()).toEqual([5]);
  });

  it("a non-positive or non-finite learning rate is a RangeError", () => {
    for (const lr of [0, -0.1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new SGD([], lr)).toThrow(new RegExp(`^SGD: lr must be a positive number, got ${lr}$`));
    }
  });

  it("Linear(1, 1) fits y = 2x + 1: the loss falls 100-fold and the parameters approach 2 and 1", () => {
    manualSeed(0);
    const layer = new Linear(1, 1);
    const xs = Array.from({ length: 8 }, (_, i) => -1 + (2 * i) / 7);
    const x = fromArray(xs, [8, 1]);
    const y = fromArray(
      xs.map((v) => 2 * v + 1),
      [8, 1],
    );
    const opt = new SGD(layer.parameters(), 0.2);
    const loss = (): Tensor => {
      const err = layer.forward(x).sub(y);
      return err.mul(err).mean();
    };
    const first = loss().item();
    for (let i = 0; i < 100; i++) {
      loss().backward();
      opt.step();
    }
    const last = loss().item();
    expect(last).toBeLessThan(first / 100);
    expect(layer.weights.value.item()).toBeCloseTo(2, 2);
    expect(layer.bias.value.item()).toBeCloseTo(1, 2);
  });
});

describe("nn layers: losses and state", () => {
  it("nllLoss of log-probabilities [[.5, .25, .25], [.1, .6, .3]] with targets 0 and 1 is −(ln .5 + ln .6)/2", () => {
    const logProbs = tensor(
      [
        [0.5, 0.25, 0.25],
        [0.1, 0.6, 0.3],
      ].map((r) => r.map(Math.log)),
      { requiresGrad: true },
    );
    const target = tensor([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const loss = nllLoss(logProbs, target);
    expect(loss.shape).toEqual([1]);
    expectClose([loss.item()], [-(Math.log(0.5) + Math.log(0.6)) / 2], 1e-15);
    loss.backward();
    // d/dlogProbs = −target / N.
    expectClose(logProbs.grad!.toFloat64Array(), [-0.5, 0, 0, 0, -0.5, 0], 1e-15);
  });

  it("bceLoss of probabilities [.9, .2, .6] against [1, 0, 1] is −(ln .9 + ln .8 + ln .6)/3", () => {
    const probs = tensor([0.9, 0.2, 0.6], { requiresGrad: true });
    const loss = bceLoss(probs, tensor([1, 0, 1]));
    expect(loss.shape).toEqual([1]);
    expectClose([loss.item()], [-(Math.log(0.9) + Math.log(0.8) + Math.log(0.6)) / 3], 1e-15);
    loss.backward();
    // d/dp of −ln p is −1/p; of −ln(1 − p) is 1/(1 − p); each divided by N = 3.
    expectClose(probs.grad!.toFloat64Array(), [-1 / 0.9 / 3, 1 / 0.8 / 3, -1 / 0.6 / 3], 1e-12);
  });

  it("losses reject predictions and targets of different shapes, naming both", () => {
    expect(() => nllLoss(zeros([2, 3]), zeros([2, 4]))).toThrow(/^nllLoss: predictions \[2, 3\] and targets \[2, 4\] must have the same shape$/);
    expect(() => nllLoss(zeros([6]), zeros([2, 3]))).toThrow(/nllLoss: predictions \[6\] and targets \[2, 3\]/);
    expect(() => nllLoss(zeros([3]), zeros([3]))).toThrow(/^nllLoss: expected \[batch, classes\], got shape \[3\]$/);
    expect(() => bceLoss(zeros([3]), zeros([2]))).toThrow(/^bceLoss: predictions \[3\] and targets \[2\] must have the same shape$/);
    expect(() => bceLoss(zeros([3]), zeros([3, 1]))).toThrow(IndexingError);
  });

  it("stateDict → JSON → loadStateDict copies a small network into a differently seeded one", () => {
    class Net extends Module {
      conv = new Conv1d(1, 2, 3);
      out = new Linear(8, 2);
      override forward(x: Tensor): Tensor {
        return this.out.forward(this.conv.forward(x).relu().view(x.shape[0]!, 8));
      }
    }
    manualSeed(1);
    const a = new Net();
    manualSeed(2);
    const b = new Net();
    const x = fromArray(
      Array.from({ length: 12 }, (_, i) => i - 6),
      [3, 1, 4],
    );
    expect(b.forward(x).toFloat64Array()).not.toEqual(a.forward(x).toFloat64Array());
    const tensorsBefore = b.parameters().map((p) => p.value);
    const saved = JSON.parse(JSON.stringify(a.stateDict())) as StateDict;
    expect(Object.keys(saved)).toEqual(["conv.weights", "conv.bias", "out.weights", "out.bias"]);
    b.loadStateDict(saved);
    expect(b.stateDict()).toEqual(a.stateDict());
    expect(b.forward(x).toFloat64Array()).toEqual(a.forward(x).toFloat64Array());
    b.parameters().forEach((p, i) => expect(p.value).toBe(tensorsBefore[i]));
  });
});

describe("nn layers: loss and optimizer input checks", () => {
  it("bceLoss takes [batch] probabilities only", () => {
    const p = tensor([[0.5, 0.5]]);
    expect(() => bceLoss(p, tensor([[1, 0]]))).toThrow(/^bceLoss: expected \[batch\], got shape \[1, 2\]$/);
  });
  it("SGD.loadState rejects an infinite learning rate", () => {
    const sgd = new SGD([], 0.1);
    expect(() => sgd.loadState({ lr: Infinity })).toThrow(/SGD.loadState: lr must be a positive number, got Infinity/);
  });
});

describe("nn layers in float32", () => {
  it("Linear, Conv1d and Conv2d take { dtype: \"float32\" }: float32 parameters, the float64 ones rounded (one seed, one model), float32 outputs", () => {
    const make = (dtype: "float64" | "float32") => {
      const random = new Random(3);
      return [new Linear(3, 2, { dtype, random }), new Conv1d(2, 3, 2, { dtype, random }), new Conv2d(2, 3, 2, 2, { dtype, random })] as const;
    };
    const [l64, c164, c264] = make("float64");
    const [l32, c132, c232] = make("float32");
    for (const [a, b] of [[l64, l32], [c164, c132], [c264, c232]] as const) {
      const p64 = a.parameters();
      const p32 = b.parameters();
      p32.forEach((p, i) => {
        expect(p.value.dtype).toBe("float32");
        expect(Array.from(p.value.toFloat64Array())).toEqual(Array.from(p64[i]!.value.toFloat64Array()).map(Math.fround));
      });
    }
    const on = { backend: FastBackend, dtype: "float32" } as const;
    const lin = new Linear(3, 2, on);
    expect(lin.forward(fromArray([1, 2, 3, 4, 5, 6], [2, 3], on)).dtype).toBe("float32");
    expect(new Conv1d(2, 3, 2, on).forward(zeros([1, 2, 5], on)).dtype).toBe("float32");
    expect(new Conv2d(2, 3, 2, 2, on).forward(zeros([1, 2, 4, 4], on)).dtype).toBe("float32");
  });

  it("a float64 input to a float32 layer is an error naming the op and both dtypes", () => {
    const lin = new Linear(2, 1, { dtype: "float32" });
    expect(() => lin.forward(tensor([[1, 2]]))).toThrow('MatMul: tensors have different dtypes (float64 and float32); convert one with t.to("float64") or t.to("float32")');
  });

  it("a layer's dtype other than float64 or float32 is refused naming the layer", () => {
    expect(() => new Linear(2, 1, { dtype: "float16" } as never)).toThrow('Linear: options.dtype must be "float64" or "float32", got "float16"');
    expect(() => new Conv2d(1, 1, 2, 2, { dtype: 32 } as never)).toThrow('Conv2d: options.dtype must be "float64" or "float32", got 32');
  });

  it("SGD steps a float32 model: a float32 Linear fit to y = 2x keeps its dtype and its loss falls", () => {
    const on = { backend: FastBackend, dtype: "float32" } as const;
    const lin = new Linear(1, 1, { ...on, random: new Random(1) });
    const x = fromArray([0, 0.25, 0.5, 0.75, 1], [5, 1], on);
    const y = x.mul(2);
    const opt = new SGD(lin.parameters(), 0.5);
    const loss = (): Tensor => lin.forward(x).sub(y).mul(lin.forward(x).sub(y)).mean();
    const first = loss().item();
    for (let i = 0; i < 50; i++) {
      opt.zeroGrad();
      loss().backward();
      opt.step();
    }
    expect(lin.weights.value.dtype).toBe("float32");
    expect(loss().item()).toBeLessThan(first / 100);
  });
});
