import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ISOLATION_HEADERS, startServer, type PlaygroundServer } from "../src/server.js";

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

  it("404 for a missing file and for a path outside the site, 405 for POST", async () => {
    expect((await fetch(`${server.url}nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}..%2fplayground-secret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}lib`)).status).toBe(404);
    expect((await fetch(server.url, { method: "POST" })).status).toBe(405);
  });
});
