import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  IndexingError,
  TensorData,
  broadcastIndex,
  indexToPosition,
  isContiguousLayout,
  shapeBroadcast,
  shapeSize,
  stridesFromShape,
  toIndex,
} from "../src/index.js";

const runs = { numRuns: 50 };

/** Shapes of 1–4 dimensions with sizes 1–5. */
const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/** A permutation of 0..n−1. */
const permutationOf = (n: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: n }, (_, i) => i),
    { minLength: n, maxLength: n },
  );

/**
 * TensorData of a random shape whose strides are usually not row-major: the
 * data is laid out in a permuted shape and permuted back, as minitorch's
 * `tensor_data` strategy does. Storage holds 0, 1, 2, … .
 */
const tensorDatas = shapes.chain((shape) =>
  permutationOf(shape.length).map((perm) => {
    const laid = perm.map((p) => shape[p]!);
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    const storage = Float64Array.from({ length: shapeSize(shape) }, (_, i) => i);
    return new TensorData(storage, laid).permute(...inverse);
  }),
);

/** A TensorData and a valid index into it. */
const withIndex = tensorDatas.chain((td) => fc.tuple(fc.constant(td), fc.tuple(...td.shape.map((s) => fc.integer({ min: 0, max: s - 1 })))));

describe("task2_1", () => {
  it("layout [3, 5] strides [5, 1]: contiguous, index [1, 0] = 5, [1, 2] = 7", () => {
    const storage = new Float64Array(15);
    const td = new TensorData(storage, [3, 5], [5, 1]);
    expect(td.isContiguous()).toBe(true);
    expect(td.shape).toEqual([3, 5]);
    expect(td.size).toBe(15);
    expect(td.dims).toBe(2);
    expect(td.index([1, 0])).toBe(5);
    expect(td.index([1, 2])).toBe(7);
    const t = new TensorData(storage, [5, 3], [1, 5]);
    expect(t.shape).toEqual([5, 3]);
    expect(t.isContiguous()).toBe(false);
    expect(new TensorData(new Float64Array(16), [4, 2, 2]).strides).toEqual([4, 2, 1]);
  });

  it("indexToPosition [1, 2, 3] with strides [12, 4, 1] = 23, with [1, 2, 6] = 23", () => {
    expect(indexToPosition([1, 2, 3], [12, 4, 1])).toBe(23);
    expect(indexToPosition(Int32Array.from([1, 2, 3]), Int32Array.from([1, 2, 6]))).toBe(23);
    expect(indexToPosition([], [])).toBe(0);
  });

  it("toIndex 7 in [2, 3, 4] = [0, 1, 3] (column-major would give [1, 0, 1]); 17 = [1, 1, 1]; 23 = [1, 2, 3]; 0 = [0, 0, 0]; 5 in [6] = [5]", () => {
    const out = new Int32Array(3);
    // Row-major: the last dimension varies fastest. 23 is [1, 2, 3] in both orders, 7 and 17 are not.
    toIndex(7, [2, 3, 4], out);
    expect(Array.from(out), "toIndex(7, [2, 3, 4]): the last dimension varies fastest").toEqual([0, 1, 3]);
    toIndex(17, [2, 3, 4], out);
    expect(Array.from(out), "toIndex(17, [2, 3, 4])").toEqual([1, 1, 1]);
    toIndex(23, [2, 3, 4], out);
    expect(Array.from(out)).toEqual([1, 2, 3]);
    toIndex(0, Int32Array.from([2, 3, 4]), out);
    expect(Array.from(out)).toEqual([0, 0, 0]);
    const one = [0];
    toIndex(5, [6], one);
    expect(one).toEqual([5]);
  });

  it("toIndex then indexToPosition with row-major strides gives back every ordinal, in range", () => {
    fc.assert(
      fc.property(shapes, (shape) => {
        const strides = stridesFromShape(shape);
        const index = new Int32Array(shape.length);
        for (let ordinal = 0; ordinal < shapeSize(shape); ordinal++) {
          toIndex(ordinal, shape, index);
          // The row-major index, digit by digit from the last dimension, to name in a failure.
          const expected = shape.map(() => 0);
          for (let d = shape.length - 1, rest = ordinal; d >= 0; d--) {
            expected[d] = rest % shape[d]!;
            rest = Math.floor(rest / shape[d]!);
          }
          const where = `toIndex(ordinal ${ordinal}, shape [${shape.join(", ")}])`;
          expect(Array.from(index), `${where}: expected index [${expected.join(", ")}], got [${Array.from(index).join(", ")}]`).toEqual(expected);
          expect(indexToPosition(index, strides), `${where} then indexToPosition with strides [${strides.join(", ")}]`).toBe(ordinal);
        }
      }),
      runs,
    );
  });

  it("indices() enumerates size distinct in-range indices in row-major order", () => {
    fc.assert(
      fc.property(tensorDatas, (td) => {
        const all = Array.from(td.indices());
        expect(all).toHaveLength(td.size);
        expect(new Set(all.map((ix) => ix.join(","))).size).toBe(td.size);
        for (const ix of all) ix.forEach((x, i) => expect(x >= 0 && x < td.shape[i]!).toBe(true));
        expect(all[0]).toEqual(td.shape.map(() => 0));
        expect(all[all.length - 1]).toEqual(td.shape.map((s) => s - 1));
        // Row-major: the last dimension moves fastest.
        if (td.size > 1) expect(all[1]![td.dims - 1]).toBe(td.shape[td.dims - 1] === 1 ? 0 : 1);
      }),
      runs,
    );
  });

  it("index() maps the indices of a permuted layout one-to-one onto positions 0..size−1", () => {
    fc.assert(
      fc.property(tensorDatas, (td) => {
        const positions = Array.from(td.indices(), (ix) => td.index(ix));
        expect(positions.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: td.size }, (_, i) => i));
      }),
      runs,
    );
  });

  it("permute [2, 3] by (1, 0) gives shape [3, 2], strides [1, 3] over the same storage", () => {
    const td = new TensorData(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
    const t = td.permute(1, 0);
    expect(t.shape).toEqual([3, 2]);
    expect(t.strides).toEqual([1, 3]);
    expect(t.storage).toBe(td.storage);
    expect(t.get([2, 1])).toBe(6);
    expect(t.get([2, 0])).toBe(3);
    expect(Array.from(t.toFloat64Array())).toEqual([1, 4, 2, 5, 3, 6]);
    expect(t.isContiguous()).toBe(false);
  });

  it("reversing the dimensions reverses the index; reversing twice restores the layout", () => {
    fc.assert(
      fc.property(withIndex, ([td, ix]) => {
        const order = td.shape.map((_, i) => td.dims - 1 - i);
        const rev = td.permute(...order);
        expect(rev.index(ix.slice().reverse())).toBe(td.index(ix));
        const back = rev.permute(...order);
        expect(back.shape).toEqual(td.shape);
        expect(back.index(ix)).toBe(td.index(ix));
      }),
      runs,
    );
  });

  it("any permutation moves the value at index i to index i permuted", () => {
    const cases = withIndex.chain(([td, ix]) => fc.tuple(fc.constant(td), fc.constant(ix), permutationOf(td.dims)));
    fc.assert(
      fc.property(cases, ([td, ix, order]) => {
        const p = td.permute(...order);
        expect(p.shape).toEqual(order.map((o) => td.shape[o]));
        expect(p.get(order.map((o) => ix[o]!))).toBe(td.get(ix));
      }),
      runs,
    );
  });

  it("set then get at an index writes one storage position", () => {
    fc.assert(
      fc.property(withIndex, ([td, ix]) => {
        const before = Array.from(td.storage);
        td.set(ix, -1);
        expect(td.get(ix)).toBe(-1);
        const changed = before.reduce((n, v, i) => n + (v !== td.storage[i] ? 1 : 0), 0);
        expect(changed).toBe(before[td.index(ix)] === -1 ? 0 : 1);
      }),
      runs,
    );
  });

});

describe("layouts and their errors (given with Task 2.1)", () => {
  it("stridesFromShape [2, 3, 4] = [12, 4, 1]; shapeSize [] = 1, [2, 0] = 0", () => {
    expect(stridesFromShape([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesFromShape([])).toEqual([]);
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([2, 0])).toBe(0);
    expect(shapeSize([2, 3, 4])).toBe(24);
  });

  it("isContiguousLayout ignores strides of size-1 dimensions", () => {
    expect(isContiguousLayout([1, 3], [7, 1])).toBe(true);
    expect(isContiguousLayout([3, 1], [1, 9])).toBe(true);
    expect(isContiguousLayout([2, 3], [1, 2])).toBe(false);
    expect(isContiguousLayout([2, 3], [4, 1])).toBe(false);
  });

  it("an index out of range or negative is an IndexingError naming index and shape", () => {
    const td = new TensorData(new Float64Array(15), [3, 5]);
    expect(() => td.index([0, 5])).toThrow(/index: \[0, 5\] is out of range for shape \[3, 5\]/);
    expect(() => td.index([-1, 0])).toThrow(/index: \[-1, 0\] is out of range for shape \[3, 5\]/);
    expect(() => td.get([1.5, 0])).toThrow(/out of range/);
    expect(() => td.index([3, 0])).toThrow(IndexingError);
  });

  it("an index of the wrong length is an IndexingError naming the expected length", () => {
    const td = new TensorData(new Float64Array(15), [3, 5]);
    expect(() => td.index([0])).toThrow(/index: \[0\] must have 2 entries for shape \[3, 5\]/);
    expect(() => td.index([0, 0, 0])).toThrow(/must have 2 entries/);
  });

  it("permute with a bad order is an IndexingError naming order and shape", () => {
    const td = new TensorData(new Float64Array(15), [3, 5]);
    expect(() => td.permute(0, 0)).toThrow(/permute: order must be a permutation of 0..1 for shape \[3, 5\], got \[0, 0\]/);
    expect(() => td.permute(0)).toThrow(/got \[0\]/);
    expect(() => td.permute(1, 2)).toThrow(/got \[1, 2\]/);
    expect(() => td.permute(0, 1, 2)).toThrow(IndexingError);
  });

  it("a layout that does not fit its storage is an IndexingError", () => {
    const storage = new Float64Array(15);
    expect(() => new TensorData(storage, [3, 5], [6])).toThrow(
      /TensorData: strides \[6\] must have one entry per dimension of shape \[3, 5\]/,
    );
    expect(() => new TensorData(storage, [4, 5])).toThrow(/shape \[4, 5\] with strides \[5, 1\] reaches position 19, past a storage of 15/);
    expect(() => new TensorData(storage, [3, -5])).toThrow(/TensorData: shape must be a list of non-negative integers/);
    expect(() => new TensorData(storage, [3, 5], [-5, 1])).toThrow(IndexingError);
    expect(new TensorData(new Float64Array(0), [0, 3]).size).toBe(0);
  });

  it("toString names shape and strides", () => {
    expect(String(new TensorData(new Float64Array(6), [2, 3]))).toBe("TensorData(shape=[2, 3], strides=[3, 1])");
  });
});

describe("task2_2", () => {
  it("broadcastIndex [2, 3] of [4, 5] into [1, 5] = [0, 3], into [5] = [3], into [4, 1] = [2, 0]", () => {
    const out = [9, 9];
    broadcastIndex([2, 3], [4, 5], [1, 5], out);
    expect(out).toEqual([0, 3]);
    const one = [9];
    broadcastIndex([2, 3], [4, 5], [5], one);
    expect(one).toEqual([3]);
    broadcastIndex([2, 3], [4, 5], [4, 1], out);
    expect(out).toEqual([2, 0]);
  });

  it("broadcastIndex [1, 2, 3] of [2, 3, 4] into [3, 1] = [2, 0], into [1] = [0]", () => {
    const out = new Int32Array(2);
    broadcastIndex([1, 2, 3], [2, 3, 4], [3, 1], out);
    expect(Array.from(out)).toEqual([2, 0]);
    const one = [7];
    broadcastIndex([1, 2, 3], [2, 3, 4], [1], one);
    expect(one).toEqual([0]);
  });

  it("shapeBroadcast [1] with [5, 5] = [5, 5], either order", () => {
    expect(shapeBroadcast([1], [5, 5])).toEqual([5, 5]);
    expect(shapeBroadcast([5, 5], [1])).toEqual([5, 5]);
  });

  it("shapeBroadcast [2, 1, 3] with [4, 3] = [2, 4, 3]", () => {
    expect(shapeBroadcast([2, 1, 3], [4, 3])).toEqual([2, 4, 3]);
    expect(shapeBroadcast([4, 3], [2, 1, 3])).toEqual([2, 4, 3]);
  });

  it("shapeBroadcast keeps leading 1s and fills 1s: [1, 5, 5]+[5, 5], [5, 1, 5, 1]+[1, 5, 1, 5], [2, 5]+[5], []+[3]", () => {
    expect(shapeBroadcast([1, 5, 5], [5, 5])).toEqual([1, 5, 5]);
    expect(shapeBroadcast([5, 1, 5, 1], [1, 5, 1, 5])).toEqual([5, 5, 5, 5]);
    expect(shapeBroadcast([2, 5], [5])).toEqual([2, 5]);
    expect(shapeBroadcast([], [3])).toEqual([3]);
    expect(shapeBroadcast([3, 0], [1, 1])).toEqual([3, 0]);
  });

  it("shapes that do not broadcast are an IndexingError naming both shapes (and the op)", () => {
    expect(() => shapeBroadcast([5, 7, 5, 1], [1, 5, 1, 5])).toThrow(/broadcast: cannot broadcast shapes \[5, 7, 5, 1\] and \[1, 5, 1, 5\]/);
    expect(() => shapeBroadcast([5, 2], [5])).toThrow(/cannot broadcast shapes \[5, 2\] and \[5\]/);
    expect(() => shapeBroadcast([2], [3], "add")).toThrow(/^add: cannot broadcast shapes \[2\] and \[3\]$/);
    expect(() => shapeBroadcast([2], [3])).toThrow(IndexingError);
  });

  /** A shape and a smaller shape that broadcasts to it: some sizes set to 1, some leading dimensions dropped. */
  const broadcastPairs = shapes.chain((big) =>
    fc.tuple(fc.constant(big), fc.array(fc.boolean(), { minLength: big.length, maxLength: big.length }), fc.integer({ min: 0, max: big.length - 1 })).map(
      ([b, ones, drop]) => [b, b.map((s, i) => (ones[i] ? 1 : s)).slice(drop)] as const,
    ),
  );

  it("a shape broadcasts with a reduced copy of itself to itself, in either order", () => {
    fc.assert(
      fc.property(broadcastPairs, ([big, small]) => {
        expect(shapeBroadcast(big, small)).toEqual(big);
        expect(shapeBroadcast(small, big)).toEqual(big);
        expect(shapeBroadcast(big, big)).toEqual(big);
      }),
      runs,
    );
  });

  it("shapeBroadcast is symmetric, and its result has the longer length", () => {
    fc.assert(
      fc.property(shapes, shapes, (a, b) => {
        let ab: number[] | undefined;
        try {
          ab = shapeBroadcast(a, b);
        } catch (e) {
          expect(e).toBeInstanceOf(IndexingError);
        }
        if (ab === undefined) {
          expect(() => shapeBroadcast(b, a)).toThrow(IndexingError);
          return;
        }
        expect(shapeBroadcast(b, a)).toEqual(ab);
        expect(ab).toHaveLength(Math.max(a.length, b.length));
      }),
      runs,
    );
  });

  it("broadcastIndex keeps coordinates of full dimensions and reads 0 from size-1 ones, always in range", () => {
    fc.assert(
      fc.property(broadcastPairs, ([big, small]) => {
        const out = new Int32Array(small.length);
        const bigIndex = new Int32Array(big.length);
        const lead = big.length - small.length;
        for (let ordinal = 0; ordinal < shapeSize(big); ordinal++) {
          toIndex(ordinal, big, bigIndex);
          broadcastIndex(bigIndex, big, small, out);
          small.forEach((s, i) => {
            expect(out[i]).toBe(s === 1 ? 0 : bigIndex[i + lead]);
            expect(out[i]).toBeLessThan(s);
          });
        }
      }),
      runs,
    );
  });
});
