import { describe, it, expect } from "vitest";
import { Random, manualSeed } from "@minitorch/autodiff";
import { FastBackend, poolStats, setThreads } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Conv2d, Linear, Module, avgpool2d, dropout, logsoftmax, nllLoss } from "../src/index.js";
import { backends, expectAgree } from "./helpers.js";

const BATCH = 4;
const CLASSES = 10;

/** The course's LeNet-shaped network for 28×28 digits (Task 4.5). */
class Network extends Module {
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly linear1: Linear;
  readonly linear2: Linear;

  constructor(backend: TensorBackend) {
    super();
    this.conv1 = new Conv2d(1, 4, 3, 3, { backend });
    this.conv2 = new Conv2d(4, 8, 3, 3, { backend });
    this.linear1 = new Linear(392, 64, { backend });
    this.linear2 = new Linear(64, CLASSES, { backend });
  }

  override forward(x: Tensor): Tensor {
    const h = this.conv2.forward(this.conv1.forward(x).relu()).relu();
    const pooled = avgpool2d(h, [4, 4]).view(x.shape[0]!, 392);
    const hidden = dropout(this.linear1.forward(pooled).relu(), 0.25, !this.training);
    return logsoftmax(this.linear2.forward(hidden), 1);
  }
}

/** The same network on `backend`, drawn from `seed`. */
function network(backend: TensorBackend, seed: number): Network {
  manualSeed(seed);
  return new Network(backend);
}

/** A batch of images with pixel values 0..255 (as the reference feeds MNIST) and one-hot labels. */
function batch(seed: number): { images: number[]; targets: number[] } {
  const random = new Random(seed);
  const images = Array.from({ length: BATCH * 28 * 28 }, () => 255 * random.random());
  const targets = new Array<number>(BATCH * CLASSES).fill(0);
  for (let n = 0; n < BATCH; n++) targets[n * CLASSES + random.int(CLASSES)] = 1;
  return { images, targets };
}

/** Forward and backward of one batch: the log-probabilities and every parameter's gradient by name. */
function run(model: Network, backend: TensorBackend, data: { images: number[]; targets: number[] }): { out: Float64Array; grads: Map<string, Float64Array> } {
  for (const p of model.parameters()) (p.value as Tensor).zeroGrad_();
  const out = model.forward(fromArray(data.images, [BATCH, 1, 28, 28], backend));
  nllLoss(out, fromArray(data.targets, [BATCH, CLASSES], backend)).backward();
  const grads = new Map<string, Float64Array>();
  for (const [name, p] of model.namedParameters()) {
    const grad = (p.value as Tensor).grad;
    if (grad === null) throw new Error(`no gradient for ${name}`);
    grads.set(name, grad.toFloat64Array());
  }
  return { out: out.toFloat64Array(), grads };
}

describe("nn lenet", () => {
  it("the fast model's backward runs on the worker pool", async () => {
    // With MINITORCH_THREADS=1 (or one core) there would be no workers to check.
    if (poolStats().threads < 2) setThreads(2);
    const model = network(FastBackend, 3).eval();
    const data = batch(2);
    const sleep = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));
    // A pass makes only a few parallel jobs, and the main thread takes
    // chunks too: while the workers boot, or when the machine is busy, it
    // can finish a job before a worker wakes. So try a few passes.
    let workerChunks = 0;
    for (let pass = 0; pass < 25 && workerChunks === 0; pass++) {
      const out = model.forward(fromArray(data.images, [BATCH, 1, 28, 28], FastBackend));
      const loss = nllLoss(out, fromArray(data.targets, [BATCH, CLASSES], FastBackend));
      const before = poolStats();
      loss.backward();
      const after = poolStats();
      expect(after.parallelJobs).toBeGreaterThan(before.parallelJobs);
      workerChunks = after.workerChunks - before.workerChunks;
      await sleep();
    }
    expect(workerChunks).toBeGreaterThan(0);
  });

  for (const [name, backend] of backends.slice(1)) {
    it(`SimpleBackend and ${name} agree on outputs and every gradient to 1e-10 of their magnitude (eval mode, seed 3)`, () => {
      const simple = network(SimpleBackend, 3).eval();
      const other = network(backend, 3).eval();
      expect(other.stateDict()).toEqual(simple.stateDict());

      // Runs after the worker test above, so the workers have booted and take part.
      const data = batch(2);
      const a = run(simple, SimpleBackend, data);
      const b = run(other, backend, data);

      expect(a.out.length).toBe(BATCH * CLASSES);
      expect(a.out.every(Number.isFinite)).toBe(true);
      // Each row is a log-distribution: its exponentials sum to 1.
      for (let n = 0; n < BATCH; n++) {
        const row = Array.from(a.out.subarray(n * CLASSES, (n + 1) * CLASSES));
        expect(row.reduce((s, x) => s + Math.exp(x), 0)).toBeCloseTo(1, 12);
      }
      expectAgree(b.out, a.out);

      expect([...b.grads.keys()]).toEqual([
        "conv1.weights",
        "conv1.bias",
        "conv2.weights",
        "conv2.bias",
        "linear1.weights",
        "linear1.bias",
        "linear2.weights",
        "linear2.bias",
      ]);
      for (const [param, grad] of a.grads) {
        expect(grad.some((g) => g !== 0), `${param} has a nonzero gradient`).toBe(true);
        expectAgree(b.grads.get(param)!, grad);
      }
    });
  }

  it("dropout is on in training mode and off in eval mode", () => {
    const model = network(SimpleBackend, 3);
    const data = batch(2);
    const x = fromArray(data.images, [BATCH, 1, 28, 28]);
    const evalOut = model.eval().forward(x).toFloat64Array();
    expect(model.forward(x).toFloat64Array()).toEqual(evalOut);
    manualSeed(9);
    expect(model.train().forward(x).toFloat64Array()).not.toEqual(evalOut);
  });
});
