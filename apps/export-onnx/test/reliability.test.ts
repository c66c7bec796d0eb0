/**
 * export-onnx under issue 26's probe: no output may be an input or the
 * other output, every output is checked before any is written, and a
 * checkpoint with implausible sizes is refused before anything is built.
 * Each test names its row.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MAX_CHECKPOINT_BYTES, loadCheckpoint, saveCheckpoint } from "@minitorch/app-common";
import { SimpleBackend } from "@minitorch/tensor-core";
import { LeNet } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";
import { describe, expect, it } from "vitest";
import { rebuildModel } from "../src/rebuild.js";
import { tempDirs } from "../../common/test/tempDirs.js";

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/main.js");
const isRoot = process.getuid?.() === 0;
const tempDir = tempDirs("export-onnx-reliability-");

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: tempDir() };
  delete env.MINITORCH_DEBUG;
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function refused(r: { status: number | null; stdout: string; stderr: string }): string {
  expect(r.status, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  return lines[0]!;
}

/** A train-mnist checkpoint of an untrained LeNet, in a fresh directory. */
function lenetCheckpoint(): { dir: string; ckpt: string; bytes: Buffer } {
  const dir = tempDir();
  const ckpt = path.join(dir, "c.ckpt");
  saveCheckpoint(ckpt, {
    app: "train-mnist",
    epoch: 1,
    model: new LeNet({ backend: SimpleBackend }).stateDict(),
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { trainSize: 32, valSize: 16 },
    bestValAccuracy: 0.5,
  });
  return { dir, ckpt, bytes: fs.readFileSync(ckpt) };
}

describe("reliability (issue 26): export-onnx", () => {
  describe("row 1: an output equal to an input, or to the other output, is refused before anything is written", () => {
    it("--out equal to --checkpoint", () => {
      const { ckpt, bytes } = lenetCheckpoint();
      expect(refused(run(["--checkpoint", ckpt, "--out", ckpt]))).toBe(`export-onnx: --out ${ckpt} and --checkpoint ${ckpt} are the same file; give each its own`);
      expect(fs.readFileSync(ckpt)).toEqual(bytes);
      loadCheckpoint(ckpt, "train-mnist");
    });

    it("--samples equal to --checkpoint", () => {
      const { dir, ckpt, bytes } = lenetCheckpoint();
      const out = path.join(dir, "m.onnx");
      expect(refused(run(["--checkpoint", ckpt, "--out", out, "--samples", ckpt]))).toBe(`export-onnx: --samples ${ckpt} and --checkpoint ${ckpt} are the same file; give each its own`);
      expect(fs.readFileSync(ckpt)).toEqual(bytes);
      expect(fs.existsSync(out)).toBe(false);
    });

    it("--samples equal to --out", () => {
      const { dir, ckpt } = lenetCheckpoint();
      const out = path.join(dir, "m.onnx");
      expect(refused(run(["--checkpoint", ckpt, "--out", out, "--samples", out]))).toBe(`export-onnx: --out ${out} and --samples ${out} are the same file; give each its own`);
      expect(fs.readdirSync(dir)).toEqual(["c.ckpt"]);
    });

    it("--out onto a file --data-dir supplies", () => {
      const { dir, ckpt } = lenetCheckpoint();
      const data = tempDir();
      const labels = path.join(data, "train-labels-idx1-ubyte");
      fs.writeFileSync(labels, "labels");
      expect(refused(run(["--checkpoint", ckpt, "--out", labels, "--samples", path.join(dir, "s.json"), "--data-dir", data]))).toMatch(
        /^export-onnx: --out .*train-labels-idx1-ubyte and --data-dir's file .*train-labels-idx1-ubyte are the same file/,
      );
      expect(fs.readFileSync(labels, "utf8")).toBe("labels");
    });
  });

  describe("row 8: every output is checked at start-up, before any is written", () => {
    it("--samples /dev/full leaves --out unwritten", () => {
      const { dir, ckpt } = lenetCheckpoint();
      const out = path.join(dir, "m.onnx");
      expect(refused(run(["--checkpoint", ckpt, "--out", out, "--samples", "/dev/full"]))).toBe("export-onnx: --samples /dev/full is not a regular file (it is a character device)");
      expect(fs.existsSync(out)).toBe(false);
    });

    it("--samples in a directory that takes no new file leaves --out unwritten", () => {
      const { dir, ckpt } = lenetCheckpoint();
      const out = path.join(dir, "m.onnx");
      let samples = "/proc/self/samples.json";
      if (!isRoot) {
        const locked = tempDir();
        fs.chmodSync(locked, 0o500);
        samples = path.join(locked, "samples.json");
      }
      expect(refused(run(["--checkpoint", ckpt, "--out", out, "--samples", samples]))).toMatch(new RegExp(`^export-onnx: --samples ${samples} cannot be written`));
      expect(fs.existsSync(out)).toBe(false);
    });
  });

  describe("row 9: a trailing slash is a directory path, named as given", () => {
    it("--out dir/", () => {
      const { dir, ckpt } = lenetCheckpoint();
      const out = `${path.join(dir, "trail")}/`;
      const line = refused(run(["--checkpoint", ckpt, "--out", out]));
      expect(line).toBe(`export-onnx: --out ${out} is a directory path (it ends with "/"); give a file name`);
      expect(line).not.toMatch(/\.part|\.tmp/);
      expect(fs.readdirSync(dir)).toEqual(["c.ckpt"]);
    });
  });

  describe("row 10: path errors name the option and the file", () => {
    it("--out ''", () => {
      const { ckpt } = lenetCheckpoint();
      expect(refused(run(["--checkpoint", ckpt, "--out", ""]))).toBe('export-onnx: --out needs a file name, got ""');
    });

    it("--embeddings given a directory", () => {
      const { dir, ckpt } = lenetCheckpoint();
      expect(refused(run(["--checkpoint", ckpt, "--out", path.join(dir, "m.onnx"), "--embeddings", dir]))).toBe(`export-onnx: --embeddings ${dir} is a directory, not a file`);
    });
  });

  describe("row 16: implausible sizes in a checkpoint are refused on load", () => {
    it("settings.maxLen 2,000,000 is refused by rebuildModel, before any tensor is made", () => {
      const dir = tempDir();
      const file = path.join(dir, "k.ckpt");
      const kim = new KimCNN({ featureMapSize: 2, embeddingSize: 3 });
      saveCheckpoint(file, { app: "train-sentiment", epoch: 1, model: kim.stateDict(), optimizer: { lr: 0.01 }, random: [1, 2, 3, 4], settings: { maxLen: 2_000_000 }, bestValAccuracy: 0.5 });
      expect(() => rebuildModel(file, SimpleBackend)).toThrow(`checkpoint ${file}: settings.maxLen 2000000 is not a plausible padded sentence length (at most 4096 words)`);
    });

    it("a checkpoint file larger than any model is refused before it is read (a sparse file)", () => {
      const file = path.join(tempDir(), "huge.ckpt");
      fs.writeFileSync(file, "");
      fs.truncateSync(file, MAX_CHECKPOINT_BYTES + 1);
      expect(() => loadCheckpoint(file, "train-mnist")).toThrow(`checkpoint ${file} is ${MAX_CHECKPOINT_BYTES + 1} bytes, more than any model of these apps takes`);
    });
  });
});
