/**
 * PyTorch's everyday nn names (crossEntropy, Dropout, Sequential and the
 * activation modules, SGD's options, Adam, DataLoader), written once and
 * run on every backend: library.test.ts for the CPU backends,
 * gpuLibrary.test.ts for GpuBackend. It imports the built packages'
 * tensors (see tensor-core/test/backendSuite.ts).
 */
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Random, Scalar } from "@minitorch/autodiff";
import { getDefaultBackend, gradCheck, setDefaultBackend, tensor, type NestedArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { Adam, Dropout, Flatten, Linear, Parameter, ReLU, SGD, Sequential, Sigmoid, crossEntropy, logsoftmax, nllLoss } from "../src/index.js";
import { creationOn, float64, scaledRuns, type SuitePrecision } from "../../tensor-core/test/precision.js";
import { floatArray } from "./helpers.js";

export function describeNnLibrary(name: string, backend: TensorBackend, precision: SuitePrecision = float64): void {
  const on = creationOn(backend, precision);
  const t = (data: NestedArray, requiresGrad = false): Tensor => tensor(data, { ...on, requiresGrad });
  const runs = { numRuns: scaledRuns(20, precision) };
  const close = (got: number, want: number): void => expect(Math.abs(got - want)).toBeLessThanOrEqual(precision.forward * (1 + Math.abs(want)));
  const closeAll = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
    expect(got.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) close(got[i]!, want[i]!);
  };
  const grid = (values: number[]): number[] => values.map(precision.value);

  describe(`[${name}] crossEntropy`, () => {
    it(`[${name}] logits [[0,0]], target [0] → ln 2; [[1,2,3],[1,2,3]], targets [2,0] → 1.4076059644 and its gradient softmax − onehot over 2`, () => {
      close(crossEntropy(t([[0, 0]]), [0]).item(), Math.LN2);
      const x = t([[1, 2, 3], [1, 2, 3]], true);
      const loss = crossEntropy(x, t([2, 0]));
      expect(loss.shape).toEqual([1]);
      close(loss.item(), 1.4076059644);
      loss.backward();
      const s = [0.09003057317, 0.2447284711, 0.6652409558];
      closeAll(x.grad!.toFloat64Array(), [s[0]! / 2, s[1]! / 2, (s[2]! - 1) / 2, (s[0]! - 1) / 2, s[1]! / 2, s[2]! / 2]);
    });

    it(`[${name}] property: crossEntropy = −mean log softmax[target], unchanged by a shift per row; gradCheck`, () => {
      const cases = fc
        .record({ n: fc.integer({ min: 1, max: 4 }), c: fc.integer({ min: 2, max: 5 }) })
        .chain(({ n, c }) => fc.tuple(fc.constant([n, c]), floatArray(n * c, -4, 4).map(grid), fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n })));
      fc.assert(
        fc.property(cases, ([[n, c], values, targets]) => {
          const x = tensor(Array.from({ length: n! }, (_, i) => values.slice(i * c!, (i + 1) * c!)), on);
          let want = 0;
          for (let i = 0; i < n!; i++) {
            const row = values.slice(i * c!, (i + 1) * c!);
            const m = Math.max(...row);
            const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
            want += (lse - row[targets[i]!]!) / n!;
          }
          close(crossEntropy(x, targets).item(), want);
          close(crossEntropy(x.add(precision.value(3)), targets).item(), want);
          gradCheck((l) => crossEntropy(l, targets), x, precision.gradCheck);
        }),
        runs,
      );
    });

    it(`[${name}] crossEntropy: bad shapes and targets are named`, () => {
      expect(() => crossEntropy(t([1, 2]), [0])).toThrow("crossEntropy: logits must be [batch, classes], got shape [2]");
      expect(() => crossEntropy(t([[1, 2]]), [0, 1])).toThrow("crossEntropy: 2 targets for a batch of 1 logits rows");
      expect(() => crossEntropy(t([[1, 2]]), [2])).toThrow("crossEntropy: target 0 is 2, expected a class index in [0, 2)");
      expect(() => crossEntropy(t([[1, 2]]), [0.5])).toThrow("crossEntropy: target 0 is 0.5, expected a class index in [0, 2)");
      expect(() => crossEntropy(t([[1, 2]]), t([[0]]))).toThrow("crossEntropy: targets must be class indices of shape [1], got shape [1, 1]");
      expect(nllLoss(logsoftmax(t([[0, 0]]), 1), t([[1, 0]])).item()).toBeCloseTo(Math.LN2, 6);
    });
  });

  describe(`[${name}] Dropout, Sequential, activations`, () => {
    it(`[${name}] Sequential(Linear(2,1) with w=[1,2], b=3, ReLU): [[1,1],[−5,0]] → [[6],[0]]; named 0.weights; printed like torch`, () => {
      const model = new Sequential(new Linear(2, 1, on), new ReLU(), new Dropout(0.25));
      model.loadStateDict({ "0.weights": { shape: [2, 1], data: [1, 2] }, "0.bias": { shape: [1], data: [3] } });
      expect(model.namedParameters().map(([n]) => n)).toEqual(["0.weights", "0.bias"]);
      model.eval();
      expect(model.forward(t([[1, 1], [-5, 0]])).toArray()).toEqual([[6], [0]]);
      expect(String(model)).toBe("Sequential(\n  (0): Linear(in_features=2, out_features=1)\n  (1): ReLU()\n  (2): Dropout(p=0.25)\n)");
      expect(inspect(model)).toBe(String(model));
      expect(model.length).toBe(3);
      expect(model.at(-1)).toBeInstanceOf(Dropout);
    });

    it(`[${name}] train()/eval() reach Dropout: training zeroes about p and scales the rest by 1/(1−p); eval passes the input`, () => {
      const drop = new Dropout(0.5, { random: new Random(1) });
      const model = new Sequential(new Flatten(), drop);
      const x = t([Array.from({ length: 400 }, () => 3)]);
      const out = Array.from(model.forward(x).toFloat64Array());
      expect(out.every((v) => v === 0 || v === 6)).toBe(true);
      const zeroed = out.filter((v) => v === 0).length;
      expect(zeroed).toBeGreaterThan(150);
      expect(zeroed).toBeLessThan(250);
      model.eval();
      expect(drop.training).toBe(false);
      expect(model.forward(x).toFloat64Array()).toEqual(x.toFloat64Array());
      model.train();
      expect(drop.training).toBe(true);
      expect(new Dropout(1).forward(x).toFloat64Array().every((v) => v === 0)).toBe(true);
      expect(new Dropout(0).forward(x)).toBe(x);
    });

    it(`[${name}] property: a dropout output is 0 or x/(1−p); gradCheck of Dropout (fixed mask), Sigmoid and Sequential`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 9 }), floatArray(6, -2, 2).map(grid), fc.integer({ min: 0, max: 1000 }), (tenths, values, seed) => {
          const p = tenths / 10;
          const x = tensor([values.slice(0, 3), values.slice(3)], on);
          const out = new Dropout(p, { random: new Random(seed) }).forward(x).toFloat64Array();
          out.forEach((v, i) => expect(v === 0 || Math.abs(v - values[i]! / (1 - p)) <= precision.forward * (1 + Math.abs(v))).toBe(true));
          gradCheck((a) => new Dropout(p, { random: new Random(seed) }).forward(a).mul(a), x, precision.gradCheck);
          const net = new Sequential(new Linear(3, 2, { ...on, random: new Random(seed) }), new Sigmoid());
          gradCheck((a) => net.forward(a), x, precision.gradCheck);
        }),
        runs,
      );
    });

    it(`[${name}] setDefaultBackend: layers and tensors made afterwards live on it; it returns the previous one`, () => {
      const before = getDefaultBackend();
      const previous = setDefaultBackend(backend);
      try {
        expect(previous).toBe(before);
        expect(new Linear(2, 3).parameters().every((p) => p.value.backend === backend)).toBe(true);
        expect(tensor([1]).backend).toBe(backend);
      } finally {
        setDefaultBackend(before);
      }
      expect(() => setDefaultBackend("gpu" as unknown as TensorBackend)).toThrow("setDefaultBackend: expected a TensorBackend (SimpleBackend, FastBackend, …), got string");
    });

    it(`[${name}] Dropout and Sequential: bad arguments are named`, () => {
      expect(() => new Dropout(1.5)).toThrow("Dropout: p must be a number in [0, 1], got 1.5");
      expect(() => new Sequential(new ReLU(), 3 as unknown as ReLU)).toThrow("Sequential: argument 1 must be a Module, got number");
      expect(() => new Sequential(new ReLU()).at(1)).toThrow("Sequential.at: index must be an integer in [-1, 1), got 1");
    });
  });

  describe(`[${name}] SGD options and Adam`, () => {
    /** A parameter [value] whose every step sees gradient `grad`, and a function that gives it that gradient. */
    const fixedGrad = (value: number[], grad: number[]): [Parameter<Tensor>, () => void] => {
      const p = new Parameter(t(value));
      return [p, () => p.value.mul(t(grad)).sum().backward()];
    };
    const run = (opt: { step(): void }, give: () => void, steps: number): void => {
      for (let i = 0; i < steps; i++) {
        give();
        opt.step();
      }
    };

    it(`[${name}] SGD lr 0.1, momentum 0.9, gradient 1: 1 → 0.9 → 0.71 → 0.439; Nesterov: 1 → 0.81 → 0.539; weightDecay 0.5 at 2: → 1.8`, () => {
      const [p, give] = fixedGrad([1], [1]);
      const sgd = new SGD([p], 0.1, { momentum: 0.9 });
      const seen: number[] = [];
      for (let i = 0; i < 3; i++) {
        run(sgd, give, 1);
        seen.push(p.value.item());
      }
      closeAll(seen, [0.9, 0.71, 0.439]);
      const [q, giveQ] = fixedGrad([1], [1]);
      const nesterov = new SGD([q], 0.1, { momentum: 0.9, nesterov: true });
      run(nesterov, giveQ, 1);
      close(q.value.item(), 0.81);
      run(nesterov, giveQ, 1);
      close(q.value.item(), 0.539);
      const [r, giveR] = fixedGrad([2], [1]);
      run(new SGD([r], 0.1, { weightDecay: 0.5 }), giveR, 1);
      close(r.value.item(), 1.8);
    });

    it(`[${name}] Adam lr 0.1, gradient 2 each step: each step moves by 0.1·2/(2 + 1e−8); weightDecay 0.5 alone at 1 moves it to 0.9`, () => {
      const [p, give] = fixedGrad([1, -1], [2, -2]);
      const adam = new Adam([p], { lr: 0.1 });
      run(adam, give, 3);
      const step = (0.1 * 2) / (2 + 1e-8);
      closeAll(p.value.toFloat64Array(), [1 - 3 * step, -1 + 3 * step]);
      const [q, giveQ] = fixedGrad([1], [0]);
      run(new Adam([q], { lr: 0.1, weightDecay: 0.5 }), giveQ, 1);
      close(q.value.item(), 1 - (0.1 * 0.5) / (0.5 + 1e-8));
    });

    it(`[${name}] property: a tensor parameter and scalar parameters follow the same trajectory; momentum 0 is plain SGD`, () => {
      fc.assert(
        fc.property(floatArray(3, -2, 2).map(grid), floatArray(3, -2, 2).map(grid), fc.integer({ min: 1, max: 4 }), (start, grads, steps) => {
          const make = (kind: number): [{ step(): void }, Parameter<unknown>[]] => {
            const params: Parameter<unknown>[] = kind % 2 === 0 ? [new Parameter(t(start))] : start.map((v) => new Parameter(new Scalar(v)));
            const opt = kind < 2 ? new Adam(params, { lr: 0.05, betas: [0.8, 0.9], weightDecay: 0.1 }) : new SGD(params, 0.05, { momentum: 0.5, weightDecay: 0.1 });
            return [opt, params];
          };
          const give = (params: Parameter<unknown>[]): void => {
            if (params.length === 1) (params[0]!.value as Tensor).mul(t(grads)).sum().backward();
            else params.forEach((p, i) => (p.value as Scalar).mul(grads[i]!).backward());
          };
          const values = (params: Parameter<unknown>[]): number[] =>
            params.length === 1 ? Array.from((params[0]!.value as Tensor).toFloat64Array()) : params.map((p) => (p.value as Scalar).data);
          for (const pair of [[0, 1], [2, 3]]) {
            const [a, pa] = make(pair[0]!);
            const [b, pb] = make(pair[1]!);
            for (let i = 0; i < steps; i++) {
              give(pa);
              a.step();
              give(pb);
              b.step();
            }
            closeAll(values(pa), values(pb));
          }
          const [p1, g1] = fixedGrad(start, grads);
          const [p2, g2] = fixedGrad(start, grads);
          run(new SGD([p1], 0.05, { momentum: 0 }), g1, steps);
          run(new SGD([p2], 0.05), g2, steps);
          expect(p1.value.toFloat64Array()).toEqual(p2.value.toFloat64Array());
        }),
        runs,
      );
    });

    it(`[${name}] unknown and out-of-range options are errors naming the optimizer, the option and the known ones`, () => {
      const ps = [new Parameter(t([1]))];
      expect(() => new SGD(ps, 0.1, { momentun: 0.9 } as never)).toThrow('SGD: unknown option "momentun" (known: momentum, weightDecay, dampening, nesterov)');
      expect(() => new SGD(ps, 0.1, { momentum: -1 })).toThrow("SGD: momentum must be a number ≥ 0, got -1");
      expect(() => new SGD(ps, 0.1, { nesterov: true })).toThrow("SGD: nesterov needs momentum > 0 and dampening 0, got momentum 0 and dampening 0");
      expect(() => new SGD(ps, 0)).toThrow("SGD: lr must be a positive number, got 0");
      expect(() => new Adam(ps, { learningRate: 0.1 } as never)).toThrow('Adam: unknown option "learningRate" (known: lr, betas, eps, weightDecay)');
      expect(() => new Adam(ps, { betas: [0.9, 1] })).toThrow("Adam: betas[1] must be a number in [0, 1), got 1");
      expect(() => new Adam(ps, { betas: [0.9] as unknown as [number, number] })).toThrow("Adam: betas must be two numbers [beta1, beta2], got [0.9]");
      expect(() => new Adam(ps, { eps: -1 })).toThrow("Adam: eps must be a number ≥ 0, got -1");
      expect(() => new Adam(ps, { lr: NaN })).toThrow("Adam: lr must be a positive number, got NaN");
    });
  });
}
