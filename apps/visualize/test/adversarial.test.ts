/**
 * The visualiser's server against what real runs leave behind (issue 17):
 * checkpoints written with relative paths from another directory, runs that
 * stopped before their first record. Each test names the row of the issue it
 * keeps fixed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { saveCheckpoint } from "@minitorch/app-common";
import { encodeIdxImages, encodeIdxLabels, loadMnist } from "@minitorch/datasets";
import { LeNet } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MnistSummary, RunsResponse } from "../src/api.js";
import { startServer, type VisualizeServer } from "../src/index.js";

const mnistMain = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../train-mnist/dist/main.js");

let dir: string;
let runs: string;
let server: VisualizeServer;

function get(rawPath: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port: server.port, path: rawPath }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

/** `count` real digits as an IDX pair in `dir`. */
function writeIdx(target: string, count: number): void {
  fs.mkdirSync(target, { recursive: true });
  const digits = loadMnist({ trainSize: count, valSize: 0 }).train;
  fs.writeFileSync(path.join(target, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdxImages(digits.bytes, count)));
  fs.writeFileSync(path.join(target, "train-labels-idx1-ubyte"), encodeIdxLabels(digits.labels));
}

/** A LeNet checkpoint whose settings record `source` as it was written (possibly relative). */
function lenetCheckpoint(file: string, source: string): void {
  saveCheckpoint(file, {
    app: "train-mnist",
    epoch: 1,
    model: new LeNet().stateDict(),
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { trainSize: 16, valSize: 8, source },
    bestValAccuracy: 0,
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "visualize-adversarial-"));
  runs = path.join(dir, "runs");
  fs.mkdirSync(runs);
  // Trained from `dir` with a relative --data-dir; the server runs from elsewhere (this process's directory).
  writeIdx(path.join(dir, "idx"), 32);
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: path.join(dir, "cache") };
  delete env.MINITORCH_DEBUG;
  const trained = spawnSync(
    process.execPath,
    [mnistMain, "--threads", "1", "--epochs", "1", "--train-size", "16", "--val-size", "8", "--data-dir", "idx", "--save", "runs/trained.ckpt"],
    { cwd: dir, env, encoding: "utf8", timeout: 120_000 },
  );
  if (trained.status !== 0) throw new Error(`train-mnist failed: ${trained.stderr}`);
  // Older checkpoints hold relative paths: one whose data lies at that path from the checkpoint's directory, one whose data is gone.
  writeIdx(path.join(runs, "beside"), 32);
  lenetCheckpoint(path.join(runs, "relative.ckpt"), path.join("beside", "train-images-idx3-ubyte.gz"));
  lenetCheckpoint(path.join(runs, "gone.ckpt"), path.join("nowhere", "train-images-idx3-ubyte.gz"));
  saveCheckpoint(path.join(runs, "kim.ckpt"), {
    app: "train-sentiment",
    epoch: 1,
    model: new KimCNN({ featureMapSize: 2, embeddingSize: 3, filterSizes: [1, 2, 3] }).stateDict(),
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { maxLen: 6, embeddingSize: 3, embeddings: "glove/missing.txt", seed: 1 },
    bestValAccuracy: 0,
  });
  // A run that stopped before its first record, as an older version left it.
  fs.writeFileSync(path.join(runs, "empty.metrics.jsonl"), "");
  fs.writeFileSync(path.join(runs, "empty.txt"), "# train-mnist --log empty.txt (seed 42)\n");
  server = await startServer({ runsDir: runs, port: 0 });
}, 180_000);

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

describe("adversarial: the visualiser's server", () => {
  describe("row 6: data paths in checkpoints", () => {
    it("a checkpoint trained with a relative --data-dir in another directory is summarised (the app records absolute paths)", async () => {
      expect(process.cwd()).not.toBe(dir);
      const r = await get("/api/mnist/trained.ckpt/summary");
      expect(r.status, r.body).toBe(200);
      const summary = JSON.parse(r.body) as MnistSummary;
      expect(summary.count).toBe(8);
      expect(summary.predicted).toHaveLength(8);
    });

    it("a relative path recorded by an older run is taken from the checkpoint's directory", async () => {
      const r = await get("/api/mnist/relative.ckpt/summary");
      expect(r.status, r.body).toBe(200);
      expect((JSON.parse(r.body) as MnistSummary).count).toBe(8);
    });

    it("data that is not there is a 404 naming the recorded path, not a 500", async () => {
      const r = await get("/api/mnist/gone.ckpt/summary");
      expect(r.status).toBe(404);
      expect(JSON.parse(r.body)).toEqual({
        error: `mnist: the checkpoint's data directory nowhere (relative to the checkpoint: ${path.join(fs.realpathSync(runs), "nowhere")}) does not exist on this machine`,
      });
      const s = await get("/api/sentiment/kim.ckpt?sentence=good");
      expect(s.status).toBe(404);
      expect(s.body).toContain("sentiment: the checkpoint's embeddings file glove/missing.txt (relative to the checkpoint:");
    });
  });

  describe("row 8: runs that stopped before their first record", () => {
    it("an empty metrics file is not listed as a run", async () => {
      const r = await get("/api/runs");
      expect(r.status).toBe(200);
      const index = JSON.parse(r.body) as RunsResponse;
      expect(index.runs.map((run) => run.name)).not.toContain("empty");
      expect(index.checkpoints.map((c) => c.name).sort()).toEqual(["gone.ckpt", "kim.ckpt", "relative.ckpt", "trained.ckpt"]);
    });
  });
});
