import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { MNIST_DIGITS, TRAIN_DIGITS, VALIDATION_DIGITS, decodeDigits, encodeDigits } from "../src/digits.js";

function pool(count: number, seed = 0): { count: number; labels: Uint8Array; bytes: Uint8Array } {
  return {
    count,
    labels: Uint8Array.from({ length: count }, (_, i) => (i + seed) % 10),
    bytes: Uint8Array.from({ length: count * 784 }, (_, i) => (i * 7 + seed) % 256),
  };
}

describe("mnist.bin", () => {
  it("2 digits: header MNST, count 2, labels, then pixels", () => {
    const file = encodeDigits(pool(3), 2);
    expect([...file.subarray(0, 8)]).toEqual([0x4d, 0x4e, 0x53, 0x54, 2, 0, 0, 0]);
    expect([...file.subarray(8, 10)]).toEqual([0, 1]);
    expect(file.length).toBe(8 + 2 + 2 * 784);
    expect(file[10 + 784]).toBe((784 * 7) % 256);
  });

  it("decode(encode(pool, n)) gives the first n digits", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 9 }), (n, extra, seed) => {
        const p = pool(n + extra, seed);
        const d = decodeDigits(encodeDigits(p, n));
        expect(d.count).toBe(n);
        expect([...d.labels]).toEqual([...p.labels.subarray(0, n)]);
        expect(d.bytes).toEqual(p.bytes.subarray(0, n * 784));
      }),
    );
  });

  it("the site ships the training digits then the validation digits", () => {
    expect(MNIST_DIGITS).toBe(TRAIN_DIGITS + VALIDATION_DIGITS);
    expect(VALIDATION_DIGITS).toBe(500);
  });

  it("bad input names the function and what was wrong", () => {
    expect(() => encodeDigits(pool(2), 3)).toThrow("encodeDigits: the pool holds 2 digits, fewer than 3");
    expect(() => decodeDigits(new Uint8Array([1, 2, 3, 4, 0, 0, 0, 0]))).toThrow("decodeDigits: not a mnist.bin file (no MNST header)");
    const truncated = encodeDigits(pool(2), 2).subarray(0, 100);
    expect(() => decodeDigits(truncated)).toThrow(`decodeDigits: a file of 2 digits must hold ${8 + 2 + 2 * 784} bytes, got 100`);
  });
});
