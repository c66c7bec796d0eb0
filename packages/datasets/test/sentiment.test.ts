import { Random } from "@minitorch/autodiff";
import { afterAll, describe, expect, it } from "vitest";
import { encodeSentiment, loadGlove, loadSst2, sentenceVocabulary, type Embeddings } from "../src/index.js";
import { isolateCache, removeTempDirs, tempDir } from "./helpers.js";
import { sst2Copy } from "./sst2Copy.js";

isolateCache();

afterAll(removeTempDirs);

const sst2 = sst2Copy();

/** Two 2-d vectors: good = [1, 2], bad = [3, 4]. */
const tiny: Embeddings = {
  dim: 2,
  get: (w) => ({ good: Float64Array.of(1, 2), bad: Float64Array.of(3, 4) })[w],
};

describe("datasets sentiment encoding", () => {
  it("train ['good zzz ', 'bad '], validation ['qqq good zzz '] → [N, 3, 2], zero-padded, one unknown vector", () => {
    const train = { sentences: ["good zzz ", "bad "], labels: [1, 0] };
    const validation = { sentences: ["qqq good zzz "], labels: [1] };
    const out = encodeSentiment(train, validation, tiny, { seed: 4 });
    const rng = new Random(4);
    const u = [0.1 * (rng.random() - 0.5), 0.1 * (rng.random() - 0.5)];
    expect(out.maxLen).toBe(3);
    expect(out.train.shape).toEqual([2, 3, 2]);
    expect(Array.from(out.train.x)).toEqual([1, 2, u[0], u[1], 0, 0, 3, 4, 0, 0, 0, 0]);
    expect(Array.from(out.validation.x)).toEqual([u[0], u[1], 1, 2, u[0], u[1]]);
    expect(out.train.y).toEqual([1, 0]);
    expect(out.validation.shape).toEqual([1, 3, 2]);
    expect(out.unknownWords).toBe(2);
    expect(out.unknown).toEqual(["qqq", "zzz"]);
  });

  it("the unknown vector lies in ±0.05 and depends only on the seed", () => {
    const a = encodeSentiment({ sentences: [], labels: [] }, { sentences: [], labels: [] }, { dim: 50, get: () => undefined }, { seed: 9 });
    const b = encodeSentiment({ sentences: [], labels: [] }, { sentences: [], labels: [] }, { dim: 50, get: () => undefined }, { seed: 9 });
    expect(a.unknownVector).toEqual(b.unknownVector);
    for (const v of a.unknownVector) expect(Math.abs(v)).toBeLessThanOrEqual(0.05);
  });

  it("pads to maxTokens of the whole files when given", () => {
    const out = encodeSentiment({ sentences: ["good "], labels: [1], maxTokens: 5 }, { sentences: ["bad "], labels: [0], maxTokens: 4 }, tiny);
    expect(out.maxLen).toBe(5);
    expect(out.train.x.length).toBe(10);
  });

  it("refuses mismatched labels, labels other than 0/1 and too-long sentences", () => {
    const none = { sentences: [], labels: [] };
    expect(() => encodeSentiment({ sentences: ["good"], labels: [] }, none, tiny)).toThrow("encodeSentiment: train has 1 sentences but 0 labels");
    expect(() => encodeSentiment({ sentences: ["good"], labels: [2] }, none, tiny)).toThrow("encodeSentiment: train label 0 must be 0 or 1, got 2");
    expect(() => encodeSentiment({ sentences: ["good bad"], labels: [1] }, none, tiny, { maxLen: 1 })).toThrow(
      "encodeSentiment: train sentence 0 has 2 tokens, more than maxLen 1",
    );
  });

  it("sentenceVocabulary lists every distinct token, sorted", () => {
    expect(sentenceVocabulary({ sentences: ["b a ", "c"] }, { sentences: ["a  d"] })).toEqual(["a", "b", "c", "d"]);
  });
});

describe.skipIf(sst2.skip)(`datasets sentiment on SST-2${sst2.note}`, () => {
  it("minitorch's setup: 450 / 100 rows padded to 52 with wink's 100-d vectors", async () => {
    const data = await loadSst2({ dataDir: sst2.dir(), trainSize: 450, valSize: 100 });
    const embeddings = await loadGlove({ vocabulary: sentenceVocabulary(data.train, data.validation), cacheDir: tempDir(), progress: false });
    const out = encodeSentiment(data.train, data.validation, embeddings, { seed: 0 });
    expect(out.maxLen).toBe(52);
    expect(out.train.shape).toEqual([450, 52, 100]);
    expect(out.validation.shape).toEqual([100, 52, 100]);
    expect(out.train.x.length).toBe(450 * 52 * 100);
    expect(out.unknownWords).toBe(out.unknown.length);
    expect(out.unknown).toContain("'s");
    // "hide" is word 0 of row 0; its vector is GloVe's.
    expect(Array.from(out.train.x.subarray(0, 100))).toEqual(Array.from(embeddings.get("hide")!));
    // Row 0 has 7 words; position 7 onwards is padding.
    expect(out.train.x.subarray(7 * 100, 52 * 100).every((v) => v === 0)).toBe(true);
  });
});
