/**
 * The static server of the playground site. Every response carries the two
 * headers that make a page cross-origin isolated, without which a browser
 * withholds SharedArrayBuffer (and so FastBackend's threads):
 *
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 *
 * Started with a runs directory it also serves the visualiser's API
 * (`/api/…`, from @minitorch/visualize: runs index, metrics, the MNIST and
 * sentiment views computed from checkpoints), with the same caches and
 * socket timeouts, so one page shows everything.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { SERVER_TIMEOUTS, createHandler, setIdleTimeout } from "@minitorch/visualize";

export const ISOLATION_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
} as const;

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".map": "application/json",
  ".bin": "application/octet-stream",
  ".png": "image/png",
  ".txt": "text/plain; charset=utf-8",
  ".jsonl": "text/plain; charset=utf-8",
  ".ckpt": "application/json",
};

/** What the visualiser's API needs beside the runs directory. */
export interface ApiOptions {
  /** A directory holding SST-2's dev.tsv, for the sentiment view's example sentences. */
  sst2Dir?: string;
  /** A connection with no traffic for this long is closed; default the visualiser's 30 s. */
  idleTimeoutMs?: number;
  /** How old the runs index may get before a request rebuilds it in the background; default 1 s. */
  indexMaxAgeMs?: number;
}

export interface PlaygroundServer {
  url: string;
  close(): Promise<void>;
}

/** A file of the runs directory, as `/runs/` lists it. */
export interface RunFile {
  name: string;
  bytes: number;
  /** Last modification, milliseconds since 1970. */
  modified: number;
}

/** The regular files directly in `dir`, newest first. */
export function listRuns(dir: string): RunFile[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => {
      const stat = fs.statSync(path.join(dir, e.name));
      return { name: e.name, bytes: stat.size, modified: stat.mtimeMs };
    })
    .sort((a, b) => b.modified - a.modified);
}

/**
 * Serves directory `root` on host:port (port 0: any free port). With
 * `runsDir`, `/runs/` lists its files (JSON) and `/runs/NAME` serves one,
 * so the Runs tab can follow a run's metrics as the CLI writes them.
 */
export function startServer(root: string, host: string, port: number, runsDir?: string, apiOptions: ApiOptions = {}): Promise<PlaygroundServer> {
  const base = fs.realpathSync(root);
  const runs = runsDir === undefined ? null : fs.realpathSync(runsDir);
  // The visualiser's handler is given /api/ only; this site is the page.
  const api = runs === null ? null : createHandler({ runsDir: runs, host, sst2Dir: apiOptions.sst2Dir, indexMaxAgeMs: apiOptions.indexMaxAgeMs });
  const server = http.createServer(SERVER_TIMEOUTS, (req, res) => {
    const headers: Record<string, string> = { ...ISOLATION_HEADERS, "Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-cache" };
    if (req.url?.startsWith("/api/")) {
      if (api === null) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("no runs directory: start the playground with --runs DIR\n");
        return;
      }
      for (const [k, v] of Object.entries(ISOLATION_HEADERS)) res.setHeader(k, v);
      res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      api(req, res);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { ...headers, Allow: "GET, HEAD" }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname);
    } catch {
      res.writeHead(400, headers).end("bad request path\n");
      return;
    }
    if (pathname === "/runs/") {
      if (runs === null) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("no runs directory: start the playground with --runs DIR\n");
        return;
      }
      res.writeHead(200, { ...headers, "Content-Type": "application/json" }).end(JSON.stringify(listRuns(runs)));
      return;
    }
    const [dir, rel] = runs !== null && pathname.startsWith("/runs/") ? [runs, pathname.slice("/runs/".length)] : [base, pathname.endsWith("/") ? `${pathname}index.html` : pathname];
    const file = path.resolve(dir, `./${rel}`);
    if (file !== dir && !file.startsWith(dir + path.sep)) {
      res.writeHead(404, headers).end("not found\n");
      return;
    }
    fs.stat(file, (err, stat) => {
      if (err !== null || !stat.isFile()) {
        res.writeHead(404, { ...headers, "Content-Type": "text/plain" }).end("not found\n");
        return;
      }
      res.writeHead(200, { ...headers, "Content-Type": TYPES[path.extname(file)] ?? "application/octet-stream", "Content-Length": String(stat.size) });
      if (req.method === "HEAD") res.end();
      else fs.createReadStream(file).pipe(res);
    });
  });
  setIdleTimeout(server, apiOptions.idleTimeoutMs);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : port;
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${actual}/`,
        close: () =>
          new Promise((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
