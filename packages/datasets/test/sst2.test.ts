import fc from "fast-check";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildZip, loadSst2, parseSst2Tsv, tokenize } from "../src/index.js";
import { deadUrl, isolateCache, removeTempDirs, startServer, tempDir, type TestServer } from "./helpers.js";
import { sst2Copy } from "./sst2Copy.js";

isolateCache();

const sst2 = sst2Copy();
const sha = (b: Uint8Array): string => createHash("sha256").update(b).digest("hex");

const train = "sentence\tlabel\nit 's a charming journey \t1\nunflinchingly bleak \t0\na b c d \t1\n";
const dev = "sentence\tlabel\ngood \t1\nbad film \t0\n";
const goodZip = buildZip([
  { name: "SST-2/", data: "", deflate: false },
  { name: "SST-2/dev.tsv", data: dev },
  { name: "SST-2/train.tsv", data: train },
  { name: "SST-2/test.tsv", data: "index\tsentence\n0\tx\n" },
]);
const evilZip = buildZip([
  { name: "SST-2/train.tsv", data: train },
  { name: "SST-2/dev.tsv", data: dev },
  { name: "../../evil.tsv", data: "owned" },
  { name: "SST-2/../../dev.tsv", data: "owned" },
]);
const evilOnlyZip = buildZip([
  { name: "SST-2/train.tsv", data: train },
  { name: "../SST-2/dev.tsv", data: dev },
]);

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ "/SST-2.zip": goodZip, "/evil.zip": evilZip, "/evil-only.zip": evilOnlyZip });
});
afterAll(async () => {
  await server.close();
  removeTempDirs();
});

describe("datasets sst2 parsing", () => {
  it("parses header, rows and labels; keeps sentences as written", () => {
    const split = parseSst2Tsv(train, "train.tsv");
    expect(split.sentences).toEqual(["it 's a charming journey ", "unflinchingly bleak ", "a b c d "]);
    expect(split.labels).toEqual([1, 0, 1]);
    expect(split.maxTokens).toBe(5);
    expect(tokenize(split.sentences[0]!)).toEqual(["it", "'s", "a", "charming", "journey"]);
    expect(tokenize("  ")).toEqual([]);
  });

  it("parses random rows back", () => {
    const sentence = fc.array(fc.stringMatching(/^[a-z'.,-]{1,8}$/), { minLength: 1, maxLength: 12 }).map((ws) => ws.join(" ") + " ");
    fc.assert(
      fc.property(fc.array(fc.tuple(sentence, fc.integer({ min: 0, max: 1 }))), (rows) => {
        const text = "sentence\tlabel\n" + rows.map(([s, l]) => `${s}\t${l}\n`).join("");
        const split = parseSst2Tsv(text, "f");
        expect(split.sentences).toEqual(rows.map(([s]) => s));
        expect(split.labels).toEqual(rows.map(([, l]) => l));
        expect(split.maxTokens).toBe(Math.max(0, ...rows.map(([s]) => tokenize(s).length)));
      }),
    );
  });

  it("names file and line of a bad row", () => {
    expect(() => parseSst2Tsv("sentence\tlabel\nok \t1\nno tab here\n", "t.tsv")).toThrow('readSst2: t.tsv: line 3: expected "sentence<TAB>label", found no tab');
    expect(() => parseSst2Tsv("sentence\tlabel\nok \t2\n", "t.tsv")).toThrow('readSst2: t.tsv: line 2: label must be 0 or 1, got "2"');
    expect(() => parseSst2Tsv("sentence\tlabel\nok \t1\t0\n", "t.tsv")).toThrow("readSst2: t.tsv: line 2: expected one tab, found 2");
    expect(() => parseSst2Tsv("text\tlabel\nok \t1\n", "t.tsv")).toThrow('readSst2: t.tsv: line 1: expected the header "sentence<TAB>label", got "text\\tlabel"');
    expect(() => parseSst2Tsv("sentence\tlabel\nok \t1\n\nok \t0\n", "t.tsv")).toThrow("line 3: expected");
  });
});

describe.skipIf(sst2.skip)(`datasets sst2 shared copy${sst2.note}`, () => {
  it("has 67,349 train rows (29,780 / 37,569) and 872 dev rows (428 / 444)", async () => {
    const data = await loadSst2({ dataDir: sst2.dir() });
    expect(data.train.sentences.length).toBe(67_349);
    expect(data.validation.sentences.length).toBe(872);
    expect(data.train.labels.filter((l) => l === 0).length).toBe(29_780);
    expect(data.validation.labels.filter((l) => l === 1).length).toBe(444);
    expect([data.train.maxTokens, data.validation.maxTokens]).toEqual([52, 47]);
  });

  it("first rows, and minitorch's sizes 450 / 100 keep the file-wide maxTokens", async () => {
    const data = await loadSst2({ dataDir: sst2.dir(), trainSize: 450, valSize: 100 });
    expect(data.train.sentences.slice(0, 3)).toEqual([
      "hide new secretions from the parental units ",
      "contains no wit , only labored gags ",
      "that loves its characters and communicates something rather beautiful about human nature ",
    ]);
    expect(data.train.labels.slice(0, 3)).toEqual([0, 0, 1]);
    expect(data.validation.sentences[0]).toBe("it 's a charming and often affecting journey . ");
    expect(data.validation.labels[0]).toBe(1);
    expect(data.train.sentences.length).toBe(450);
    expect(data.validation.sentences.length).toBe(100);
    expect(data.train.maxTokens).toBe(52);
    await expect(loadSst2({ dataDir: sst2.dir(), valSize: 873 })).rejects.toThrow(`loadSst2: valSize 873 exceeds the 872 rows of ${join(sst2.dir(), "dev.tsv")}`);
  });
});

describe("datasets sst2 download", () => {
  it("downloads, verifies, extracts the two files, then reuses the cache", async () => {
    const cacheDir = tempDir();
    const url = `${server.url}/SST-2.zip`;
    const data = await loadSst2({ cacheDir, url, sha256: sha(goodZip), progress: false });
    expect(data.source).toBe(join(cacheDir, "sst2"));
    expect(data.train.labels).toEqual([1, 0, 1]);
    expect(data.validation.sentences).toEqual(["good ", "bad film "]);
    expect(readdirSync(join(cacheDir, "sst2")).sort()).toEqual(["SST-2.zip", "dev.tsv", "train.tsv"]);
    expect(server.hits.get("/SST-2.zip")).toBe(1);
    await loadSst2({ cacheDir, url, sha256: sha(goodZip), progress: false });
    expect(server.hits.get("/SST-2.zip")).toBe(1);
    // Without the extracted files, the verified archive is extracted again, offline.
    const again = await loadSst2({ cacheDir, url: await deadUrl(), sha256: sha(goodZip), progress: false, trainSize: 1 });
    expect(again.train.sentences).toEqual(["it 's a charming journey "]);
  });

  it("a wrong checksum fails and caches nothing", async () => {
    const cacheDir = tempDir();
    await expect(loadSst2({ cacheDir, url: `${server.url}/SST-2.zip`, sha256: "ab".repeat(32), progress: false })).rejects.toThrow(
      `loadSst2: could not download SST-2 (download: ${server.url}/SST-2.zip: sha256 mismatch: expected ${"ab".repeat(32)}, got ${sha(goodZip)}`,
    );
    const dir = join(cacheDir, "sst2");
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it("archive entries with ../ are never written", async () => {
    const root = tempDir();
    const cacheDir = join(root, "a", "b");
    mkdirSync(cacheDir, { recursive: true });
    const data = await loadSst2({ cacheDir, url: `${server.url}/evil.zip`, sha256: sha(evilZip), progress: false });
    expect(data.validation.sentences).toEqual(["good ", "bad film "]);
    expect(readdirSync(join(cacheDir, "sst2")).sort()).toEqual(["SST-2.zip", "dev.tsv", "train.tsv"]);
    expect(readdirSync(root)).toEqual(["a"]);
    expect(readdirSync(join(root, "a"))).toEqual(["b"]);
    expect(readdirSync(cacheDir)).toEqual(["sst2"]);
    const other = tempDir();
    await expect(loadSst2({ cacheDir: other, url: `${server.url}/evil-only.zip`, sha256: sha(evilOnlyZip), progress: false })).rejects.toThrow(
      /has no entry SST-2\/dev\.tsv \(it holds SST-2\/train\.tsv, \.\.\/SST-2\/dev\.tsv\)/,
    );
    expect(existsSync(join(other, "SST-2"))).toBe(false);
  });

  it("without network, the error says where to put the files", async () => {
    const cacheDir = tempDir();
    const url = await deadUrl();
    await expect(loadSst2({ cacheDir, url, progress: false })).rejects.toThrow(
      new RegExp(`loadSst2: could not download SST-2 \\(download: GET ${url} failed .*\\); put GLUE's SST-2 train.tsv and dev.tsv .* into ${join(cacheDir, "sst2")} by hand, or pass their directory as dataDir`),
    );
    await expect(loadSst2({ cacheDir, download: false })).rejects.toThrow("SST-2 is not in the cache and downloading is off; put GLUE's");
  });

  it("files put in the cache by hand are used as they are", async () => {
    const cacheDir = tempDir();
    const dir = join(cacheDir, "sst2");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "train.tsv"), train);
    writeFileSync(join(dir, "dev.tsv"), dev);
    const data = await loadSst2({ cacheDir, download: false });
    expect(data.train.sentences.length).toBe(3);
    expect(readFileSync(join(dirname(dir), "sst2", "dev.tsv"), "utf8")).toBe(dev);
  });

  it("an explicit dataDir without the files is an error, not a download", async () => {
    const dataDir = tempDir();
    await expect(loadSst2({ dataDir })).rejects.toThrow(`loadSst2: ${dataDir} has no train.tsv (SST-2 needs train.tsv and dev.tsv)`);
  });
});
