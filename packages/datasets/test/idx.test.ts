import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import {
  encodeIdxImages,
  encodeIdxLabels,
  loadMnist,
  parseIdxImages,
  parseIdxLabels,
  readIdxImages,
  readIdxLabels,
  readIdxPair,
} from "../src/index.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

/** count images of size h × w whose pixel j of image i is (i * 7 + j) mod 256. */
function pattern(count: number, h = 28, w = 28): Uint8Array {
  const px = new Uint8Array(count * h * w);
  for (let i = 0; i < count; i++) for (let j = 0; j < h * w; j++) px[i * h * w + j] = (i * 7 + j) % 256;
  return px;
}

/** Write a train/t10k IDX set of `count` pattern images into a new directory. */
function writeSet(count: number, { gzip = false, labels = Array.from({ length: count }, (_, i) => i % 10), prefix = "train" } = {}): string {
  const dir = tempDir();
  const ext = gzip ? ".gz" : "";
  const pack = (b: Uint8Array): Uint8Array => (gzip ? gzipSync(b) : b);
  writeFileSync(join(dir, `${prefix}-images-idx3-ubyte${ext}`), pack(encodeIdxImages(pattern(count), count)));
  writeFileSync(join(dir, `${prefix}-labels-idx1-ubyte${ext}`), pack(encodeIdxLabels(labels)));
  return dir;
}

describe("datasets idx", () => {
  it("header of 2 images of 2×3: magic 2051, count 2, rows 2, columns 3, then 12 bytes", () => {
    const file = encodeIdxImages(Uint8Array.from([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]), 2, 2, 3);
    expect(Array.from(file.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3]);
    const parsed = parseIdxImages(file, "x", { height: 2, width: 3 });
    expect(parsed.count).toBe(2);
    expect(Array.from(parsed.pixels)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  });

  it("labels [3, 1, 4]: magic 2049, count 3, then the bytes", () => {
    const file = encodeIdxLabels([3, 1, 4]);
    expect(Array.from(file)).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 3, 1, 4]);
    expect(Array.from(parseIdxLabels(file, "x"))).toEqual([3, 1, 4]);
  });

  it("round-trips random images and labels, plain and gzip'd", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 }).chain((count) =>
          fc.tuple(fc.uint8Array({ minLength: count * 784, maxLength: count * 784 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: count, maxLength: count }), fc.boolean()),
        ),
        ([pixels, labels, gzip]) => {
          const dir = tempDir();
          const count = labels.length;
          const pack = (b: Uint8Array): Uint8Array => (gzip ? gzipSync(b) : b);
          writeFileSync(join(dir, "i"), pack(encodeIdxImages(pixels, count)));
          writeFileSync(join(dir, "l"), pack(encodeIdxLabels(labels)));
          const images = readIdxImages(join(dir, "i"));
          expect(images.count).toBe(count);
          expect(images.pixels).toEqual(pixels);
          expect(Array.from(readIdxLabels(join(dir, "l")))).toEqual(labels);
        },
      ),
      { numRuns: 25 },
    );
  });

  it("wrong magic: a label file read as images names file, byte 0, both numbers", () => {
    const dir = tempDir();
    const path = join(dir, "train-images-idx3-ubyte");
    writeFileSync(path, encodeIdxLabels([1, 2]));
    expect(() => readIdxImages(path)).toThrow(`readIdxImages: ${path}: expected magic 2051 at byte 0, got 2049 (an IDX label file)`);
    writeFileSync(path, encodeIdxImages(pattern(1), 1));
    expect(() => readIdxLabels(path)).toThrow(`readIdxLabels: ${path}: expected magic 2049 at byte 0, got 2051 (an IDX image file)`);
  });

  it("truncated header and truncated body give the byte offset", () => {
    const full = encodeIdxImages(pattern(3), 3);
    expect(() => parseIdxImages(full.subarray(0, 10), "f")).toThrow("readIdxImages: f: file is 10 bytes, shorter than the 16-byte IDX header (truncated at byte 10)");
    expect(() => parseIdxImages(full.subarray(0, 16 + 784 + 100), "f")).toThrow(
      "readIdxImages: f: truncated at byte 900: the header (byte 4) promises 3 images of 784 bytes, ending at byte 2368; only 1 complete images are present",
    );
    expect(() => parseIdxLabels(encodeIdxLabels([1, 2, 3]).subarray(0, 9), "l")).toThrow("readIdxLabels: l: truncated at byte 9");
  });

  it("truncated gzip'd body: the error names the file", () => {
    const dir = tempDir();
    const path = join(dir, "train-images-idx3-ubyte.gz");
    const gz = gzipSync(encodeIdxImages(pattern(3), 3));
    writeFileSync(path, gz.subarray(0, gz.length - 40));
    expect(() => readIdxImages(path)).toThrow(`readIdxImages: ${path}: corrupt gzip data`);
  });

  it("trailing bytes and non-28×28 images are refused", () => {
    const full = encodeIdxImages(pattern(1), 1);
    const longer = new Uint8Array(full.length + 5);
    longer.set(full);
    expect(() => parseIdxImages(longer, "f")).toThrow("readIdxImages: f: 5 unexpected bytes after the last of 1 images, from byte 800");
    const small = encodeIdxImages(pattern(1, 4, 4), 1, 4, 4);
    expect(() => parseIdxImages(small, "f")).toThrow("readIdxImages: f: expected 28×28 images (rows at byte 8, columns at byte 12), got 4×4");
    expect(parseIdxImages(small, "f", { height: 4, width: 4 }).count).toBe(1);
  });

  it("count mismatch between images and labels names both files", () => {
    const dir = writeSet(3, { labels: [1, 2] });
    expect(() => readIdxPair(dir, "train")).toThrow(/holds 3 images but .*train-labels-idx1-ubyte holds 2 labels \(counts at byte 4\)/);
  });

  it("a label above 9 gives its byte offset", () => {
    const dir = writeSet(3, { labels: [1, 12, 2] });
    expect(() => readIdxPair(dir, "train")).toThrow(/label 12 at byte 9 is not a digit 0\.\.9/);
  });

  it("a missing file says which names were tried", () => {
    const dir = tempDir();
    expect(() => readIdxPair(dir, "train")).toThrow(/no train-images-idx3-ubyte file \(looked for train-images-idx3-ubyte\[\.gz\], train-images\.idx3-ubyte\[\.gz\]\)/);
  });

  it("loadMnist reads a gzip'd directory: train rows first, validation next, scaled to [0, 1]", () => {
    const dir = writeSet(12, { gzip: true });
    const data = loadMnist({ trainSize: 5, valSize: 4, dataDir: dir });
    expect(data.source).toBe(join(dir, "train-images-idx3-ubyte.gz"));
    expect(Array.from(data.train.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(data.validation.labels)).toEqual([5, 6, 7, 8]);
    expect(data.validation.bytes[1]).toBe((5 * 7 + 1) % 256);
    expect(data.validation.images[1]).toBe(((5 * 7 + 1) % 256) / 255);
    expect(data.train.images.length).toBe(5 * 784);
  });

  it("loadMnist with valOffset (minitorch's rows 10000…) and with the t10k files", () => {
    const dir = writeSet(12);
    const shifted = loadMnist({ trainSize: 3, valSize: 2, valOffset: 10, dataDir: dir });
    expect(Array.from(shifted.validation.labels)).toEqual([0, 1]);
    expect(() => loadMnist({ trainSize: 3, valSize: 2, valOffset: 2, dataDir: dir })).toThrow("valOffset 2 < trainSize 3");
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdxImages(pattern(2), 2));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), encodeIdxLabels([9, 8]));
    const test = loadMnist({ trainSize: 12, valSize: 2, dataDir: dir, validationFrom: "test" });
    expect(Array.from(test.validation.labels)).toEqual([9, 8]);
    expect(test.train.count).toBe(12);
  });
});
