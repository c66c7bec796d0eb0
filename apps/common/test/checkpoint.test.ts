import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from "../src/index.js";
import { tempDirs } from "./tempDirs.js";

const tempDir = tempDirs("app-common-ckpt-");

type Body = Omit<Checkpoint, "format" | "version">;

function body(epoch: number, values = 6): Body {
  return {
    app: "test-app",
    epoch,
    model: { "layer.weights": { shape: [values], data: Array.from({ length: values }, (_, i) => i * 0.5 - epoch) } },
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { batchSize: 16 },
    bestValAccuracy: 0.25,
  };
}

/** Files of `dir` other than `keep`: temporary files left behind, if any. */
function strays(dir: string, keep: string[]): string[] {
  return fs.readdirSync(dir).filter((f) => !keep.includes(f));
}

describe("app-common", () => {
  describe("saveCheckpoint / loadCheckpoint", () => {
    it("round-trips a checkpoint, adding format and version, and leaves no temporary file", () => {
      const dir = tempDir();
      const file = path.join(dir, "ckpt.json");
      saveCheckpoint(file, body(3));
      expect(strays(dir, ["ckpt.json"])).toEqual([]);
      const c = loadCheckpoint(file, "test-app");
      expect(c).toEqual({ format: "minitorch-ts-checkpoint", version: 1, ...body(3) });
    });

    it("creates the directory of the checkpoint", () => {
      const dir = tempDir();
      const file = path.join(dir, "runs", "deep", "ckpt.json");
      saveCheckpoint(file, body(1));
      expect(loadCheckpoint(file, "test-app").epoch).toBe(1);
    });

    it("replaces a pre-existing checkpoint as a whole (a reader of the old file still sees the old one)", () => {
      const dir = tempDir();
      const file = path.join(dir, "ckpt.json");
      saveCheckpoint(file, body(1, 5000));
      const oldText = fs.readFileSync(file, "utf8");
      const oldFd = fs.openSync(file, "r");
      try {
        saveCheckpoint(file, body(2, 3));
        // The new, much shorter file has no tail of the old one.
        const c = loadCheckpoint(file, "test-app");
        expect(c.epoch).toBe(2);
        expect(c.model["layer.weights"]!.data).toHaveLength(3);
        expect(fs.readFileSync(file, "utf8")).toBe(JSON.stringify({ format: "minitorch-ts-checkpoint", version: 1, ...body(2, 3) }));
        // Renamed over, not rewritten in place: the old file is intact for whoever had it open.
        expect(fs.readFileSync(oldFd, "utf8")).toBe(oldText);
      } finally {
        fs.closeSync(oldFd);
      }
      expect(strays(dir, ["ckpt.json"])).toEqual([]);
    });

    it("keeps the old checkpoint intact and leaves no temporary file when the new one cannot be serialised", () => {
      const dir = tempDir();
      const file = path.join(dir, "ckpt.json");
      saveCheckpoint(file, body(1));
      const before = fs.readFileSync(file, "utf8");
      const bad = { ...body(2), settings: { seed: 1n } as unknown as Record<string, unknown> };
      expect(() => saveCheckpoint(file, bad)).toThrow(/BigInt/);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(() => saveCheckpoint(file, { ...body(3), settings: circular })).toThrow(/circular/i);
      expect(fs.readFileSync(file, "utf8")).toBe(before);
      expect(loadCheckpoint(file, "test-app").epoch).toBe(1);
      expect(strays(dir, ["ckpt.json"])).toEqual([]);
    });

    it("leaves no temporary file when the final rename fails", () => {
      const dir = tempDir();
      // The target is a non-empty directory: renaming a file over it fails.
      const target = path.join(dir, "ckpt.json");
      fs.mkdirSync(target);
      fs.writeFileSync(path.join(target, "keep"), "x");
      expect(() => saveCheckpoint(target, body(1))).toThrow();
      expect(strays(dir, ["ckpt.json"])).toEqual([]);
      expect(fs.readdirSync(target)).toEqual(["keep"]);
    });

    it("names the file when it is missing", () => {
      const file = path.join(tempDir(), "nope.json");
      expect(() => loadCheckpoint(file, "test-app")).toThrow(`cannot read checkpoint ${file}: ENOENT`);
    });

    it("names the file when it is not JSON (e.g. truncated)", () => {
      const dir = tempDir();
      const file = path.join(dir, "ckpt.json");
      saveCheckpoint(file, body(1));
      const text = fs.readFileSync(file, "utf8");
      fs.writeFileSync(file, text.slice(0, text.length / 2));
      expect(() => loadCheckpoint(file, "test-app")).toThrow(new RegExp(`^checkpoint ${file} is not valid JSON`));
    });

    it("names the file when it is JSON but not a checkpoint", () => {
      const file = path.join(tempDir(), "other.json");
      for (const text of ["{}", "[1, 2]", "null", '{"format": "minitorch-ts-checkpoint", "version": 2}']) {
        fs.writeFileSync(file, text);
        expect(() => loadCheckpoint(file, "test-app")).toThrow(`${file} is not a minitorch-ts checkpoint`);
      }
    });

    it("names the file and both apps when the checkpoint is another app's", () => {
      const file = path.join(tempDir(), "ckpt.json");
      saveCheckpoint(file, { ...body(1), app: "train-mnist" });
      expect(() => loadCheckpoint(file, "train-sentiment")).toThrow(`checkpoint ${file} was written by train-mnist, not train-sentiment`);
      expect(() => loadCheckpoint(file, ["train-sentiment", "other"])).toThrow(`checkpoint ${file} was written by train-mnist, not train-sentiment or other`);
      expect(loadCheckpoint(file, ["train-sentiment", "train-mnist"]).app).toBe("train-mnist");
    });

    it("names the file when a field is missing or of the wrong kind", () => {
      const file = path.join(tempDir(), "ckpt.json");
      const full = { format: "minitorch-ts-checkpoint", version: 1, ...body(2) };
      const broken: Record<string, unknown>[] = [
        { ...full, epoch: undefined },
        { ...full, epoch: 1.5 },
        { ...full, model: undefined },
        { ...full, model: null },
        { ...full, optimizer: undefined },
        { ...full, random: undefined },
        { ...full, random: "1,2,3,4" },
        { ...full, bestValAccuracy: undefined },
      ];
      for (const c of broken) {
        fs.writeFileSync(file, JSON.stringify(c));
        expect(() => loadCheckpoint(file, "test-app"), JSON.stringify(c).slice(0, 120)).toThrow(`checkpoint ${file} is incomplete`);
      }
    });
  });
});
