/**
 * The Kim-2014 sentence CNN of Task 4.5 (three conv1d widths over permuted
 * embeddings, ReLU, max over time, linear, sigmoid, BCE) on every backend:
 * its outputs and gradients — the input's included — agree with
 * SimpleBackend's to 1e-10 of their magnitude.
 */
import { describe, expect, it } from "vitest";
import { Random, manualSeed } from "@minitorch/autodiff";
import { SimpleBackend, fromArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Conv1d, Linear, Module, bceLoss, max } from "../src/index.js";
import { backends, expectAgree } from "./helpers.js";

const [BATCH, LENGTH, DIM, FEATURES] = [3, 19, 12, 10];

class Network extends Module {
  readonly convs: Conv1d[];
  readonly linear: Linear;

  constructor(backend: TensorBackend) {
    super();
    this.convs = [3, 4, 5].map((k) => new Conv1d(DIM, FEATURES, k, { backend }));
    this.linear = new Linear(FEATURES, 1, { backend });
  }

  override forward(embeddings: Tensor): Tensor {
    const x = embeddings.permute(0, 2, 1);
    const pooled = this.convs.map((c) => max(c.forward(x).relu(), 2)).reduce((a, b) => a.add(b));
    return this.linear.forward(pooled.view(BATCH, FEATURES)).sigmoid().view(BATCH);
  }
}

/** Forward and backward of one batch: probabilities, the input's gradient and every parameter's. */
function run(backend: TensorBackend): { out: Float64Array; grads: Map<string, Float64Array> } {
  manualSeed(4);
  const model = new Network(backend);
  const random = new Random(8);
  const x = fromArray(
    Array.from({ length: BATCH * LENGTH * DIM }, () => random.random() - 0.5),
    [BATCH, LENGTH, DIM],
    backend,
  ).requiresGrad_(true);
  const out = model.forward(x);
  bceLoss(out, fromArray([1, 0, 1], [BATCH], backend)).backward();
  const grads = new Map<string, Float64Array>([["input", x.grad!.toFloat64Array()]]);
  for (const [name, p] of model.namedParameters()) grads.set(name, (p.value as Tensor).grad!.toFloat64Array());
  return { out: out.toFloat64Array(), grads };
}

describe("nn kim", () => {
  let computed: ReturnType<typeof run> | undefined;

  for (const [name, backend] of backends.slice(1)) {
    it(`SimpleBackend and ${name} agree on outputs and every gradient to 1e-10 of their magnitude`, () => {
      const reference = (computed ??= run(SimpleBackend));
      const got = run(backend);
      expectAgree(got.out, reference.out);
      expect([...got.grads.keys()]).toEqual([...reference.grads.keys()]);
      for (const [param, grad] of reference.grads) {
        expect(grad.some((g) => g !== 0), `${param} has a nonzero gradient`).toBe(true);
        expectAgree(got.grads.get(param)!, grad);
      }
    });
  }
});
