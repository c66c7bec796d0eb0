/**
 * Task 2.4 of the backend suite: gradients, by hand first, then by
 * `gradCheck` (central differences) for every function, with broadcasting,
 * matmul, permute and view.
 */
import fc from "fast-check";
import { expect, it as vitestIt } from "vitest";
import { gradCheck, tensor, type NestedArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { oneArgFunctions, reduceFunctions, twoArgFunctions } from "./mathFunctions.js";
import { creationOn, float64, scaledRuns, type SuitePrecision } from "./precision.js";
import {
  broadcastInto,
  broadcastShape,
  gradValues,
  indicesOf,
  permutationOf,
  shapedTensors,
  tensors,
  tensorsOfShape,
} from "./tensorArbitraries.js";

const elements = (a: Tensor): number[] => Array.from(a.toFloat64Array());

/** True when `smooth` holds for every pair of elements that meet when `a` and `b` broadcast. */
function smoothEverywhere(a: Tensor, b: Tensor, smooth: ((x: number, y: number) => boolean) | undefined): boolean {
  if (smooth === undefined) return true;
  return indicesOf(broadcastShape(a.shape, b.shape)).every((ix) =>
    smooth(a.get(...broadcastInto(ix, a.shape)), b.get(...broadcastInto(ix, b.shape))),
  );
}

/** The gradient tests of the student's ops, or (`given`) those of given code: the error of a backward without a gradient. */
export function describeGradients(name: string, backend: TensorBackend, precision: SuitePrecision = float64, given = false): void {
  const testIn =
    (isGiven: boolean) =>
    (title: string, fn: () => void): void => {
      if (isGiven === given) vitestIt(title, fn);
    };
  const it = testIn(false);
  const givenIt = testIn(true);
  const on = creationOn(backend, precision);
  const t = (data: NestedArray, requiresGrad = false): Tensor => tensor(data, { ...on, requiresGrad });
  const runs = { numRuns: scaledRuns(25, precision) };
  const values = gradValues.map(precision.value);
  const check = precision.gradCheck;

  it(`[${name}] d/dx sum(x·x) at [1,2,3] = [2,4,6]; d/dx sum(x + x) = [2,2,2]: a tensor used twice accumulates`, () => {
    const x = t([1, 2, 3], true);
    x.mul(x).sum().backward();
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
    const y = t([1, 2, 3], true);
    y.add(y).sum().backward();
    expect(y.grad!.toArray()).toEqual([2, 2, 2]);
    expect(y.grad!.backend).toBe(backend);
    expect(y.grad!.dtype).toBe(on.dtype);
  });

  it(`[${name}] a second backward adds to grad (a new graph, or the same one kept by retainGraph); zeroGrad_ clears it`, () => {
    const x = t([1, -2], true);
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6]);
    const loss = x.mul(3).sum();
    loss.backward(undefined, { retainGraph: true });
    loss.backward();
    expect(x.grad!.toArray()).toEqual([12, 12]);
    expect(() => loss.backward()).toThrow(/^backward: trying to backward through the graph a second time \(through Sum\)/);
    expect(x.grad!.toArray()).toEqual([12, 12]);
    x.zeroGrad_();
    expect(x.grad).toBeNull();
  });

  it(`[${name}] backward(grad) on shape [3]: grad [1,2,3] gives 3·grad; grad [2] broadcasts`, () => {
    const x = t([1, 2, 3], true);
    x.mul(3).backward(t([1, 2, 3]));
    expect(x.grad!.toArray()).toEqual([3, 6, 9]);
    const y = t([1, 2, 3], true);
    y.mul(3).backward(t([2]));
    expect(y.grad!.toArray()).toEqual([6, 6, 6]);
  });

  givenIt(`[${name}] backward() on a non-scalar without a gradient is an error naming the shape`, () => {
    const x = t([[1, 2, 3]], true);
    expect(() => x.mul(2).backward()).toThrow(/backward: a gradient is needed for a tensor of shape \[1, 3\]/);
  });

  it(`[${name}] constants get no gradient; lt, gt, eq pass zero gradients`, () => {
    const x = t([1, 2, 3], true);
    const c = t([3, 2, 1]);
    x.mul(c).add(x.lt(c)).add(x.gt(c)).add(x.eq(c)).sum().backward();
    expect(x.grad!.toArray()).toEqual([3, 2, 1]);
    expect(c.grad).toBeNull();
  });

  it(`[${name}] gradients keep the input shapes: a [1] · b [1,2] gives grads [2] and [[1,1]]`, () => {
    const a = t([1], true);
    const b = t([[1, 1]], true);
    const c = a.mul(b).sum();
    c.backward();
    expect(c.shape).toEqual([1]);
    expect(a.grad!.shape).toEqual([1]);
    expect(a.grad!.toArray()).toEqual([2]);
    expect(b.grad!.toArray()).toEqual([[1, 1]]);
  });

  it(`[${name}] d/da, d/db of sum(a + b·2) for a [3,1], b [1,4]: [[4],[4],[4]] and [[6,6,6,6]]`, () => {
    const a = t([[1], [2], [3]], true);
    const b = t([[1, 2, 3, 4]], true);
    a.add(b.mul(2)).sum().backward();
    expect(a.grad!.toArray()).toEqual([[4], [4], [4]]);
    expect(b.grad!.toArray()).toEqual([[6, 6, 6, 6]]);
  });

  it(`[${name}] d/da, d/db of sum(a @ b) for [2,3]@[3,2]: row sums of b and column sums of a`, () => {
    const a = t([[1, 2, 3], [4, 5, 6]], true);
    const b = t([[1, 2], [3, 4], [5, 6]], true);
    a.matmul(b).sum().backward();
    expect(a.grad!.toArray()).toEqual([[3, 7, 11], [3, 7, 11]]);
    expect(b.grad!.toArray()).toEqual([[5, 5], [7, 7], [9, 9]]);
  });

  for (const { name: fn, fn: f, smooth } of oneArgFunctions) {
    it(`[${name}] gradCheck ${fn}`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          fc.pre(smooth === undefined || elements(a).every(smooth));
          gradCheck(f, a, check);
        }),
        runs,
      );
    });
  }

  for (const { name: fn, fn: f, smooth } of twoArgFunctions) {
    it(`[${name}] gradCheck ${fn}`, () => {
      fc.assert(
        fc.property(shapedTensors(2, on, values), ([a, b]) => {
          fc.pre(smoothEverywhere(a!, b!, smooth));
          gradCheck(f, a!, b!, check);
        }),
        runs,
      );
    });
  }

  for (const { name: fn, fn: f, smooth } of twoArgFunctions) {
    it(`[${name}] gradCheck ${fn} with broadcasting: [3,1]&[1,4], [2,3]&[3], [1]&[2,2], [2,1,3]&[4,3]`, () => {
      const pairs = fc.constantFrom<[number[], number[]]>([[3, 1], [1, 4]], [[2, 3], [3]], [[1], [2, 2]], [[2, 1, 3], [4, 3]]);
      const cases = pairs.chain(([sa, sb]) => fc.tuple(tensorsOfShape(1, sa, on, values), tensorsOfShape(1, sb, on, values)));
      fc.assert(
        fc.property(cases, ([[a], [b]]) => {
          fc.pre(smoothEverywhere(a!, b!, smooth) && smoothEverywhere(b!, a!, smooth));
          gradCheck(f, a!, b!, check);
          gradCheck(f, b!, a!, check);
        }),
        runs,
      );
    });
  }

  it(`[${name}] gradCheck of every two-argument function on (a.sum(0), b) and (a, b.sum(0))`, () => {
    const cases = fc.tuple(fc.constantFrom(...twoArgFunctions), shapedTensors(2, on, values));
    fc.assert(
      fc.property(cases, ([{ fn, smooth }, [a, b]]) => {
        const a0 = a!.sum(0);
        const b0 = b!.sum(0);
        fc.pre(smoothEverywhere(a0, b!, smooth) && smoothEverywhere(a!, b0, smooth));
        gradCheck(fn, a0, b!, check);
        gradCheck(fn, a!, b0, check);
      }),
      runs,
    );
  });

  for (const { name: fn, fn: f } of reduceFunctions) {
    it(`[${name}] gradCheck ${fn}`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          gradCheck(f, a, check);
        }),
        runs,
      );
    });
  }

  it(`[${name}] gradCheck sum(dim) and mean(dim) over any dimension`, () => {
    const cases = tensors(on, values).chain((a) => fc.tuple(fc.constant(a), fc.nat(a.dims - 1)));
    fc.assert(
      fc.property(cases, ([a, dim]) => {
        gradCheck((x) => x.sum(dim).mul(x.sum(dim)), a, check);
        gradCheck((x) => x.mean(dim), a, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradCheck matmul [2,3]@[3,4], [2,2,3]@[3,4], [3,2,4]@[1,4,2], [2,1,2,3]@[3,3,2]`, () => {
    const pairs = fc.constantFrom<[number[], number[]]>([[2, 3], [3, 4]], [[2, 2, 3], [3, 4]], [[3, 2, 4], [1, 4, 2]], [[2, 1, 2, 3], [3, 3, 2]]);
    const cases = pairs.chain(([sa, sb]) => fc.tuple(tensorsOfShape(1, sa, on, values), tensorsOfShape(1, sb, on, values)));
    fc.assert(
      fc.property(cases, ([[a], [b]]) => {
        gradCheck((x, y) => x.matmul(y), a!, b!, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradCheck matmul of random sizes, one operand transposed`, () => {
    const dim = fc.integer({ min: 1, max: 4 });
    const cases = fc.tuple(dim, dim, dim).chain(([m, k, n]) =>
      fc.tuple(tensorsOfShape(1, [k, m], on, values), tensorsOfShape(1, [k, n], on, values)),
    );
    fc.assert(
      fc.property(cases, ([[a], [b]]) => {
        gradCheck((x, y) => x.permute(1, 0).matmul(y), a!, b!, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradCheck permute by a random order`, () => {
    const cases = tensors(on, values).chain((a) => fc.tuple(fc.constant(a), permutationOf(a.dims)));
    fc.assert(
      fc.property(cases, ([a, order]) => {
        // Weights that differ per position make a wrongly routed gradient visible.
        const w = tensor(indicesOf(order.map((o) => a.shape[o]!)).map((_, i) => i + 1), on).view(...order.map((o) => a.shape[o]!));
        gradCheck((x) => x.permute(...order).mul(w), a, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradCheck view of contiguous(): view(size) and view(-1, 1)`, () => {
    fc.assert(
      fc.property(tensors(on, values), (a) => {
        const w = tensor(Array.from({ length: a.size }, (_, i) => i - 2), on);
        gradCheck((x) => x.contiguous().view(x.size).mul(w), a, check);
        gradCheck((x) => x.contiguous().view(-1, 1).mul(w.view(-1, 1)), a, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradCheck view followed by permute: a non-contiguous gradient reaches view's backward`, () => {
    const w = t([[1, 2], [3, 4], [5, 6]]);
    fc.assert(
      fc.property(tensors(on, values, [6]), (a) => {
        gradCheck((x) => x.view(2, 3).permute(1, 0).mul(w), a, check);
      }),
      runs,
    );
  });

  it(`[${name}] gradient of view [2,3] → [3,2] times [[1,2],[3,4],[5,6]] is [[1,2,3],[4,5,6]]`, () => {
    const x = t([[0, 0, 0], [0, 0, 0]], true);
    x.view(3, 2).mul(t([[1, 2], [3, 4], [5, 6]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });

  it(`[${name}] gradCheck detects a wrong gradient`, () => {
    // sum(x·x) differentiated as if it were sum(x): the central differences disagree.
    const a = t([1, 2, 3]);
    expect(() => gradCheck((x) => x.mul(x.detach()), a, check)).toThrow(/gradCheck: gradient of input 0 \(shape \[3\]\) at \[0\] is 1, central difference gives 2/);
  });
}
