import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { saveCheckpoint } from "@minitorch/app-common";
import { LeNet } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExpressionResponse, MetricsResponse, MnistResponse, RunsResponse, SentimentResponse } from "../src/api.js";
import { parseMetricLine, startServer, type VisualizeServer } from "../src/index.js";

const SECRET = "top secret, outside the runs directory";
const GOOD = (batch: number): string => JSON.stringify({ kind: "batch", epoch: 1, batch, loss: 2.3 - batch / 100, valAccuracy: 0.1, time: batch });

let dir: string;
let server: VisualizeServer;

/** A raw request: the path goes on the wire exactly as given (no URL normalisation). */
function request(
  rawPath: string,
  method = "GET",
  headers: http.OutgoingHttpHeaders = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: server.port, path: rawPath, method, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function getJson<T>(rawPath: string): Promise<T> {
  const r = await request(rawPath);
  expect(r.status, r.body).toBe(200);
  return JSON.parse(r.body) as T;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "visualize-server-"));
  const runs = path.join(dir, "runs");
  const pub = path.join(dir, "public");
  fs.mkdirSync(path.join(runs, "sub"), { recursive: true });
  fs.mkdirSync(path.join(pub, "assets"), { recursive: true });
  fs.writeFileSync(path.join(pub, "index.html"), "<!doctype html><title>page</title>");
  fs.writeFileSync(path.join(pub, "assets", "main.js"), "console.log(1);");
  fs.writeFileSync(path.join(dir, "secret.txt"), SECRET);
  fs.writeFileSync(path.join(runs, "run1.txt"), "# train-mnist --epochs 1 (seed 42)\nEpoch 1 loss 2.3\n");
  // Three records, a corrupt line, and a last line cut short by an interrupted writer.
  fs.writeFileSync(path.join(runs, "run1.metrics.jsonl"), `${GOOD(0)}\n${GOOD(5)}\nnot json at all\n${GOOD(10)}\n{"kind":"batch","epoch":1,"ba`);
  fs.writeFileSync(path.join(runs, "sub", "run2.metrics.jsonl"), `${GOOD(0)}\n`);
  fs.writeFileSync(path.join(runs, ".hidden"), SECRET);
  fs.symlinkSync(path.join(dir, "secret.txt"), path.join(runs, "escape.txt"));
  fs.symlinkSync(dir, path.join(runs, "linkdir"));
  fs.symlinkSync(path.join(runs, "run1.txt"), path.join(runs, "inside.txt"));

  saveCheckpoint(path.join(runs, "lenet.ckpt"), {
    app: "train-mnist",
    epoch: 3,
    model: new LeNet().stateDict(),
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { trainSize: 10, valSize: 5 },
    bestValAccuracy: 0,
  });
  const glove = path.join(dir, "glove.txt");
  fs.writeFileSync(glove, "good 0.1 0.2 0.3\nmovie 0.3 0.1 -0.2\nbad -0.3 0.2 0.1\n");
  saveCheckpoint(path.join(runs, "kim.ckpt"), {
    app: "train-sentiment",
    epoch: 2,
    model: new KimCNN({ featureMapSize: 4, embeddingSize: 3, filterSizes: [1, 2, 3] }).stateDict(),
    optimizer: { lr: 0.01 },
    random: [1, 2, 3, 4],
    settings: { maxLen: 6, embeddingSize: 3, embeddings: glove, seed: 1 },
    bestValAccuracy: 0,
  });
  server = await startServer({ runsDir: runs, port: 0, publicDir: pub });
});

afterAll(async () => {
  await server?.close();
  if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
});

describe("visualize server", () => {
  it("binds 127.0.0.1 by default and serves the page and its assets", async () => {
    expect(server.host).toBe("127.0.0.1");
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const page = await request("/");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toContain("default-src 'self'");
    expect((await request("/assets/main.js")).body).toBe("console.log(1);");
  });

  it("serves the files of the runs directory, and symlinks that stay inside it", async () => {
    expect((await request("/runs/run1.txt")).body).toContain("Epoch 1 loss 2.3");
    expect((await request("/runs/inside.txt")).status).toBe(200);
    expect((await request("/runs/sub/run2.metrics.jsonl")).status).toBe(200);
  });

  it.each([
    "/runs/../secret.txt",
    "/runs/%2e%2e/secret.txt",
    "/runs/%2E%2E/secret.txt",
    "/runs/%2e%2e%2fsecret.txt",
    "/runs/..%2Fsecret.txt",
    "/runs/..%5csecret.txt",
    "/runs/sub/../../secret.txt",
    "/runs/./run1.txt",
    "/runs//etc/passwd",
    "/runs/%2Fetc%2Fpasswd",
    `/runs/${encodeURIComponent(path.join(os.tmpdir()))}/secret.txt`,
    "/etc/passwd",
    "//etc/passwd",
    "/runs/escape.txt",
    "/runs/linkdir/secret.txt",
    "/runs/.hidden",
    "/runs/run1.txt%00.png",
    "/runs/%zz",
    "/runs/",
    "/runs/sub",
    "/assets/../../secret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/api/../runs/run1.txt",
    "http://127.0.0.1/../secret.txt",
  ])("GET %s is a 404 that leaks nothing", async (p) => {
    const r = await request(p);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain("top secret");
  });

  it.each(["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])("%s is a 405 with Allow: GET", async (method) => {
    for (const p of ["/", "/api/runs", "/runs/run1.txt"]) {
      const r = await request(p, method);
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe("GET");
    }
  });

  it("lists runs (with their app and log) and checkpoints", async () => {
    const r = await getJson<RunsResponse>("/api/runs");
    expect(r.runs.map((x) => x.name)).toEqual(["run1", "sub/run2"]);
    expect(r.runs[0]).toMatchObject({ app: "train-mnist", metricsUrl: "/runs/run1.metrics.jsonl", logUrl: "/runs/run1.txt" });
    expect(r.checkpoints.map((c) => [c.name, c.app, c.epoch])).toEqual([
      ["kim.ckpt", "train-sentiment", 2],
      ["lenet.ckpt", "train-mnist", 3],
    ]);
  });

  it("a truncated metrics file: corrupt and cut-short lines are skipped and counted, not fatal", async () => {
    const m = await getJson<MetricsResponse>("/api/runs/run1/metrics");
    expect(m.records.map((r) => r.batch)).toEqual([0, 5, 10]);
    expect(m.skipped).toBe(2);
    expect(m.skippedLines).toEqual([3, 5]);
    expect((await getJson<MetricsResponse>("/api/runs/sub%2Frun2/metrics")).records).toHaveLength(1);
    expect((await request("/api/runs/nope/metrics")).status).toBe(404);
    expect((await request("/api/runs/..%2Fsecret/metrics")).status).toBe(404);
  });

  it("parseMetricLine checks every field", () => {
    expect(parseMetricLine(GOOD(1))).toMatchObject({ kind: "batch", batch: 1 });
    expect(parseMetricLine('{"kind":"other","epoch":1,"batch":0,"loss":1,"time":0}')).toBeNull();
    expect(parseMetricLine('{"kind":"epoch","epoch":1,"batch":0,"loss":"x","time":0}')).toBeNull();
    expect(parseMetricLine('{"kind":"epoch","epoch":1,"batch":0,"loss":1,"time":0,"valAccuracy":2}')).toBeNull();
    expect(parseMetricLine("[1,2]")).toBeNull();
  });

  it("MNIST: a validation digit's image, 4 + 8 feature maps, probabilities summing to 1", async () => {
    const d = await getJson<MnistResponse>("/api/mnist/lenet.ckpt/2");
    expect(d).toMatchObject({ epoch: 3, index: 2, count: 5 });
    expect(d.image).toHaveLength(784);
    expect([d.mid.channels, d.mid.data.length, d.mid.data[0]!.length]).toEqual([4, 4, 784]);
    expect([d.out.channels, d.out.data.length, d.out.data[0]!.length]).toEqual([8, 8, 784]);
    expect(d.probabilities).toHaveLength(10);
    expect(d.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(d.predicted).toBe(d.probabilities.indexOf(Math.max(...d.probabilities)));
    expect((await request("/api/mnist/lenet.ckpt/5")).status).toBe(400);
    expect((await request("/api/mnist/lenet.ckpt/-1")).status).toBe(400);
    expect((await request("/api/mnist/kim.ckpt/0")).status).toBe(400);
    expect((await request("/api/mnist/missing.ckpt/0")).status).toBe(404);
  });

  it("sentiment: probability and, per filter width, the words the max over time picked", async () => {
    const d = await getJson<SentimentResponse>(`/api/sentiment/kim.ckpt?sentence=${encodeURIComponent("good movie zzz")}`);
    expect(d.words).toEqual(["good", "movie", "zzz"]);
    expect(d.unknown).toEqual(["zzz"]);
    expect(d.probability).toBeGreaterThan(0);
    expect(d.probability).toBeLessThan(1);
    expect(d.filters.map((f) => f.width)).toEqual([1, 2, 3]);
    for (const f of d.filters) {
      expect(f.counts).toHaveLength(3);
      expect(f.features).toBe(4);
    }
    expect((await request("/api/sentiment/kim.ckpt?sentence=")).status).toBe(400);
  });

  it("expression: the DOT of a small expression; a bad one is a 400 naming the position", async () => {
    const d = await getJson<ExpressionResponse>(`/api/expression?expr=${encodeURIComponent("(x * y + x).sum()")}`);
    expect(d.dot).toContain('label="Mul"');
    expect(d.dot).toContain("t0 -> op1;");
    expect(d.shape).toEqual([1]);
    const bad = await request(`/api/expression?expr=${encodeURIComponent("x +")}`);
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/character 4/);
    expect((await request(`/api/expression?expr=${encodeURIComponent("process.exit()")}`)).status).toBe(400);
  });
});

describe("visualize server host check", () => {
  it("refuses a request whose Host is another name (DNS rebinding) with 403", async () => {
    const r = await request("/api/runs", "GET", { host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/host evil\.example:\d+ not allowed/);
    expect(r.body).not.toContain("run1");
  });

  it("accepts localhost and 127.0.0.1 as Host", async () => {
    expect((await request("/api/runs", "GET", { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await request("/api/runs", "GET", { host: `127.0.0.1:${server.port}` })).status).toBe(200);
  });
});
