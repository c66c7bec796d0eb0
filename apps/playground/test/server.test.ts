import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { saveCheckpoint } from "@minitorch/app-common";
import { KimCNN } from "@minitorch/train-sentiment";
import type { SentimentResponse } from "@minitorch/visualize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISOLATION_HEADERS, listRuns, startServer, type PlaygroundServer } from "../src/server.js";
import { reliabilitySuite } from "../../visualize/test/reliabilitySuite.js";

describe("playground server", () => {
  let dir: string;
  let server: PlaygroundServer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "playground-server-"));
    fs.mkdirSync(path.join(dir, "lib"));
    fs.writeFileSync(path.join(dir, "index.html"), "<p>hi</p>");
    fs.writeFileSync(path.join(dir, "lib", "k.wasm"), new Uint8Array([0, 97, 115, 109]));
    fs.writeFileSync(path.join(os.tmpdir(), "playground-secret.txt"), "secret");
    server = await startServer(dir, "127.0.0.1", 0);
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves / as index.html with both cross-origin isolation headers", async () => {
    const r = await fetch(server.url);
    expect(r.status).toBe(200);
    expect(await r.text()).toBe("<p>hi</p>");
    expect(r.headers.get("cross-origin-opener-policy")).toBe(ISOLATION_HEADERS["Cross-Origin-Opener-Policy"]);
    expect(r.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(r.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("serves wasm as application/wasm, with the headers", async () => {
    const r = await fetch(`${server.url}lib/k.wasm`);
    expect(r.headers.get("content-type")).toBe("application/wasm");
    expect(r.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect([...new Uint8Array(await r.arrayBuffer())]).toEqual([0, 97, 115, 109]);
  });

  it("/runs/ is a 404 naming --runs when no runs directory was given", async () => {
    const r = await fetch(`${server.url}runs/`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe("no runs directory: start the playground with --runs DIR\n");
  });

  it("/api/ is a 404 naming --runs when no runs directory was given", async () => {
    const r = await fetch(`${server.url}api/runs`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe("no runs directory: start the playground with --runs DIR\n");
  });

  it("404 for a missing file and for a path outside the site, 405 for POST", async () => {
    expect((await fetch(`${server.url}nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2fplayground-secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}lib`)).status).toBe(404);
    expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
  });
});

describe("playground server with --runs", () => {
  let site: string;
  let runs: string;
  let server: PlaygroundServer;

  beforeAll(async () => {
    site = fs.mkdtempSync(path.join(os.tmpdir(), "playground-site-"));
    runs = fs.mkdtempSync(path.join(os.tmpdir(), "playground-runs-"));
    fs.writeFileSync(path.join(site, "index.html"), "page");
    fs.writeFileSync(path.join(runs, "a.txt"), "Epoch 1 loss 2 valid acc 1/2\n");
    fs.utimesSync(path.join(runs, "a.txt"), new Date(1000), new Date(1000));
    fs.writeFileSync(path.join(runs, "b.jsonl"), "{}\n");
    fs.mkdirSync(path.join(runs, "sub"));
    fs.writeFileSync(path.join(runs, ".hidden"), "x");
    const glove = path.join(site, "glove.txt");
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
    fs.utimesSync(path.join(runs, "kim.ckpt"), new Date(500), new Date(500));
    server = await startServer(site, "127.0.0.1", 0, runs);
  });

  afterAll(async () => {
    await server.close();
    fs.rmSync(site, { recursive: true, force: true });
    fs.rmSync(runs, { recursive: true, force: true });
  });

  it("lists the directory's regular files, newest first, without hidden ones or directories", async () => {
    const r = await fetch(`${server.url}runs/`);
    expect(r.headers.get("content-type")).toBe("application/json");
    expect(r.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    const files = (await r.json()) as Array<{ name: string; bytes: number }>;
    expect(files.map((f) => f.name)).toEqual(["b.jsonl", "a.txt", "kim.ckpt"]);
    expect(files.slice(0, 2).map((f) => f.bytes)).toEqual([3, 29]);
    expect(listRuns(runs).map((f) => f.name)).toEqual(["b.jsonl", "a.txt", "kim.ckpt"]);
  });

  it("answers the visualiser's API: the sentiment view of a Kim CNN checkpoint, with the isolation headers", async () => {
    const r = await fetch(`${server.url}api/sentiment/kim.ckpt?sentence=${encodeURIComponent("good movie zzz")}`);
    expect(r.status).toBe(200);
    expect(r.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
    expect(r.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    const d = (await r.json()) as SentimentResponse;
    expect(d.words).toEqual(["good", "movie", "zzz"]);
    expect(d.unknown).toEqual(["zzz"]);
    expect(d.probability).toBeGreaterThan(0);
    expect(d.probability).toBeLessThan(1);
    expect((await fetch(`${server.url}api/sentiment-examples`)).status).toBe(200);
  });

  it("API errors come from the visualiser's handler: a bad sentence is a 400 naming the op, an unknown route a 404", async () => {
    const r = await fetch(`${server.url}api/sentiment/kim.ckpt?sentence=`);
    expect(r.status).toBe(400);
    expect(await r.json()).toEqual({ error: "sentiment: the sentence has no words" });
    expect((await fetch(`${server.url}api/nothing`)).status).toBe(404);
  });

  it("serves a run's file, and nothing outside the runs directory", async () => {
    expect(await (await fetch(`${server.url}runs/a.txt`)).text()).toBe("Epoch 1 loss 2 valid acc 1/2\n");
    expect((await fetch(`${server.url}runs/..%2f${path.basename(site)}%2findex.html`)).status).toBe(404);
    expect(await (await fetch(server.url)).text()).toBe("page");
  });
});

reliabilitySuite("the playground's server, which serves the visualiser's API", async ({ runsDir, idleTimeoutMs, indexMaxAgeMs }) => {
  const site = fs.mkdtempSync(path.join(os.tmpdir(), "playground-site-"));
  const s = await startServer(site, "127.0.0.1", 0, runsDir, { idleTimeoutMs, indexMaxAgeMs });
  return {
    port: Number(new URL(s.url).port),
    close: async () => {
      await s.close();
      fs.rmSync(site, { recursive: true, force: true });
    },
  };
});
