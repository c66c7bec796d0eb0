/**
 * The visualiser's HTTP server (Node's http, nothing else): small JSON
 * endpoints (`/api/…`) that run the models, the files of the runs directory
 * (`/runs/…`) and, if given one, a page (`/`, `/assets/…`). The page users
 * open is the playground's (apps/playground), whose server answers `/api/`
 * with createHandler below. Only GET is served (405
 * otherwise); a path that leaves its directory in any way is a 404.
 */
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { ErrorResponse, RunsResponse } from "./api.js";
import { ExpressionError, evaluateExpression } from "./expression.js";
import { acceptsGzip, type EncodedJson } from "./encodedJson.js";
import { HttpError } from "./httpError.js";
import { MnistViewer } from "./mnistView.js";
import { MetricsCache } from "./metricsCache.js";
import { RunsIndexCache } from "./runsIndex.js";
import { decodeSegments, resolveInside } from "./safePath.js";
import { SentimentViewer } from "./sentimentView.js";

export interface ServerOptions {
  /** The directory of runs (metrics files, logs, checkpoints). */
  runsDir: string;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /** Port; default 8050, 0 for any free port. */
  port?: number;
  /** A page to serve at `/` and `/assets/`; default none: the page is the playground's, which serves this API itself. */
  publicDir?: string | null;
  /** A directory holding SST-2's dev.tsv, for example sentences. */
  sst2Dir?: string;
  /** A connection with no traffic for this long is closed (one that never sends a request too); default 30 s. */
  idleTimeoutMs?: number;
  /** How old the runs index may get before a request starts a rebuild in the background; default 1 s. */
  indexMaxAgeMs?: number;
}

/** The server's timeouts: a request's headers within 20 s, the whole request within 60 s, an idle keep-alive connection 5 s. */
const HEADERS_TIMEOUT_MS = 20_000;
const REQUEST_TIMEOUT_MS = 60_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const IDLE_TIMEOUT_MS = 30_000;

/** The timeouts to create an http.Server with; the playground's server, which serves this API too, uses them. */
export const SERVER_TIMEOUTS: http.ServerOptions = { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS };

/** Node closes no connection that never sends a byte; an idle timeout on every socket does (default 30 s). */
export function setIdleTimeout(server: http.Server, idleTimeoutMs: number = IDLE_TIMEOUT_MS): void {
  server.timeout = idleTimeoutMs;
}

export interface VisualizeServer {
  /** `http://host:port/` */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".ckpt": "application/json",
  ".jsonl": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".log": "text/plain; charset=utf-8",
};

// The page loads only its own files; scripts may compile WebAssembly (Graphviz).
const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
  "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";


/** Sends a JSON answer encoded once, gzip'd when the client accepts it. */
function sendEncoded(req: http.IncomingMessage, res: http.ServerResponse, body: EncodedJson): void {
  const zipped = acceptsGzip(req.headers["accept-encoding"]);
  const bytes = zipped ? body.gzip : body.plain;
  res.writeHead(200, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": bytes.length,
    ...(zipped ? { "Content-Encoding": "gzip" } : {}),
    Vary: "Accept-Encoding",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(bytes);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  res.end(text);
}

function sendError(res: http.ServerResponse, status: number, message: string): void {
  const body: ErrorResponse = { error: message };
  sendJson(res, status, body);
}

function sendFile(res: http.ServerResponse, file: string, cache: string): void {
  const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  const size = fs.statSync(file).size;
  res.writeHead(200, {
    "Content-Type": type,
    "Content-Length": size,
    "Cache-Control": cache,
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": CSP,
  });
  const stream = fs.createReadStream(file);
  stream.on("error", () => res.destroy());
  stream.pipe(res);
}

/** Decodes API path segments; names are looked up, never joined into paths. */
function apiSegments(rawPath: string): string[] {
  try {
    return rawPath.split("/").map((s) => decodeURIComponent(s));
  } catch {
    throw new HttpError(404, "not found");
  }
}

/** Builds the request handler; exported for tests that need no socket. */
export function createHandler(options: ServerOptions): http.RequestListener {
  const realRuns = fs.realpathSync(options.runsDir);
  if (!fs.statSync(realRuns).isDirectory()) throw new Error(`visualize: --runs ${options.runsDir} is not a directory`);
  const publicDir = options.publicDir ?? null;
  const realPublic = publicDir !== null && fs.existsSync(publicDir) ? fs.realpathSync(publicDir) : null;
  const mnist = new MnistViewer();
  const sentiment = new SentimentViewer(options.sst2Dir);
  const runsIndex = new RunsIndexCache(realRuns, options.indexMaxAgeMs);
  const metrics = new MetricsCache();
  // A name missing from the last index may have appeared since: look again in a fresh one.
  const lookup = async <T>(find: (index: RunsResponse) => T | undefined): Promise<T | undefined> =>
    find((await runsIndex.get()).index) ?? find((await runsIndex.get({ fresh: true })).index);

  const checkpointFile = async (name: string, app: string): Promise<string> => {
    const found = await lookup((index) => index.checkpoints.find((c) => c.name === name));
    if (found === undefined) throw new HttpError(404, `no checkpoint ${JSON.stringify(name)} in the runs directory`);
    if (found.app !== app) throw new HttpError(400, `checkpoint ${name} was written by ${found.app || "an unknown app"}, not ${app}`);
    const file = resolveInside(realRuns, name.split("/"));
    if (file === null) throw new HttpError(404, `no checkpoint ${JSON.stringify(name)} in the runs directory`);
    return file;
  };

  const api = async (req: http.IncomingMessage, res: http.ServerResponse, segments: string[], query: URLSearchParams): Promise<void> => {
    const [what, name, tail, ...extra] = segments;
    if (what === "runs" && name === undefined) return sendEncoded(req, res, (await runsIndex.get()).encoded);
    if (what === "runs" && name !== undefined && tail === "metrics" && extra.length === 0) {
      const run = await lookup((index) => index.runs.find((r) => r.name === name));
      const file = run === undefined ? null : resolveInside(realRuns, `${name}.metrics.jsonl`.split("/"));
      if (file === null) throw new HttpError(404, `no run ${JSON.stringify(name)} in the runs directory`);
      return sendEncoded(req, res, await metrics.get(file, name));
    }
    if (what === "mnist" && name !== undefined && tail !== undefined && extra.length === 0) {
      const file = await checkpointFile(name, "train-mnist");
      if (tail === "summary") return sendJson(res, 200, mnist.summary(file, name));
      if (!/^\d+$/.test(tail)) throw new HttpError(400, `mnist: index must be a non-negative integer, got ${JSON.stringify(tail)}`);
      return sendJson(res, 200, mnist.digit(file, name, Number(tail)));
    }
    if (what === "sentiment" && name !== undefined && tail === undefined) {
      const file = await checkpointFile(name, "train-sentiment");
      const sentence = query.get("sentence") ?? "";
      return sendJson(res, 200, await sentiment.predict(file, name, sentence));
    }
    if (what === "sentiment-examples" && name === undefined) return sendJson(res, 200, sentiment.examples());
    if (what === "expression" && name === undefined) return sendJson(res, 200, evaluateExpression(query.get("expr") ?? ""));
    throw new HttpError(404, "not found");
  };

  // A page on another site could reach this server through a DNS name rebound to 127.0.0.1;
  // it would send that name as Host, so only the addresses we listen on are accepted.
  const host = options.host ?? "127.0.0.1";
  const anyHost = host === "0.0.0.0" || host === "::";
  const allowedHosts = new Set(["127.0.0.1", "localhost", "[::1]", host.includes(":") ? `[${host}]` : host]);
  const hostAllowed = (header: string | undefined): boolean => {
    if (anyHost) return true;
    if (header === undefined) return false;
    const name = header.startsWith("[") ? header.slice(0, header.indexOf("]") + 1) : header.split(":")[0]!;
    return allowedHosts.has(name.toLowerCase());
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (!hostAllowed(req.headers.host)) throw new HttpError(403, `host ${req.headers.host ?? "(none)"} not allowed`);
    if (req.method !== "GET") {
      res.setHeader("Allow", "GET");
      return sendError(res, 405, `method ${req.method ?? "?"} not allowed; only GET`);
    }
    const raw = req.url ?? "";
    if (!raw.startsWith("/")) throw new HttpError(404, "not found");
    const q = raw.indexOf("?");
    const rawPath = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? "" : raw.slice(q + 1));
    if (rawPath.startsWith("/api/")) return api(req, res, apiSegments(rawPath.slice("/api/".length)), query);
    if (rawPath.startsWith("/runs/")) {
      const segments = decodeSegments(rawPath.slice("/runs/".length));
      const file = segments === null ? null : resolveInside(realRuns, segments);
      if (file === null) throw new HttpError(404, "not found");
      return sendFile(res, file, "no-store");
    }
    if (realPublic === null) throw new HttpError(404, "no page here: this server answers /api/ and /runs/; the page is the playground's (pnpm visualize --runs DIR)");
    const segments = rawPath === "/" ? ["index.html"] : rawPath.startsWith("/assets/") ? decodeSegments(rawPath.slice(1)) : null;
    const file = segments === null ? null : resolveInside(realPublic, segments);
    if (file === null) throw new HttpError(404, "not found");
    return sendFile(res, file, "no-cache");
  };

  return (req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (e instanceof HttpError) return sendError(res, e.status, e.message);
      if (e instanceof RangeError || e instanceof ExpressionError) return sendError(res, 400, e.message);
      const message = e instanceof Error ? e.message : String(e);
      process.stderr.write(`visualize: ${req.method} ${req.url}: ${message}\n`);
      sendError(res, 500, message);
    });
  };
}

/** Starts the server; resolves once it listens. */
export function startServer(options: ServerOptions): Promise<VisualizeServer> {
  const host = options.host ?? "127.0.0.1";
  const handler = createHandler(options);
  const server = http.createServer(SERVER_TIMEOUTS, handler);
  setIdleTimeout(server, options.idleTimeoutMs);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8050, host, () => {
      server.off("error", reject);
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 8050);
      const shown = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${shown}:${port}/`,
        host,
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
