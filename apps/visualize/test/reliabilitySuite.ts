/**
 * Issue 26's probe of the server that answers the visualiser's API: work
 * per request bounded by what changed, no synchronous walk on the request
 * path, idle sockets closed, every run listed once and every unlistable name
 * reported. Each test names its row. Run on the visualiser's own server
 * (reliability.test.ts) and on the playground's, which serves the same API
 * (apps/playground/test/server.test.ts). (Latency and memory under load are
 * measured by apps/visualize/bench/load.mjs, not timed here.)
 */
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import zlib from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { MetricsResponse, RunsResponse } from "../src/api.js";
import { tempDirs } from "../../common/test/tempDirs.js";

/** What the suite needs of a server: started on a free port of 127.0.0.1 over `runsDir`. */
export interface ApiServer {
  port: number;
  close(): Promise<void>;
}
export type StartApiServer = (options: { runsDir: string; idleTimeoutMs?: number; indexMaxAgeMs?: number }) => Promise<ApiServer>;

const record = (batch: number): string => JSON.stringify({ kind: "batch", epoch: 1, batch, loss: 1 / (batch + 1), time: batch / 10 });

export function reliabilitySuite(label: string, startServer: StartApiServer): void {
  const tempDir = tempDirs("visualize-reliability-");
  let server: ApiServer | undefined;
  const start = async (options: Parameters<StartApiServer>[0]): Promise<ApiServer> => (server = await startServer(options));
  afterEach(async () => {
    vi.restoreAllMocks();
    await server?.close();
    server = undefined;
  });

  function get<T>(rawPath: string): Promise<T> {
    return new Promise((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port: server!.port, path: rawPath }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(body) as T) : reject(new Error(`${res.statusCode}: ${body}`))));
        })
        .on("error", reject);
    });
  }

  describe(`reliability (issue 26): ${label}`, () => {
    describe("row 5: the cost of a poll is bounded by what changed", () => {
      it("a grown metrics file is read from the last offset, not again from the start", async () => {
        const runs = tempDir();
        const file = path.join(runs, "r.metrics.jsonl");
        fs.writeFileSync(file, `${record(0)}\n${record(1)}\n`);
        await start({ runsDir: runs });
        expect((await get<MetricsResponse>("/api/runs/r/metrics")).records.map((r) => r.batch)).toEqual([0, 1]);
        // Spoil the bytes already read (same length), then append: only the new line may be read.
        const text = fs.readFileSync(file, "utf8");
        fs.writeFileSync(file, `${"x".repeat(record(0).length)}\n${text.slice(record(0).length + 1)}${record(2)}\n`);
        const m = await get<MetricsResponse>("/api/runs/r/metrics");
        expect(m.records.map((r) => r.batch)).toEqual([0, 1, 2]);
        expect(m.skipped).toBe(0);
        expect(m.total).toBe(3);
      });

      it("a file replaced by a shorter one (a resumed run's rewrite) is read again from the start", async () => {
        const runs = tempDir();
        const file = path.join(runs, "r.metrics.jsonl");
        fs.writeFileSync(file, `${record(0)}\n${record(1)}\n${record(2)}\n`);
        await start({ runsDir: runs });
        expect((await get<MetricsResponse>("/api/runs/r/metrics")).total).toBe(3);
        fs.writeFileSync(`${file}.tmp`, `${record(0)}\n`);
        fs.renameSync(`${file}.tmp`, file);
        expect((await get<MetricsResponse>("/api/runs/r/metrics")).records.map((r) => r.batch)).toEqual([0]);
      });

      it("a long run's response holds an evenly spaced subset ending with the last record, whatever the file's length", async () => {
        const runs = tempDir();
        const lines: string[] = [];
        for (let b = 0; b < 30_001; b++) lines.push(record(b));
        fs.writeFileSync(path.join(runs, "long.metrics.jsonl"), `${lines.join("\n")}\n`);
        await start({ runsDir: runs });
        const m = await get<MetricsResponse>("/api/runs/long/metrics");
        expect(m.total).toBe(30_001);
        expect(m.records.length).toBeLessThanOrEqual(4001);
        expect(m.records.length).toBeGreaterThan(1000);
        expect(m.records[0]!.batch).toBe(0);
        expect(m.records.at(-1)!.batch).toBe(30_000);
        const steps = new Set(m.records.slice(1, -1).map((r, i) => r.batch - m.records[i]!.batch));
        expect(steps.size).toBe(1);
      });

      it("a line of several megabytes without a newline is skipped, not held", async () => {
        const runs = tempDir();
        fs.writeFileSync(path.join(runs, "big.metrics.jsonl"), `${record(0)}\n${"7".repeat(3 << 20)}\n${record(1)}\n`);
        await start({ runsDir: runs });
        const m = await get<MetricsResponse>("/api/runs/big/metrics");
        expect(m.records.map((r) => r.batch)).toEqual([0, 1]);
        expect(m.skippedLines).toEqual([2]);
      });

      it("/api/runs walks no directory synchronously on the request path", async () => {
        const runs = tempDir();
        fs.mkdirSync(path.join(runs, "sub"));
        fs.writeFileSync(path.join(runs, "sub", "r.metrics.jsonl"), `${record(0)}\n`);
        await start({ runsDir: runs });
        const readdir = vi.spyOn(fs, "readdirSync");
        const stat = vi.spyOn(fs, "statSync");
        const r = await get<RunsResponse>("/api/runs");
        await get<RunsResponse>("/api/runs");
        expect(r.runs.map((x) => x.name)).toEqual(["sub/r"]);
        expect(readdir).not.toHaveBeenCalled();
        expect(stat).not.toHaveBeenCalled();
      });

      it("the runs index and metrics are sent gzip'd, encoded once, to a client that accepts gzip", async () => {
        const runs = tempDir();
        fs.writeFileSync(path.join(runs, "r.metrics.jsonl"), `${record(0)}\n`);
        await start({ runsDir: runs });
        for (const p of ["/api/runs", "/api/runs/r/metrics"]) {
          const plain = await get<unknown>(p);
          const zipped = await new Promise<{ encoding: string | undefined; body: unknown }>((resolve, reject) => {
            http
              .get({ host: "127.0.0.1", port: server!.port, path: p, headers: { "Accept-Encoding": "br, gzip;q=0.8" } }, (res) => {
                const chunks: Buffer[] = [];
                res.on("data", (c: Buffer) => chunks.push(c));
                res.on("end", () => resolve({ encoding: res.headers["content-encoding"], body: JSON.parse(zlib.gunzipSync(Buffer.concat(chunks)).toString("utf8")) }));
              })
              .on("error", reject);
          });
          expect(zipped.encoding).toBe("gzip");
          expect(zipped.body).toEqual(plain);
        }
      });

      it("a run that appears after the index was built is found by its metrics request", async () => {
        const runs = tempDir();
        await start({ runsDir: runs, indexMaxAgeMs: 0 });
        expect((await get<RunsResponse>("/api/runs")).runs).toEqual([]);
        fs.writeFileSync(path.join(runs, "new.metrics.jsonl"), `${record(0)}\n`);
        expect((await get<MetricsResponse>("/api/runs/new/metrics")).total).toBe(1);
      });
    });

    describe("row 11: a connection that sends nothing is closed after the idle timeout", () => {
      it("idleTimeoutMs 300: the socket is closed by the server", async () => {
        const s = await start({ runsDir: tempDir(), idleTimeoutMs: 300 });
        const socket = net.connect(s.port, "127.0.0.1");
        const closedBy = await new Promise<string>((resolve) => {
          const guard = setTimeout(() => resolve("still open after 5 s"), 5000);
          socket.on("close", () => {
            clearTimeout(guard);
            resolve("closed");
          });
          socket.on("error", () => {});
        });
        socket.destroy();
        expect(closedBy).toBe("closed");
      });
    });

    describe("row 12: a metrics file whose name is not UTF-8 is reported", () => {
      it("listed in problems with its bytes shown", async () => {
        const runs = tempDir();
        fs.writeFileSync(Buffer.concat([Buffer.from(path.join(runs, "bad")), Buffer.from([0xff, 0xfe]), Buffer.from(".metrics.jsonl")]), `${record(0)}\n`);
        fs.writeFileSync(path.join(runs, "good.metrics.jsonl"), `${record(0)}\n`);
        await start({ runsDir: runs });
        const r = await get<RunsResponse>("/api/runs");
        expect(r.runs.map((x) => x.name)).toEqual(["good"]);
        expect(r.problems).toEqual(["bad\\xff\\xfe.metrics.jsonl: the name is not valid UTF-8, so it cannot be shown or served; rename it"]);
      });
    });

    describe("row 13: a runs directory holding a symlink to itself lists each run once", () => {
      it("runs/loop -> runs", async () => {
        const runs = tempDir();
        fs.writeFileSync(path.join(runs, "r.metrics.jsonl"), `${record(0)}\n`);
        fs.symlinkSync(runs, path.join(runs, "loop"));
        fs.mkdirSync(path.join(runs, "sub"));
        fs.symlinkSync("..", path.join(runs, "sub", "up"));
        await start({ runsDir: runs });
        expect((await get<RunsResponse>("/api/runs")).runs.map((x) => x.name)).toEqual(["r"]);
      });
    });
  });
}
