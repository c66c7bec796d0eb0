/**
 * Task 2.3 of the backend suite: forward results of every tensor operation,
 * hand-computed first, then against the scalar operators elementwise on
 * random, usually non-contiguous tensors.
 */
import fc from "fast-check";
import { expect, it as vitestIt } from "vitest";
import { Tensor, fromArray, rand, tensor, zeros, type TensorBackend } from "@minitorch/tensor-core";
import { oneArgFunctions, reduceFunctions, twoArgFunctions } from "./mathFunctions.js";
import { creationOn, float64, scaledRuns, type SuitePrecision } from "./precision.js";
import {
  broadcastInto,
  broadcastShape,
  broadcastTensors,
  expectTensor as expectTensorWithin,
  forwardValues,
  indicesOf,
  naiveMatmul,
  permutationOf,
  shapedTensors,
  shapes,
  tensors,
  tensorsOfShape,
} from "./tensorArbitraries.js";

/** The elements of `t` along `dim` at every other coordinate of `index`. */
function along(t: Tensor, index: readonly number[], dim: number): number[] {
  return Array.from({ length: t.shape[dim]! }, (_, i) => t.get(...index.map((x, d) => (d === dim ? i : x))));
}

/**
 * The parts of the forward suite, each registered under its own tag by
 * backendSuite.ts: map/zip/reduce and layouts, matmul, and the given code
 * (tensor creation and reading out), which passes whatever the student wrote.
 */
export type ForwardPart = "elementwise" | "matmul" | "given";

export function describeForward(name: string, backend: TensorBackend, precision: SuitePrecision = float64, part: ForwardPart = "elementwise"): void {
  const testIn =
    (kind: ForwardPart) =>
    (title: string, fn: () => void): void => {
      if (kind === part) vitestIt(title, fn);
    };
  const it = testIn("elementwise");
  const matmulIt = testIn("matmul");
  const givenIt = testIn("given");
  const on = creationOn(backend, precision);
  const t = (data: Parameters<typeof tensor>[0]): Tensor => tensor(data, on);
  const runs = { numRuns: scaledRuns(50, precision) };
  const values = forwardValues.map(precision.value);
  const expectTensor = (x: Tensor, shape: readonly number[], expected: (index: number[]) => number): void =>
    expectTensorWithin(x, shape, expected, precision.forward);

  it(`[${name}] add [[1,2],[3,4]] + [[10,20],[30,40]] = [[11,22],[33,44]]`, () => {
    const out = t([[1, 2], [3, 4]]).add(t([[10, 20], [30, 40]]));
    expect(out.toArray()).toEqual([[11, 22], [33, 44]]);
    expect(out.backend).toBe(backend);
  });

  it(`[${name}] mul [1,2,3]·[4,5,6] = [4,10,18], sub = [−3,−3,−3], div [1,2]/[4,8] = [0.25,0.25]`, () => {
    expect(t([1, 2, 3]).mul(t([4, 5, 6])).toArray()).toEqual([4, 10, 18]);
    expect(t([1, 2, 3]).sub(t([4, 5, 6])).toArray()).toEqual([-3, -3, -3]);
    expect(t([1, 2]).div(t([4, 8])).toArray()).toEqual([0.25, 0.25]);
  });

  it(`[${name}] numbers as operands: [1,2] + 1 = [2,3], ·2 = [2,4], − 1 = [0,1], / 2 = [0.5,1]`, () => {
    const a = t([1, 2]);
    expect(a.add(1).toArray()).toEqual([2, 3]);
    expect(a.mul(2).toArray()).toEqual([2, 4]);
    expect(a.sub(1).toArray()).toEqual([0, 1]);
    expect(a.div(2).toArray()).toEqual([0.5, 1]);
  });

  it(`[${name}] neg, relu, inv, exp, log, sigmoid by hand`, () => {
    expect(t([-1, 0.5, 2]).neg().toArray()).toEqual([1, -0.5, -2]);
    expect(t([-1, 0.5, 2]).relu().toArray()).toEqual([0, 0.5, 2]);
    expect(t([2, 4, -0.5]).inv().toArray()).toEqual([0.5, 0.25, -2]);
    expectTensor(t([0, 1, 2]).exp(), [3], ([i]) => Math.exp(i!));
    expectTensor(t([1, Math.E, Math.E ** 2]).log(), [3], ([i]) => i!);
    expectTensor(t([0, -1000, 1000]).sigmoid(), [3], ([i]) => [0.5, 0, 1][i!]!);
  });

  it(`[${name}] lt, gt, eq of [1,2,3] and [2,2,2]: [1,0,0], [0,0,1], [0,1,0]`, () => {
    const a = t([1, 2, 3]);
    const b = t([2, 2, 2]);
    expect(a.lt(b).toArray()).toEqual([1, 0, 0]);
    expect(a.gt(b).toArray()).toEqual([0, 0, 1]);
    expect(a.eq(b).toArray()).toEqual([0, 1, 0]);
    expect(a.lt(2).toArray()).toEqual([1, 0, 0]);
    expect(a.gt(2).toArray()).toEqual([0, 0, 1]);
    expect(a.eq(2).toArray()).toEqual([0, 1, 0]);
  });

  it(`[${name}] NaN as in PyTorch: relu(NaN) = NaN; lt, gt, eq with NaN are 0; a max reduce holding NaN is NaN wherever it sits`, () => {
    expect(t([NaN, -1, 2]).relu().toArray()).toEqual([NaN, 0, 2]);
    expect(t([NaN, -1]).sigmoid().toFloat64Array()[0]).toBeNaN();
    const n = t([NaN, NaN, 1]);
    const m = t([1, NaN, 1]);
    expect(n.lt(m).toArray()).toEqual([0, 0, 0]);
    expect(n.gt(m).toArray()).toEqual([0, 0, 0]);
    expect(n.eq(m).toArray()).toEqual([0, 0, 1]);
    const rows = t([[NaN, 1, 2], [1, NaN, 2], [1, 2, NaN], [1, 3, 2]]);
    expect(backend.maxReduce(rows, 1).toArray()).toEqual([[NaN], [NaN], [NaN], [3]]);
    expect(backend.maxReduce(rows, 0).toArray()).toEqual([[NaN, NaN, NaN]]);
    // sameValue finds a NaN maximum again in its input (eq does not).
    expect(backend.sameValueZip(backend.maxReduce(rows, 1), rows).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]]);
    expect(backend.reluBackZip(t([NaN, -1, 2]), t([5, 5, 5])).toArray()).toEqual([5, 0, 5]);
  });

  it(`[${name}] a max reduce of 20,000 rows (parallel where the backend is) is NaN exactly in the rows holding one`, () => {
    const values = new Float64Array(20_000 * 8).map((_, i) => (i * 7919) % 1000);
    for (let r = 0; r < 20_000; r += 3) values[r * 8 + (r % 8)] = NaN;
    const out = backend.maxReduce(fromArray(values, [20_000, 8], on), 1).toFloat64Array();
    for (let r = 0; r < 20_000; r++) {
      if (r % 3 === 0) expect(out[r]).toBeNaN();
      else expect(out[r]).toBe(Math.max(...values.subarray(r * 8, r * 8 + 8)));
    }
  });

  for (const { name: fn, base, fn: f } of oneArgFunctions) {
    it(`[${name}] ${fn} matches the scalar operators elementwise`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          expectTensor(f(a), a.shape, (ix) => base(a.get(...ix)));
        }),
        runs,
      );
    });
  }

  for (const { name: fn, base, fn: f } of twoArgFunctions) {
    it(`[${name}] ${fn} matches the scalar operators elementwise`, () => {
      fc.assert(
        fc.property(shapedTensors(2, on, values), ([a, b]) => {
          expectTensor(f(a!, b!), a!.shape, (ix) => base(a!.get(...ix), b!.get(...ix)));
        }),
        runs,
      );
    });
  }

  for (const { name: fn, base, fn: f, dim } of reduceFunctions) {
    it(`[${name}] ${fn} matches the scalar operators`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          if (dim === undefined) {
            expectTensor(f(a), [1], () => base(indicesOf(a.shape).map((ix) => a.get(...ix))));
          } else {
            const shape = a.shape.map((s, d) => (d === dim ? 1 : s));
            expectTensor(f(a), shape, (ix) => base(along(a, ix, dim)));
          }
        }),
        runs,
      );
    });
  }

  it(`[${name}] broadcasting add [3,1] + [1,4] gives [3,4] with out[i][j] = a[i] + b[j]`, () => {
    const a = t([[0], [10], [20]]);
    const b = t([[1, 2, 3, 4]]);
    expectTensor(a.add(b), [3, 4], ([i, j]) => 10 * i! + j! + 1);
    expectTensor(b.add(a), [3, 4], ([i, j]) => 10 * i! + j! + 1);
  });

  it(`[${name}] broadcasting mul [2,3]·[3] and [2,1,3]·[4,3] give [2,3] and [2,4,3]`, () => {
    expect(t([[1, 2, 3], [4, 5, 6]]).mul(t([1, 10, 100])).toArray()).toEqual([[1, 20, 300], [4, 50, 600]]);
    const c = t([[[1, 2, 3]], [[4, 5, 6]]]).mul(t([[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]]));
    expectTensor(c, [2, 4, 3], ([i, j, k]) => (3 * i! + k! + 1) * (j! + 1));
  });

  it(`[${name}] every two-argument function broadcasts: out[i] = f(a[i broadcast], b[i broadcast])`, () => {
    const cases = fc.tuple(fc.constantFrom(...twoArgFunctions), broadcastTensors(on, values));
    fc.assert(
      fc.property(cases, ([{ base, fn }, [a, b]]) => {
        const shape = broadcastShape(a.shape, b.shape);
        expectTensor(fn(a, b), shape, (ix) => base(a.get(...broadcastInto(ix, a.shape)), b.get(...broadcastInto(ix, b.shape))));
      }),
      runs,
    );
  });

  matmulIt(`[${name}] matmul [2,3]@[3,4] by hand`, () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    const b = t([[1, 0, 0, 1], [0, 1, 0, 1], [0, 0, 1, 1]]);
    const c = a.matmul(b);
    expect(c.toArray()).toEqual([[1, 2, 3, 6], [4, 5, 6, 15]]);
    expect(c.backend).toBe(backend);
    expect(t([[3]]).matmul(t([[-2]])).toArray()).toEqual([[-6]]);
  });

  matmulIt(`[${name}] matmul of a transposed (permuted) [3,2] view: aᵀ@a = [[17,22,27],[22,29,36],[27,36,45]]`, () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    expect(a.permute(1, 0).matmul(a).toArray()).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
    expect(a.matmul(a.permute(1, 0)).toArray()).toEqual([[14, 32], [32, 77]]);
  });

  matmulIt(`[${name}] batched matmul [2,2,2]@[2,2] broadcasts the right operand over the batch`, () => {
    const a = t([[[1, 0], [0, 1]], [[2, 0], [0, 3]]]);
    const b = t([[1, 2], [3, 4]]);
    expect(a.matmul(b).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 4], [9, 12]]]);
    expect(b.matmul(a).toArray()).toEqual([[[1, 2], [3, 4]], [[2, 6], [6, 12]]]);
  });

  matmulIt(`[${name}] matmul with broadcast batch dimensions matches a naive loop`, () => {
    const dim = fc.integer({ min: 1, max: 5 });
    const batchPair = fc.constantFrom<[number[], number[]]>([[], []], [[3], []], [[], [2]], [[2], [2]], [[2, 1], [3]], [[1], [4]], [[2, 3], [1, 3]]);
    const cases = fc.tuple(dim, dim, dim, batchPair).chain(([m, k, n, [ba, bb]]) =>
      fc.tuple(tensorsOfShape(1, [...ba, m, k], on, values), tensorsOfShape(1, [...bb, k, n], on, values)),
    );
    fc.assert(
      fc.property(cases, ([[a], [b]]) => {
        const expected = naiveMatmul(a!, b!);
        expectTensor(a!.matmul(b!), expected.shape, expected.at);
      }),
      runs,
    );
  });

  matmulIt(`[${name}] [D,A,B]@[1,B,C] equals (a.view(D,A,B,1)·b.view(1,1,B,C)).sum(2)`, () => {
    const small = fc.integer({ min: 2, max: 4 });
    const cases = fc.tuple(small, small, small, small).chain(([d, a, b, c]) =>
      fc.tuple(tensorsOfShape(1, [d, a, b], on, values), tensorsOfShape(1, [1, b, c], on, values)),
    );
    fc.assert(
      fc.property(cases, ([[x], [y]]) => {
        const [d, a, b] = x!.shape as [number, number, number];
        const c = y!.shape[2]!;
        const viaMul = x!.contiguous().view(d, a, b, 1).mul(y!.contiguous().view(1, 1, b, c)).sum(2).view(d, a, c);
        const out = x!.matmul(y!);
        expectTensor(out, [d, a, c], (ix) => viaMul.get(...ix));
      }),
      runs,
    );
  });

  it(`[${name}] view [2,3] → [6] → [1,6] → [6,1] → [2,3] keeps the elements; -1 is inferred`, () => {
    const a = t([[2, 3, 4], [4, 5, 7]]);
    let v = a.view(6);
    expect(v.shape).toEqual([6]);
    v = v.view(1, 6);
    expect(v.shape).toEqual([1, 6]);
    v = v.view(6, 1);
    expect(v.shape).toEqual([6, 1]);
    v = v.view(2, 3);
    expect(a.isClose(v).all().item()).toBe(1);
    expect(a.view(3, -1).toArray()).toEqual([[2, 3], [4, 4], [5, 7]]);
    expect(a.view(6).storage).toBe(a.storage);
  });

  it(`[${name}] permute [2,3] by (1,0) reads transposed; contiguous() copies into row-major order`, () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    const p = a.permute(1, 0);
    expect(p.shape).toEqual([3, 2]);
    expect(p.get(2, 1)).toBe(6);
    expect(p.isContiguous()).toBe(false);
    const c = p.contiguous();
    expect(c.isContiguous()).toBe(true);
    expect(c.backend).toBe(backend);
    expect(Array.from(c.toFloat64Array())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(c.view(6).toArray()).toEqual([1, 4, 2, 5, 3, 6]);
    expect(a.contiguous().storage).toBe(a.storage);
  });

  it(`[${name}] contiguous() keeps every element of a random permuted tensor`, () => {
    const cases = tensors(on, values).chain((a) => fc.tuple(fc.constant(a), permutationOf(a.dims)));
    fc.assert(
      fc.property(cases, ([a, order]) => {
        const p = a.permute(...order);
        expect(p.shape).toEqual(order.map((o) => a.shape[o]));
        const c = p.contiguous();
        expect(c.isContiguous()).toBe(true);
        expect(c.toArray()).toEqual(p.toArray());
        for (const ix of indicesOf(p.shape)) expect(c.get(...ix)).toBe(a.get(...order.map((_, d) => ix[order.indexOf(d)]!)));
      }),
      runs,
    );
  });

  it(`[${name}] sum/mean of [[2,3],[4,6],[5,7]]: sum(0) = [[11,16]], sum(1) = [[5],[10],[12]], sum() = [27], mean() = [4.5]`, () => {
    const a = t([[2, 3], [4, 6], [5, 7]]);
    expect(a.sum(0).toArray()).toEqual([[11, 16]]);
    expect(a.sum(1).toArray()).toEqual([[5], [10], [12]]);
    expect(a.sum().toArray()).toEqual([27]);
    expect(a.sum().shape).toEqual([1]);
    expectTensor(a.mean(0), [1, 2], ([, j]) => [11 / 3, 16 / 3][j!]!);
    expect(a.mean(1).toArray()).toEqual([[2.5], [5], [6]]);
    expectTensor(a.mean(), [1], () => 4.5);
    expect(a.permute(1, 0).sum(1).toArray()).toEqual([[11], [16]]);
  });

  it(`[${name}] all of [[1,1],[1,0]]: all() = [0], all(0) = [[1,0]], all(1) = [[1],[0]]`, () => {
    const a = t([[1, 1], [1, 0]]);
    expect(a.all().toArray()).toEqual([0]);
    expect(a.all(0).toArray()).toEqual([[1, 0]]);
    expect(a.all(1).toArray()).toEqual([[1], [0]]);
    expect(t([[1, 1], [1, 1]]).all().item()).toBe(1);
  });

  it(`[${name}] sum and mean over any dimension match a loop`, () => {
    const cases = tensors(on, values).chain((a) => fc.tuple(fc.constant(a), fc.nat(a.dims - 1)));
    fc.assert(
      fc.property(cases, ([a, dim]) => {
        const shape = a.shape.map((s, d) => (d === dim ? 1 : s));
        const sum = (ix: number[]): number => along(a, ix, dim).reduce((x, y) => x + y, 0);
        expectTensor(a.sum(dim), shape, sum);
        expectTensor(a.mean(dim), shape, (ix) => sum(ix) / a.shape[dim]!);
      }),
      runs,
    );
  });

  givenIt(`[${name}] toArray nests by shape; a 0-d tensor gives a number; toFloat64Array is a row-major copy`, () => {
    const a = t([[1, 2, 3], [4, 5, 6]]);
    expect(a.permute(1, 0).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(t(7).toArray()).toBe(7);
    const flat = a.permute(1, 0).toFloat64Array();
    expect(flat).toBeInstanceOf(Float64Array);
    expect(Array.from(flat)).toEqual([1, 4, 2, 5, 3, 6]);
    flat[0] = 100;
    expect(a.get(0, 0)).toBe(1);
  });

  givenIt(`[${name}] zeros, rand and fromArray make tensors on this backend`, () => {
    const z = zeros([2, 3], on);
    expect(z.backend).toBe(backend);
    expect(Array.from(z.toFloat64Array())).toEqual([0, 0, 0, 0, 0, 0]);
    const r = rand([4, 5], on);
    expect(r.backend).toBe(backend);
    expect(r.toFloat64Array().every((x) => x >= 0 && x < 1)).toBe(true);
    expect(fromArray([1, 2, 3, 4], [2, 2], on).toArray()).toEqual([[1, 2], [3, 4]]);
  });

  it(`[${name}] a map into a given non-contiguous out tensor broadcasts into it and follows its strides`, () => {
    const out = zeros([3, 2], on).permute(1, 0);
    const result = backend.negMap(t([1, 2, 3]), out);
    expect(result.toArray()).toEqual([[-1, -2, -3], [-1, -2, -3]]);
    expect(Array.from(out.storage)).toEqual([-1, -1, -2, -2, -3, -3]);
  });

  it(`[${name}] sum(), mean() and all() of a strided view over a larger storage read only the view`, () => {
    const storage = backend.ops.zeros(10, on.dtype);
    storage.set([1, 2, 100, 100, 3, 4, 100, 100, 100, 100]);
    const v = Tensor.fromStorage(storage, [2, 2], [4, 1], backend);
    expect(v.sum().toArray()).toEqual([10]);
    expect(v.mean().toArray()).toEqual([2.5]);
    expect(v.sum(1).toArray()).toEqual([[3], [7]]);
    expect(v.eq(100).all().item()).toBe(0);
  });

  it(`[${name}] results of every operation stay on this backend, in the inputs' dtype (${on.dtype})`, () => {
    const storageType = on.dtype === "float32" ? Float32Array : Float64Array;
    fc.assert(
      fc.property(shapes, (shape) => {
        const a = rand(shape, on);
        expect(a.dtype).toBe(on.dtype);
        const m = a.view(a.size, 1);
        const outs = [
          a.neg(), a.add(a), a.mul(2), a.sub(1), a.div(a.add(1)), a.sum(0), a.sum(), a.mean(), a.lt(a), a.eq(a), a.exp(), a.log(), a.sigmoid(), a.relu(),
          a.contiguous(), a.permute(...a.shape.map((_, i) => a.dims - 1 - i)), m.matmul(m.permute(1, 0)), a.all(),
        ];
        for (const o of outs) {
          expect(o.backend).toBe(backend);
          expect(o.dtype).toBe(on.dtype);
          expect(o.storage).toBeInstanceOf(storageType);
        }
      }),
      { numRuns: 10 },
    );
  });

  it(`[${name}] mixing dtypes in one op is an error naming the op and both dtypes; t.to(dtype) converts`, () => {
    const otherDtype = on.dtype === "float32" ? "float64" : "float32";
    const a = t([1, 2]);
    const b = tensor([3, 4], { backend, dtype: otherDtype });
    const message = `tensors have different dtypes (${on.dtype} and ${otherDtype}); convert one with t.to("${on.dtype}") or t.to("${otherDtype}")`;
    expect(() => a.add(b)).toThrow(`add: ${message}`);
    expect(() => a.mul(b)).toThrow(`mul: ${message}`);
    expect(() => a.view(1, 2).matmul(b.view(2, 1))).toThrow(`MatMul: ${message}`);
    const c = a.add(b.to(on.dtype!));
    expect(c.dtype).toBe(on.dtype);
    expect(c.toArray()).toEqual([4, 6]);
  });
}
