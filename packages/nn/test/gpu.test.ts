/**
 * The nn functions of Tasks 4.3 and 4.4 on GpuBackend: forward values and
 * gradients agree with SimpleBackend to float32 precision, and a LeNet-shaped
 * network of nn's layers gives the same outputs and gradients on both.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random, manualSeed } from "@minitorch/autodiff";
import { SimpleBackend, fromArray, gradCheck, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { GpuBackend } from "@minitorch/gpu-ops";
import { Conv2d, Linear, argmax, avgpool2d, dropout, logsoftmax, max, maxpool2d, nllLoss, softmax, tile } from "../src/index.js";
import { describeGpu, float32 } from "../../gpu-ops/test/helpers.js";
import { expectClose } from "./helpers.js";

const runs = { numRuns: 10 };

/** Distinct values on a grid of 1/16 (no ties for max), in a random order. */
const distinct = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => (i - n / 2) / 16),
    { minLength: n, maxLength: n },
  );

const images = fc
  .record({ b: fc.integer({ min: 1, max: 2 }), c: fc.integer({ min: 1, max: 3 }), rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 3 }) })
  .chain((s) => fc.tuple(fc.constant([s.b, s.c, 2 * s.rows, 2 * s.cols]), distinct(s.b * s.c * 4 * s.rows * s.cols)));

/** op(x) and the gradient of sum(op(x) · weights) on `backend` (empty for argmax, which has none). */
function forwardAndGrad(op: (x: Tensor) => Tensor, values: number[], shape: readonly number[], backend: TensorBackend): [Float64Array, Float64Array] {
  const x = fromArray(values, shape, backend).requiresGrad_(true);
  const y = op(x);
  const weights = fromArray(
    Array.from({ length: y.size }, (_, i) => (i % 7) - 3),
    y.shape,
    backend,
  );
  const z = y.mul(weights).sum();
  if (z.requiresGrad()) z.backward();
  return [y.toFloat64Array(), x.grad?.toFloat64Array() ?? new Float64Array(0)];
}

function agrees(op: (x: Tensor) => Tensor, tolerance: number): void {
  fc.assert(
    fc.property(images, ([shape, values]) => {
      const [gy, gg] = forwardAndGrad(op, values, shape, GpuBackend);
      const [sy, sg] = forwardAndGrad(op, values, shape, SimpleBackend);
      expectClose(gy, sy, tolerance);
      expectClose(gg, sg, tolerance);
    }),
    runs,
  );
}

describeGpu("nn on GpuBackend", () => {
  describe("task4_3", () => {
    it("tile and avgpool2d agree with SimpleBackend, values and gradients", () => {
      agrees((x) => tile(x, [2, 2])[0], 0);
      agrees((x) => avgpool2d(x, [2, 2]), 1e-6);
      agrees((x) => avgpool2d(x, [1, 2]), 1e-6);
    });
  });

  describe("task4_4", () => {
    it("max, argmax and maxpool2d agree with SimpleBackend, values and gradients", () => {
      agrees((x) => max(x, 3), 0);
      agrees((x) => max(x, 1), 0);
      agrees((x) => argmax(x, 2), 0);
      agrees((x) => maxpool2d(x, [2, 2]), 0);
    });

    it("softmax and logsoftmax agree with SimpleBackend to float32 precision, values and gradients", () => {
      agrees((x) => softmax(x, 3), 1e-5);
      agrees((x) => logsoftmax(x, 1), 1e-5);
    });

    it("logsoftmax of ±1000 stays finite on float32", () => {
      const out = logsoftmax(fromArray([1000, -1000, 0, 999], [1, 4], GpuBackend), 1).toFloat64Array();
      expect(Array.from(out).every(Number.isFinite)).toBe(true);
      expectClose(out, [-Math.log(1 + Math.exp(-1)), -2000 - Math.log(1 + Math.exp(-1)), -1000 - Math.log(1 + Math.exp(-1)), -1 - Math.log(1 + Math.exp(-1))], 1e-5);
    });

    it("dropout with the same seed drops the same elements on both backends", () => {
      const values = Array.from({ length: 200 }, (_, i) => i / 16);
      const a = dropout(fromArray(values, [200], GpuBackend), 0.3, false, new Random(5)).toFloat64Array();
      const b = dropout(fromArray(values, [200], SimpleBackend), 0.3, false, new Random(5)).toFloat64Array();
      expect(a).toEqual(b);
      expect(a.filter((x) => x === 0).length).toBeGreaterThan(20);
    });

    it("gradCheck max and logsoftmax on GpuBackend at float32 tolerance", () => {
      const x = fromArray([0.5, -1.25, 2, 0.75, -0.5, 1.5], [2, 3], GpuBackend);
      gradCheck((t) => max(t, 1), x, float32.gradCheck);
      gradCheck((t) => logsoftmax(t, 1), x, float32.gradCheck);
    });
  });

  // nn's given layers end to end, not Task 4.5's networks (those are the apps'): no task tag.
  describe("a network of nn's layers", () => {
    it("a LeNet-shaped network gives the same log-probabilities and gradients on GpuBackend as on SimpleBackend", () => {
      const run = (backend: TensorBackend): Float64Array[] => {
        manualSeed(3);
        const conv = new Conv2d(1, 4, 3, 3, { backend });
        const linear = new Linear(4 * 7 * 7, 10, { backend });
        const random = new Random(2);
        const x = fromArray(
          Array.from({ length: 2 * 28 * 28 }, () => Math.round(255 * random.random())),
          [2, 1, 28, 28],
          backend,
        );
        const h = avgpool2d(conv.forward(x).relu(), [4, 4]).view(2, 4 * 7 * 7);
        const out = logsoftmax(linear.forward(h), 1);
        const targets = fromArray([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], [2, 10], backend);
        nllLoss(out, targets).backward();
        const params = [...conv.parameters(), ...linear.parameters()].map((p) => (p.value as Tensor).grad!.toFloat64Array());
        return [out.toFloat64Array(), ...params];
      };
      const gpu = run(GpuBackend);
      const simple = run(SimpleBackend);
      expect(gpu.length).toBe(simple.length);
      gpu.forEach((g, i) => expectClose(g, simple[i]!, 1e-4));
    });
  });
});
