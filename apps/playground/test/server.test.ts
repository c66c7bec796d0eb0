import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISOLATION_HEADERS, listRuns, startServer, type PlaygroundServer } from "../src/server.js";

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
    expect(files.map((f) => [f.name, f.bytes])).toEqual([
      ["b.jsonl", 3],
      ["a.txt", 29],
    ]);
    expect(listRuns(runs).map((f) => f.name)).toEqual(["b.jsonl", "a.txt"]);
  });

  it("serves a run's file, and nothing outside the runs directory", async () => {
    expect(await (await fetch(`${server.url}runs/a.txt`)).text()).toBe("Epoch 1 loss 2 valid acc 1/2\n");
    expect((await fetch(`${server.url}runs/..%2f${path.basename(site)}%2findex.html`)).status).toBe(404);
    expect(await (await fetch(server.url)).text()).toBe("page");
  });
});
