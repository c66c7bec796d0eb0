#!/usr/bin/env node
/**
 * Load measurement of the visualiser's server (issue 26), not a test: a
 * runs directory with one 200 MB metrics file and 5,000 small runs, the
 * built server in a child process on 127.0.0.1, three clients polling the
 * big file (which keeps growing) throughout, and 500 requests to /api/runs
 * at 50 concurrent after a first read. Prints p50/p99 of those requests
 * and the server's peak RSS (VmHWM from /proc). Requests say
 * `Accept-Encoding: gzip`, as a browser's do (`--plain`: they do not);
 * a latency is the time to the last byte of the answer as sent.
 *
 *   corepack pnpm --filter @minitorch/visualize build
 *   node apps/visualize/bench/load.mjs [--mb 200] [--runs 5000] [--requests 500] [--concurrency 50] [--plain]
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isSafeInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, got ${args[i + 1]}`);
  return v;
};
const MB = option("--mb", 200);
const RUNS = option("--runs", 5000);
const REQUESTS = option("--requests", 500);
const CONCURRENCY = option("--concurrency", 50);
const PLAIN = args.includes("--plain");
const POLLERS = option("--pollers", 3);
const POLL_MS = 500;

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/main.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "visualize-load-"));

const line = (epoch, batch) =>
  `${JSON.stringify({ kind: "batch", epoch, batch, loss: 2.302585092994046 / (1 + batch / 1000), valAccuracy: (batch % 97) / 97, time: batch / 100 })}\n`;

function generate() {
  const started = performance.now();
  const big = path.join(dir, "big.metrics.jsonl");
  fs.writeFileSync(path.join(dir, "big.txt"), "# train-mnist --log big.txt (seed 42)\n");
  const fd = fs.openSync(big, "w");
  let bytes = 0;
  let batch = 0;
  while (bytes < MB * 1024 * 1024) {
    let chunk = "";
    for (let i = 0; i < 20_000; i++, batch++) chunk += line(1 + Math.floor(batch / 10_000), batch);
    fs.writeSync(fd, chunk);
    bytes += Buffer.byteLength(chunk);
  }
  fs.closeSync(fd);
  // The small runs, in directories of 500 as a course's runs might be kept.
  for (let r = 0; r < RUNS; r++) {
    const sub = path.join(dir, `group${String(Math.floor(r / 500)).padStart(2, "0")}`);
    if (r % 500 === 0) fs.mkdirSync(sub);
    const name = path.join(sub, `run${String(r).padStart(4, "0")}`);
    fs.writeFileSync(`${name}.metrics.jsonl`, line(1, 0) + line(1, 5) + line(1, 10));
    fs.writeFileSync(`${name}.txt`, "# train-sentiment --log run.txt (seed 1)\n");
  }
  return { bytes, lines: batch, seconds: (performance.now() - started) / 1000, big };
}

function get(port, p, agent, keep = false) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const headers = PLAIN ? {} : { "Accept-Encoding": "gzip" };
    http
      .get({ host: "127.0.0.1", port, path: p, agent, headers }, (res) => {
        let n = 0;
        const chunks = [];
        res.on("data", (c) => {
          n += c.length;
          if (keep) chunks.push(c);
        });
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`${p}: ${res.statusCode}`));
          const ms = performance.now() - started;
          let body;
          if (keep) {
            const raw = Buffer.concat(chunks);
            body = JSON.parse((res.headers["content-encoding"] === "gzip" ? zlib.gunzipSync(raw) : raw).toString("utf8"));
          }
          resolve({ ms, bytes: n, body });
        });
      })
      .on("error", reject);
  });
}

/** VmHWM (peak resident set) and VmRSS of a process, in MB. */
function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { peak: kb("VmHWM") / 1024, now: kb("VmRSS") / 1024 };
}

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const data = generate();
console.log(`generated ${(data.bytes / 1048576).toFixed(0)} MB (${data.lines} records) and ${RUNS} runs in ${data.seconds.toFixed(1)} s`);

const child = spawn(process.execPath, [main, "--runs", dir, "--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", "pipe", "inherit"] });
try {
  const port = await new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /at http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on("exit", (c) => reject(new Error(`server exited with ${c}`)));
  });

  // A live run: the big file keeps growing while it is polled.
  let batch = data.lines;
  const writer = setInterval(() => fs.appendFileSync(data.big, line(999, batch++)), 200);
  let polling = true;
  const firstPolls = [];
  const pollTimes = [];
  let lastPoll;
  const pollers = Array.from({ length: POLLERS }, async () => {
    const agent = new http.Agent({ keepAlive: true });
    for (let i = 0; polling && i < 10_000; i++) {
      const r = await get(port, "/api/runs/big/metrics", agent, true);
      (i === 0 ? firstPolls : pollTimes).push(r.ms);
      lastPoll = r;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    agent.destroy();
  });
  // Wait for every poller's first read of the big file, then for the first index of the runs.
  while (firstPolls.length < POLLERS) await new Promise((r) => setTimeout(r, 100));
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const first = await get(port, "/api/runs", agent, true);
  if (first.body.runs.length !== RUNS + 1) throw new Error(`/api/runs listed ${first.body.runs.length} runs, not ${RUNS + 1}`);
  console.log(
    `first metrics read ${Math.max(...firstPolls).toFixed(0)} ms (${lastPoll.body.records.length} of ${lastPoll.body.total} records sent, ${(lastPoll.bytes / 1024).toFixed(0)} KiB); ` +
      `first /api/runs ${first.ms.toFixed(0)} ms (${first.body.runs.length} runs, ${(first.bytes / 1024).toFixed(0)} KiB${PLAIN ? "" : " gzip'd"})`,
  );

  const times = [];
  let next = 0;
  const startedAll = performance.now();
  const cpuBefore = { server: cpuSeconds(child.pid), client: cpuSeconds(process.pid) };
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        times.push((await get(port, "/api/runs", agent)).ms);
      }
    }),
  );
  const wall = (performance.now() - startedAll) / 1000;
  const cpu = { server: cpuSeconds(child.pid) - cpuBefore.server, client: cpuSeconds(process.pid) - cpuBefore.client };
  agent.destroy();
  // Keep polling a little longer, so the peak includes reads of the growing file after the burst.
  await new Promise((r) => setTimeout(r, 3000));
  polling = false;
  await Promise.all(pollers);
  clearInterval(writer);

  times.sort((a, b) => a - b);
  const polls = [...pollTimes].sort((a, b) => a - b);
  const mem = memory(child.pid);
  console.log(
    `/api/runs: ${REQUESTS} requests at ${CONCURRENCY} concurrent in ${wall.toFixed(2)} s: ` +
      `p50 ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms, max ${times.at(-1).toFixed(1)} ms ` +
      `(CPU meanwhile: server ${cpu.server.toFixed(2)} s, this client ${cpu.client.toFixed(2)} s)`,
  );
  console.log(`metrics polls of the growing ${MB} MB file after each client's first: ${polls.length}, p50 ${quantile(polls, 0.5).toFixed(1)} ms, p99 ${quantile(polls, 0.99).toFixed(1)} ms`);
  console.log(`server peak RSS (VmHWM) ${mem.peak.toFixed(0)} MB, RSS at the end ${mem.now.toFixed(0)} MB`);
  console.log(`load average (1, 5, 15 min) at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(", ")} on ${os.availableParallelism()} cores`);
} finally {
  child.kill("SIGTERM");
  fs.rmSync(dir, { recursive: true, force: true });
}
