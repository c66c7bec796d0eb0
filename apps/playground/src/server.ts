/**
 * The static server of the playground site. Every response carries the two
 * headers that make a page cross-origin isolated, without which a browser
 * withholds SharedArrayBuffer (and so FastBackend's threads):
 *
 *   Cross-Origin-Opener-Policy: same-origin
 *   Cross-Origin-Embedder-Policy: require-corp
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";

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
export function startServer(root: string, host: string, port: number, runsDir?: string): Promise<PlaygroundServer> {
  const base = fs.realpathSync(root);
  const runs = runsDir === undefined ? null : fs.realpathSync(runsDir);
  const server = http.createServer((req, res) => {
    const headers: Record<string, string> = { ...ISOLATION_HEADERS, "Cross-Origin-Resource-Policy": "same-origin", "Cache-Control": "no-cache" };
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
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === "object" && address !== null ? address.port : port;
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({ url: `http://${shown}:${actual}/`, close: () => new Promise((done) => server.close(() => done())) });
    });
  });
}
