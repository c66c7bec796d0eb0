/** Shared test fixtures: temporary directories and a local HTTP server. */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dirs: string[] = [];

/** A fresh temporary directory, removed by {@link removeTempDirs}. */
export function tempDir(prefix = "minitorch-datasets-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface TestServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** Requests served, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

type Route = Uint8Array | ((req: IncomingMessage, res: ServerResponse) => void);

/** Serve `routes` (path → body or handler) on 127.0.0.1; other paths answer 404. */
export async function startServer(routes: Record<string, Route>): Promise<TestServer> {
  const hits = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = routes[path];
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found");
    } else if (typeof route === "function") {
      route(req, res);
    } else {
      res.writeHead(200, { "content-type": "application/zip", "content-length": route.length }).end(route);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens (a port just released). */
export async function deadUrl(path = "/SST-2.zip"): Promise<string> {
  const server = await startServer({});
  const url = `${server.url}${path}`;
  await server.close();
  return url;
}

/** Point MINITORCH_DATA_DIR at a temporary directory, so no test can reach the real cache. */
export function isolateCache(): string {
  const dir = tempDir("minitorch-cache-");
  process.env["MINITORCH_DATA_DIR"] = dir;
  return dir;
}
