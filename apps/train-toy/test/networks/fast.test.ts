/**
 * Task 3.5: the network on the fast backends — a layer by hand on the
 * parallel CPU backend and on the GPU, the same as the tensor network's
 * arithmetic, then training on the four toy sets from the CLI's defaults.
 */
import { Random } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { GpuBackend } from "@minitorch/gpu-ops";
import { SimpleBackend, tensor, type TensorBackend } from "@minitorch/tensor-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeGpu } from "../../../../packages/gpu-ops/test/helpers.js";
import { FastLinear, FastNetwork } from "../../src/networks/fast.js";
import { fastTrainer } from "../../src/networks/train.js";
import { TOY_TARGETS } from "./targets.js";

function layerWith(w: number[][], b: number[], backend: TensorBackend): FastLinear {
  const layer = new FastLinear(w.length, b.length, backend);
  layer.weights.update(tensor(w, { backend }));
  layer.bias.update(tensor(b, { backend }));
  return layer;
}

function byHand(backend: TensorBackend): void {
  const out = layerWith([[3, -1], [4, 0.5]], [5, 1], backend).forward(tensor([[1, 2], [0, 1]], { backend }));
  expect(out.shape).toEqual([2, 2]);
  expect(out.toArray()).toEqual([
    [16, 1],
    [9, 1.5],
  ]);
}

describe("task3_5", () => {
  it("FastLinear x=[[1, 2], [0, 1]] w=[[3, -1], [4, 0.5]] b=[5, 1] gives [[16, 1], [9, 1.5]] (fast)", () => byHand(FastBackend));

  it("FastNetwork on the fast backend equals the same network on SimpleBackend, for random weights and points", () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 20 }), (seed, hidden, batch) => {
        const fast = new FastNetwork(hidden, FastBackend, new Random(seed));
        const simple = new FastNetwork(hidden, SimpleBackend, new Random(seed));
        const points = Array.from({ length: batch }, (_, i) => [Math.sin(seed + i), Math.cos(seed * 3 + i)]);
        const a = fast.forward(tensor(points, { backend: FastBackend })).toFloat64Array();
        const b = simple.forward(tensor(points, { backend: SimpleBackend })).toFloat64Array();
        expect(a.length).toBe(batch);
        for (let k = 0; k < batch; k++) expect(a[k]).toBeCloseTo(b[k]!, 12);
      }),
      { numRuns: 30 },
    );
  });

  it("a batch step moves every weight against its gradient: the loss on that batch falls", () => {
    const random = new Random(3);
    const data = { N: 10, X: Array.from({ length: 10 }, (_, i): [number, number] => [i / 10, (i * 7) % 10 / 10]), y: Array.from({ length: 10 }, (_, i) => (i < 5 ? 1 : 0)) };
    const trainer = fastTrainer(data, { hidden: 6, lr: 0.5, random, backend: FastBackend, batchSize: 10 });
    const before = trainer.predict(data.X);
    trainer.epoch();
    const after = trainer.predict(data.X);
    const loss = (p: number[]): number => -p.reduce((s, q, i) => s + Math.log(data.y[i] === 1 ? q : 1 - q), 0);
    expect(loss(after)).toBeLessThan(loss(before));
  });

  it.each(TOY_TARGETS)("trains %s (50 points) to the guide's accuracy from the defaults (fast)", (_name, make, target) => {
    const random = new Random(0);
    const data = make(50, random);
    const trainer = fastTrainer(data, { hidden: 10, lr: 0.05, random, backend: FastBackend });
    let correct = 0;
    for (let epoch = 0; epoch < 500; epoch++) correct = trainer.epoch().correct;
    expect(correct / data.N).toBeGreaterThanOrEqual(target);
  });

  describeGpu("on the GPU", () => {
    it("FastLinear by hand (gpu)", () => byHand(GpuBackend));

    it("trains as the fast backend does, epoch by epoch, within float32's rounding (split, 15 epochs)", () => {
      const make = (backend: TensorBackend): ReturnType<typeof fastTrainer> => {
        const random = new Random(0);
        return fastTrainer(TOY_TARGETS[2]![1](50, random), { hidden: 10, lr: 0.05, random, backend });
      };
      const [cpu, gpu] = [make(FastBackend), make(GpuBackend)];
      for (let epoch = 1; epoch <= 15; epoch++) {
        const [a, b] = [cpu.epoch().loss, gpu.epoch().loss];
        expect(Math.abs(b - a) / a, `epoch ${epoch}: fast ${a}, gpu ${b}`).toBeLessThan(1e-4);
      }
    });
  });
});
