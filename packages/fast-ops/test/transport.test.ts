import { describe, expect, it } from "vitest";
import { ArgReader, ArgWriter, SHARE_MIN, allocateStorage, createSharedBlock } from "../src/index.js";

describe("fast-ops transport", () => {
  it("numbers, integer vectors, shared views (at offsets) and small unshared arrays survive encode → decode", () => {
    const block = createSharedBlock();
    const writer = new ArgWriter(block);
    const reader = new ArgReader(block);
    const shared = allocateStorage(SHARE_MIN * 2, true);
    shared[SHARE_MIN + 3] = 7;
    const view = shared.subarray(SHARE_MIN, SHARE_MIN + 10);
    const small = Float64Array.of(1, 2, 3);
    const encoded = writer.encode([2.5, Int32Array.of(4, 5, 6), view, shared, small, small])!;
    // One buffer for two views of it; the small array is passed as its scratch copy.
    expect(encoded.buffers).toEqual([shared.buffer]);
    expect(encoded.local[2]).toBe(view);
    expect(encoded.local[4]).not.toBe(small);
    expect(encoded.local[4]).toBe(encoded.local[4]);
    const decoded = reader.decode(6, encoded.buffers);
    expect(decoded[0]).toBe(2.5);
    expect(Array.from(decoded[1] as Int32Array)).toEqual([4, 5, 6]);
    const v = decoded[2] as Float64Array;
    expect([v.length, v[3]]).toEqual([10, 7]);
    expect((decoded[3] as Float64Array).length).toBe(SHARE_MIN * 2);
    // The other side writes the scratch copy; finish() brings it back to the owner.
    (decoded[4] as Float64Array)[1] = 20;
    expect((decoded[5] as Float64Array)[1]).toBe(20);
    writer.finish();
    expect(Array.from(small)).toEqual([1, 20, 3]);
    // A write through a decoded shared view lands in the caller's storage.
    v[0] = -1;
    expect(shared[SHARE_MIN]).toBe(-1);
  });

  it("float32 storage travels as float32: shared views at offsets, and odd-length scratch copies that keep the next copy aligned", () => {
    const block = createSharedBlock();
    const writer = new ArgWriter(block);
    const reader = new ArgReader(block);
    const shared = allocateStorage(SHARE_MIN * 2, true, "float32");
    expect(shared).toBeInstanceOf(Float32Array);
    shared[SHARE_MIN + 3] = 0.5;
    const view = shared.subarray(SHARE_MIN, SHARE_MIN + 10);
    const odd = Float32Array.of(1, 2, 3);
    const after = Float64Array.of(4, 5);
    const small = Float32Array.of(6, 7);
    const encoded = writer.encode([view, odd, after, small])!;
    expect(encoded.buffers).toEqual([shared.buffer]);
    const decoded = reader.decode(4, encoded.buffers);
    const v = decoded[0] as Float32Array;
    expect(v).toBeInstanceOf(Float32Array);
    expect([v.length, v[3]]).toEqual([10, 0.5]);
    expect(decoded[1]).toBeInstanceOf(Float32Array);
    expect(Array.from(decoded[1] as Float32Array)).toEqual([1, 2, 3]);
    expect(decoded[2]).toBeInstanceOf(Float64Array);
    expect(Array.from(decoded[2] as Float64Array)).toEqual([4, 5]);
    expect(Array.from(decoded[3] as Float32Array)).toEqual([6, 7]);
    (decoded[1] as Float32Array)[2] = 30;
    (decoded[3] as Float32Array)[0] = 60;
    writer.finish();
    expect(Array.from(odd)).toEqual([1, 2, 30]);
    expect(Array.from(small)).toEqual([60, 7]);
    v[0] = -1;
    expect(shared[SHARE_MIN]).toBe(-1);
  });

  it("an unshared array too large for scratch makes encode return null (the job runs on the calling thread)", () => {
    const writer = new ArgWriter(createSharedBlock());
    expect(writer.encode([new Float64Array(100_000)])).toBeNull();
    expect(writer.encode([allocateStorage(100_000, false)])).not.toBeNull();
  });

  it("a corrupt argument block is an error naming the tag, and a missing buffer names its index", () => {
    const block = createSharedBlock();
    const writer = new ArgWriter(block);
    const reader = new ArgReader(block);
    const encoded = writer.encode([allocateStorage(SHARE_MIN, true)])!;
    expect(() => reader.decode(1, [])).toThrow(/^argument 0 names shared buffer 0 of 0$/);
    expect(reader.decode(1, encoded.buffers)).toHaveLength(1);
    new Int32Array(block.ints)[0] = 99;
    expect(() => reader.decode(1, encoded.buffers)).toThrow(/^corrupt argument block \(tag 99 at 0\)$/);
  });
});
