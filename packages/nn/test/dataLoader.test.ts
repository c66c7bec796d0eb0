import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromArray, tensor } from "@minitorch/tensor-core";
import { DataLoader } from "../src/index.js";
import { backends } from "./helpers.js";

/** x rows [i, 10·i] and y = i, for i < n: each batch's x can be checked against its y. */
const dataset = (n: number, backend = backends[0]![1]) => ({
  x: fromArray(Array.from({ length: n }, (_, i) => [i, 10 * i]).flat(), [n, 2], backend),
  y: fromArray(Array.from({ length: n }, (_, i) => i), [n], backend),
});
const ys = (loader: DataLoader): number[][] => [...loader].map((b) => Array.from(b.y.toFloat64Array()));

describe.each(backends)("DataLoader on %s", (_, backend) => {
  it("5 examples, batchSize 2: y batches [0,1], [2,3], [4] in order; dropLast leaves [4] out", () => {
    const data = dataset(5, backend);
    const loader = new DataLoader(data, { batchSize: 2 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b.x.toArray())).toEqual([[[0, 0], [1, 10]], [[2, 20], [3, 30]], [[4, 40]]]);
    expect(batches.every((b) => b.x.backend === backend && b.y.backend === backend)).toBe(true);
    expect(ys(new DataLoader(data, { batchSize: 2, dropLast: true }))).toEqual([[0, 1], [2, 3]]);
  });

  it("shuffle with seed 7: the same seed gives the same epochs, each a permutation, and the next epoch another order", () => {
    const data = dataset(20, backend);
    const a = new DataLoader(data, { batchSize: 6, shuffle: true, seed: 7 });
    const b = new DataLoader(data, { batchSize: 6, shuffle: true, seed: 7 });
    const epochA1 = ys(a).flat();
    const epochA2 = ys(a).flat();
    expect(ys(b).flat()).toEqual(epochA1);
    expect(ys(b).flat()).toEqual(epochA2);
    expect(epochA1.slice().sort((p, q) => p - q)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(epochA2).not.toEqual(epochA1);
    expect(epochA1).not.toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe("DataLoader properties and errors", () => {
  it("property: every example once per epoch (less the partial batch with dropLast), batch sizes as torch, x rows with their y", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), fc.boolean(), fc.boolean(), fc.integer(), (n, batchSize, shuffle, dropLast, seed) => {
        const loader = new DataLoader(dataset(n), { batchSize, shuffle, seed, dropLast });
        const batches = [...loader];
        expect(batches.length).toBe(loader.length);
        const full = Math.floor(n / batchSize);
        expect(batches.length).toBe(dropLast || n % batchSize === 0 ? full : full + 1);
        batches.forEach((b, i) => {
          expect(b.x.shape[0]).toBe(i < full ? batchSize : n % batchSize);
          const y = b.y.toFloat64Array();
          expect(b.x.toArray()).toEqual(Array.from(y, (v) => [v, 10 * v]));
        });
        const seen = batches.flatMap((b) => Array.from(b.y.toFloat64Array()));
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.length).toBe(dropLast ? full * batchSize : n);
      }),
      { numRuns: 60 },
    );
  });

  it("bad data and options are errors naming DataLoader, the option and the known ones", () => {
    const data = dataset(3);
    expect(() => new DataLoader(data, { batchsize: 2 } as never)).toThrow('DataLoader: unknown option "batchsize" (known: batchSize, shuffle, seed, dropLast)');
    expect(() => new DataLoader(data, { batchSize: 0 })).toThrow("DataLoader: batchSize must be a positive integer, got 0");
    expect(() => new DataLoader(data, { shuffle: "yes" as never })).toThrow("DataLoader: shuffle must be true or false, got yes");
    expect(() => new DataLoader(data, { seed: 1.5 })).toThrow("DataLoader: seed must be an integer, got 1.5");
    expect(() => new DataLoader({ x: data.x, y: tensor([1, 2]) })).toThrow("DataLoader: x and y must have the same first dimension (examples), got shapes [3, 2] and [2]");
    expect(() => new DataLoader({ x: data.x } as never)).toThrow("DataLoader: data must be { x: Tensor, y: Tensor }");
  });
});
