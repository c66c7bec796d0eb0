/**
 * PyTorch's shape functions (join.ts and the Tensor methods narrow,
 * reshape, transpose, to) and noGrad, written once and run over every
 * backend like the Module 2 suite (see backendSuite.ts: it imports the
 * built package). `other` is a second backend for `to`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { noGrad } from "@minitorch/autodiff";
import { cat, gradCheck, stack, tensor, type CreateOptions, type NestedArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { creationOn, float64, scaledRuns, type SuitePrecision } from "./precision.js";
import { gradValues, indicesOf, tensors } from "./tensorArbitraries.js";

const rowMajor = (t: Tensor): number[] => Array.from(t.toFloat64Array());

/** A tensor, a dimension of it and a valid [start, start + length) range of that dimension. */
const narrowCases = (on: CreateOptions, values: fc.Arbitrary<number>): fc.Arbitrary<[Tensor, number, number, number]> =>
  tensors(on, values).chain((t) =>
    fc.integer({ min: 0, max: t.dims - 1 }).chain((dim) =>
      fc
        .integer({ min: 0, max: t.shape[dim]! })
        .chain((start) => fc.integer({ min: 0, max: t.shape[dim]! - start }).map((length) => [t, dim, start, length] as [Tensor, number, number, number])),
    ),
  );

export function describeShapeSuite(name: string, backend: TensorBackend, other: TensorBackend, precision: SuitePrecision = float64): void {
  const on = creationOn(backend, precision);
  const t = (data: NestedArray, requiresGrad = false): Tensor => tensor(data, { ...on, requiresGrad });
  const runs = { numRuns: scaledRuns(30, precision) };
  const values = gradValues.map(precision.value);
  const check = precision.gradCheck;

  describe(`[${name}] narrow`, () => {
    it(`[${name}] narrow([[1,2,3],[4,5,6]], 1, 1, 2) = [[2,3],[5,6]]; (0, -1, 1) = [[4,5,6]]`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]]);
      expect(a.narrow(1, 1, 2).toArray()).toEqual([[2, 3], [5, 6]]);
      expect(a.narrow(0, -1, 1).toArray()).toEqual([[4, 5, 6]]);
      expect(a.narrow(-1, 3, 0).shape).toEqual([2, 0]);
    });

    it(`[${name}] narrow is a view: a write through it is seen by the source`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]]);
      const v = a.narrow(0, 1, 1);
      v.set([0, 2], 60);
      expect(a.get(1, 2)).toBe(60);
      expect(v.storage.buffer).toBe(a.storage.buffer);
    });

    it(`[${name}] d/da sum(narrow(a, 1, 1, 2) · [10, 20]) = [[0,10,20],[0,10,20]]`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]], true);
      a.narrow(1, 1, 2).mul(t([10, 20])).sum().backward();
      expect(a.grad!.toArray()).toEqual([[0, 10, 20], [0, 10, 20]]);
    });

    it(`[${name}] property: narrow matches indexing; gradCheck`, () => {
      fc.assert(
        fc.property(narrowCases(on, values), ([a, dim, start, length]) => {
          const v = a.narrow(dim, start, length);
          for (const ix of indicesOf(v.shape)) expect(v.get(...ix)).toBe(a.get(...ix.map((x, d) => (d === dim ? x + start : x))));
          if (length > 0) gradCheck((x) => x.narrow(dim, start, length).mul(x.narrow(dim, start, length)), a, check);
        }),
        runs,
      );
    });

    it(`[${name}] narrow: bad dim, start and length are named`, () => {
      const a = t([[1, 2, 3]]);
      expect(() => a.narrow(2, 0, 1)).toThrow("narrow: dim must be an integer in [-2, 2) for shape [1, 3], got 2");
      expect(() => a.narrow(1, 4, 0)).toThrow("narrow: start must be an integer in [-3, 3] for dim 1 of shape [1, 3], got 4");
      expect(() => a.narrow(1, 1, 3)).toThrow("narrow: length must be an integer in [0, 2] for start 1 of dim 1 (size 3) of shape [1, 3], got 3");
    });
  });

  describe(`[${name}] cat and stack`, () => {
    it(`[${name}] cat([[1,2]], [[3,4],[5,6]]) at 0 = [[1,2],[3,4],[5,6]]; at -1 of [[1],[2]] and [[3,4],[5,6]] = [[1,3,4],[2,5,6]]`, () => {
      expect(cat([t([[1, 2]]), t([[3, 4], [5, 6]])], 0).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
      const out = cat([t([[1], [2]]), t([[3, 4], [5, 6]])], -1);
      expect(out.toArray()).toEqual([[1, 3, 4], [2, 5, 6]]);
      expect(out.backend).toBe(backend);
    });

    it(`[${name}] stack([1,2], [3,4]) = [[1,2],[3,4]] at 0 and [[1,3],[2,4]] at 1`, () => {
      expect(stack([t([1, 2]), t([3, 4])]).toArray()).toEqual([[1, 2], [3, 4]]);
      expect(stack([t([1, 2]), t([3, 4])], 1).toArray()).toEqual([[1, 3], [2, 4]]);
      expect(stack([t([1, 2]), t([3, 4])], -1).shape).toEqual([2, 2]);
    });

    it(`[${name}] d/da, d/db of sum(cat([a, b], 1) · [1,2,3]) = [[1],[1]] and [[2,3],[2,3]]`, () => {
      const a = t([[1], [2]], true);
      const b = t([[3, 4], [5, 6]], true);
      cat([a, b], 1).mul(t([1, 2, 3])).sum().backward();
      expect(a.grad!.toArray()).toEqual([[1], [1]]);
      expect(b.grad!.toArray()).toEqual([[2, 3], [2, 3]]);
    });

    it(`[${name}] property: narrowing cat's output gives each input back; gradCheck of cat and stack`, () => {
      const parts = tensors(on, values).chain((a) =>
        fc.tuple(fc.constant(a), fc.integer({ min: 0, max: a.dims - 1 }), fc.integer({ min: 1, max: 3 })).chain(([x, dim, n]) => {
          const shape = x.shape.slice();
          shape[dim] = n;
          return tensors(on, values, shape).map((y) => [x, y, dim] as const);
        }),
      );
      fc.assert(
        fc.property(parts, ([a, b, dim]) => {
          const c = cat([a, b], dim);
          expect(rowMajor(c.narrow(dim, 0, a.shape[dim]!))).toEqual(rowMajor(a));
          expect(rowMajor(c.narrow(dim, a.shape[dim]!, b.shape[dim]!))).toEqual(rowMajor(b));
          gradCheck((x, y) => cat([x, y.mul(y)], dim), a, b, check);
          if (a.shape[dim] === b.shape[dim]) {
            const s = stack([a, b], dim);
            expect(rowMajor(s.narrow(dim, 1, 1))).toEqual(rowMajor(b));
            gradCheck((x, y) => stack([x.mul(y), y], dim), a, b, check);
          }
        }),
        runs,
      );
    });

    it(`[${name}] large enough to be split across threads: cat of [300, 200] and [300, 100] at 1, narrowed back, and its gradient`, () => {
      const a = tensor(Array.from({ length: 300 }, (_, i) => Array.from({ length: 200 }, (_, j) => precision.value((i * 7 + j) % 13))), { backend, requiresGrad: true });
      const b = tensor(Array.from({ length: 300 }, (_, i) => Array.from({ length: 100 }, (_, j) => precision.value((i + j * 3) % 11))), { backend, requiresGrad: true });
      const c = cat([a, b.narrow(0, 0, 300)], 1);
      expect(c.shape).toEqual([300, 300]);
      expect(rowMajor(c.narrow(1, 200, 100).add(0))).toEqual(rowMajor(b));
      expect(rowMajor(c.narrow(1, 0, 200).mul(1))).toEqual(rowMajor(a));
      c.mul(2).sum().backward();
      expect(rowMajor(b.grad!).every((g) => g === 2)).toBe(true);
      expect(rowMajor(a.grad!).every((g) => g === 2)).toBe(true);
    });

    it(`[${name}] cat and stack: bad inputs are named`, () => {
      expect(() => cat([], 0)).toThrow("cat: expected a non-empty array of tensors, got an empty array");
      expect(() => cat([t([1]), 2 as unknown as Tensor])).toThrow("cat: expected a non-empty array of tensors, got an array whose element 1 is number");
      expect(() => cat([t([[1, 2]]), t([[1, 2, 3]])], 0)).toThrow("cat: tensor 1 has shape [1, 3], expected [*, 2] (sizes must match except along dim 0)");
      expect(() => cat([t([1])], 1)).toThrow("cat: dim must be an integer in [-1, 1) for shape [1], got 1");
      expect(() => stack([t([1, 2]), t([1])])).toThrow("stack: tensor 1 has shape [1], expected [2] (all must have one shape)");
      expect(() => stack([t([1])], 2)).toThrow("stack: dim must be an integer in [-2, 2) for shape [1], got 2");
    });
  });

  describe(`[${name}] reshape and transpose`, () => {
    it(`[${name}] reshape([[1,2,3],[4,5,6]], 3, -1) = [[1,2],[3,4],[5,6]], a view of contiguous storage`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]]);
      const r = a.reshape(3, -1);
      expect(r.toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
      expect(r.storage).toBe(a.storage);
    });

    it(`[${name}] reshape of a transposed tensor copies: [[1,4],[2,5],[3,6]] → [1,4,2,5,3,6]`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]]).transpose(0, 1);
      const r = a.reshape(6);
      expect(r.toArray()).toEqual([1, 4, 2, 5, 3, 6]);
      expect(r.storage).not.toBe(a.storage);
    });

    it(`[${name}] transpose(-1, 0) of [2, 3] is [3, 2] with swapped strides; d/da sum(aᵀ · [[1,2],[3,4],[5,6]]) = [[1,3,5],[2,4,6]]`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]], true);
      const tr = a.transpose(-1, 0);
      expect(tr.toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
      expect(tr.strides).toEqual([1, 3]);
      tr.mul(t([[1, 2], [3, 4], [5, 6]])).sum().backward();
      expect(a.grad!.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    });

    it(`[${name}] property: reshape keeps row-major order, transpose twice is the identity; gradCheck`, () => {
      fc.assert(
        fc.property(
          tensors(on, values).chain((a) => fc.tuple(fc.constant(a), fc.integer({ min: 0, max: a.dims - 1 }), fc.integer({ min: 0, max: a.dims - 1 }))),
          ([a, d0, d1]) => {
            expect(rowMajor(a.reshape(-1))).toEqual(rowMajor(a));
            expect(a.reshape(a.shape[0]!, -1).shape).toEqual([a.shape[0], a.size / a.shape[0]!]);
            const tr = a.transpose(d0, d1);
            for (const ix of indicesOf(tr.shape)) {
              const src = ix.slice();
              [src[d0], src[d1]] = [ix[d1]!, ix[d0]!];
              expect(tr.get(...ix)).toBe(a.get(...src));
            }
            expect(rowMajor(tr.transpose(d1, d0))).toEqual(rowMajor(a));
            gradCheck((x) => x.transpose(d0, d1).reshape(-1).mul(x.reshape(-1)), a, check);
          },
        ),
        runs,
      );
    });

    it(`[${name}] reshape and transpose: bad shapes and dims are named`, () => {
      const a = t([[1, 2, 3], [4, 5, 6]]);
      expect(() => a.reshape(4, -1)).toThrow("view: cannot view shape [2, 3] (6 elements) as [4, -1]");
      expect(() => a.reshape(-1, -1)).toThrow("view: shape must be non-negative integers with at most one -1, got [-1, -1]");
      expect(() => a.transpose(0, 2)).toThrow("transpose: dim must be an integer in [-2, 2) for shape [2, 3], got 2");
    });
  });

  describe(`[${name}] to`, () => {
    it(`[${name}] to(own backend) returns the tensor itself; to(other) copies values and moves the gradient back`, () => {
      const a = t([[1, 2], [3, 4]], true);
      expect(a.to(backend)).toBe(a);
      const moved = a.to(other);
      expect(moved.backend).toBe(other);
      expect(moved.toArray()).toEqual([[1, 2], [3, 4]]);
      moved.mul(moved).sum().backward();
      expect(a.grad!.backend).toBe(backend);
      expect(a.grad!.toArray()).toEqual([[2, 4], [6, 8]]);
    });

    it(`[${name}] property: to(other).to(back) keeps every value; gradCheck through the move`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          expect(rowMajor(a.to(other).to(backend))).toEqual(rowMajor(a));
          gradCheck((x) => x.to(other).mul(x.to(other)).to(backend).add(x), a, check);
        }),
        runs,
      );
    });

    it(`[${name}] to: a non-backend is named`, () => {
      expect(() => t([1]).to("fast" as unknown as TensorBackend)).toThrow(
        'to: expected a TensorBackend (SimpleBackend, FastBackend, …) or a dtype ("float32", "float64"), got "fast"',
      );
    });
  });

  describe(`[${name}] noGrad`, () => {
    it(`[${name}] inside noGrad, x·x of a leaf has no history; outside, it has one`, () => {
      const x = t([1, 2], true);
      const y = noGrad(() => x.mul(x).sum());
      expect(y.item()).toBe(5);
      expect(y.requiresGrad()).toBe(false);
      expect(() => y.backward()).toThrow("backward: this tensor of shape [1] does not require a gradient");
      expect(x.mul(x).requiresGrad()).toBe(true);
    });

    it(`[${name}] property: noGrad gives the same values without a graph, nests, and restores recording after a throw`, () => {
      fc.assert(
        fc.property(tensors(on, values), (a) => {
          a.requiresGrad_(true);
          const f = (x: Tensor): Tensor => x.mul(x).add(x.transpose(0, a.dims - 1).reshape(...a.shape)).sum();
          const inside = noGrad(() => noGrad(() => f(a)).add(f(a)));
          expect(inside.requiresGrad()).toBe(false);
          expect(inside.item()).toBeCloseTo(2 * f(a).item(), 6);
          expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
          expect(f(a).requiresGrad()).toBe(true);
        }),
        runs,
      );
    });
  });
}
