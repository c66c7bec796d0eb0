/**
 * End to end on the API: a tiny train-mnist run made by the app, then the
 * visualiser's server over its runs directory, checked against what the run
 * itself logged. The page that draws these answers is the playground's
 * Runs tab, tested in a real browser by apps/playground/test/playground.test.ts.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MetricsResponse, MnistResponse, MnistSummary, RunsResponse } from "../src/api.js";
import { startServer, type VisualizeServer } from "../src/index.js";

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(app, "../..");

describe("visualize e2e: a train-mnist run through the API", () => {
  let tmp: string;
  let runs: string;
  let server: VisualizeServer | undefined;
  const getJson = async <T>(p: string): Promise<T> => {
    const r = await fetch(`${server!.url}${p}`);
    expect(r.status, p).toBe(200);
    return (await r.json()) as T;
  };

  beforeAll(async () => {
    const trainMnist = path.join(repo, "apps/train-mnist/dist/main.js");
    if (!fs.existsSync(trainMnist)) throw new Error(`visualize e2e: ${trainMnist} is missing: run \`pnpm build\` first`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "visualize-e2e-"));
    runs = path.join(tmp, "runs");
    const train = spawnSync(
      process.execPath,
      [trainMnist, "--epochs", "1", "--train-size", "64", "--val-size", "32", "--threads", "2", "--log", path.join(runs, "run1.txt"), "--save", path.join(runs, "run1.ckpt")],
      { encoding: "utf8", timeout: 120_000, env: { ...process.env, MINITORCH_DATA_DIR: path.join(tmp, "cache") } },
    );
    expect(train.status, train.stderr).toBe(0);
    server = await startServer({ runsDir: runs, port: 0 });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("lists the run with its log and the checkpoint, and serves its metrics", async () => {
    const index = await getJson<RunsResponse>("api/runs");
    expect(index.runs.map((r) => [r.name, r.app, r.logUrl])).toEqual([["run1", "train-mnist", "/runs/run1.txt"]]);
    expect(index.checkpoints.map((c) => [c.name, c.app])).toEqual([["run1.ckpt", "train-mnist"]]);
    const m = await getJson<MetricsResponse>("api/runs/run1/metrics");
    expect(m.total).toBeGreaterThan(0);
    expect(m.skipped).toBe(0);
    expect(m.records.every((r) => Number.isFinite(r.loss))).toBe(true);
  });

  it("scores the validation digits as the training run did", async () => {
    const log = fs.readFileSync(path.join(runs, "run1.txt"), "utf8");
    // The checkpoint holds the last epoch's weights.
    const logged = [...log.matchAll(/Epoch \d+ validation accuracy (\d+)\/(\d+)/g)].at(-1) ?? null;
    expect(logged, log).not.toBeNull();
    const summary = await getJson<MnistSummary>("api/mnist/run1.ckpt/summary");
    expect(summary.count).toBe(Number(logged![2]));
    expect(summary.count - summary.wrong.length).toBe(Number(logged![1]));
  });

  it("a validation digit: 4 + 8 non-uniform feature maps and probabilities summing to 1", async () => {
    const d = await getJson<MnistResponse>("api/mnist/run1.ckpt/0");
    expect([d.mid.channels, d.out.channels]).toEqual([4, 8]);
    for (const map of [...d.mid.data, ...d.out.data]) expect(Math.max(...map)).toBeGreaterThan(Math.min(...map));
    expect(d.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("follows the metrics file as it grows", async () => {
    const before = (await getJson<MetricsResponse>("api/runs/run1/metrics")).total;
    fs.appendFileSync(path.join(runs, "run1.metrics.jsonl"), `${JSON.stringify({ kind: "batch", epoch: 99, batch: 0, loss: 2.2, valAccuracy: 0.25, time: 999 })}\n`);
    expect((await getJson<MetricsResponse>("api/runs/run1/metrics")).total).toBe(before + 1);
  });
});
