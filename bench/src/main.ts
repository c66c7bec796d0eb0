#!/usr/bin/env node
/**
 * `pnpm bench [--only <section,...>] [--quick] [--reps <n>]`: runs the
 * benchmark sections, prints Markdown tables on stdout (progress on stderr)
 * and writes everything as JSON to bench/results/latest.json and
 * bench/results/<date>.json.
 */
import fs from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { PARALLEL_MIN_COST, poolStats, shutdown } from "@minitorch/fast-ops";
import { SECTIONS, USAGE, UsageError, parseArgs, type RunConfig, type SectionName } from "./config.js";
import { makeContext, type BenchContext } from "./context.js";
import { formatSection, tableData, type SectionReport } from "./report.js";
import { conv } from "./sections/conv.js";
import { elementwise } from "./sections/elementwise.js";
import { inline } from "./sections/inline.js";
import { matmul } from "./sections/matmul.js";
import { train } from "./sections/train.js";
import { DEFAULT_THREADS, workerWarmUp } from "./variants.js";

const RUNNERS: Record<SectionName, (ctx: BenchContext) => Promise<SectionReport>> = { elementwise, inline, matmul, conv, train };

function loadAverage(): string {
  return os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");
}

function header(config: RunConfig, date: Date, peersLine: string[]): { text: string; data: Record<string, unknown> } {
  const cpus = os.cpus();
  const data = {
    date: date.toISOString(),
    node: process.version,
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    availableParallelism: os.availableParallelism(),
    threads: DEFAULT_THREADS,
    parallelMinCost: PARALLEL_MIN_COST,
    loadAverageAtStart: os.loadavg(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    options: { sections: config.sections, quick: config.quick, reps: config.reps },
  };
  const text = [
    "# minitorch-ts benchmarks",
    "",
    `- date: ${data.date}`,
    `- node ${data.node}, ${data.platform}`,
    `- CPU: ${data.cpu}, ${data.cores} cores (availableParallelism ${data.availableParallelism})`,
    `- FastBackend threads: ${data.threads}; PARALLEL_MIN_COST ${PARALLEL_MIN_COST}`,
    `- load average at start (1, 5, 15 min): ${loadAverage()}${os.loadavg()[0]! > 0.5 ? " — other processes share this machine" : ""}`,
    `- sections: ${config.sections.join(", ")}; ${config.quick ? "--quick (few repetitions: smoke run, not for conclusions)" : `${config.reps} samples per variant unless a section says otherwise`}`,
    ...peersLine,
    "- variants are interleaved within each benchmark (sample by sample; in 4 blocks each where switching FastBackend's thread count " +
      "restarts its workers), after a warm-up; times are medians and minima over the samples, in ms per call; ratios compare medians of the same run.",
  ].join("\n");
  return { text, data };
}

async function main(): Promise<number> {
  let config: RunConfig | null;
  try {
    config = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`bench: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
  if (config === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const date = new Date();
  const started = performance.now();
  const ctx = makeContext(config);
  if (config.quick) Object.assign(workerWarmUp, { startMs: 50, useMs: 60 });
  const needsPeers = config.sections.some((s) => s !== "inline");
  const peersLine: string[] = [];
  let peersData: Record<string, unknown> = {};
  if (needsPeers) {
    ctx.progress("loading tfjs");
    const peers = await ctx.peers();
    peersLine.push(`- tfjs-cpu: ${peers.cpu.ok ? "" : "n/a: "}${peers.cpu.detail}`, `- tfjs-wasm: ${peers.wasm.ok ? "" : "n/a: "}${peers.wasm.detail}`);
    peersData = { version: peers.version, cpu: peers.cpu, wasm: peers.wasm };
  }
  const head = header(config, date, peersLine);
  process.stdout.write(`${head.text}\n\n`);

  const sections: Array<Record<string, unknown>> = [];
  for (const name of SECTIONS) {
    if (!config.sections.includes(name)) continue;
    const t0 = performance.now();
    const report = await RUNNERS[name](ctx);
    const seconds = (performance.now() - t0) / 1000;
    process.stdout.write(`${formatSection(report)}\n- section time: ${seconds.toFixed(0)} s\n\n`);
    sections.push({ name: report.name, seconds, tables: report.tables.map(tableData), notes: report.notes, ...(report.data ? { data: report.data } : {}) });
  }
  const totalSeconds = (performance.now() - started) / 1000;
  process.stdout.write(`Total time ${totalSeconds.toFixed(0)} s; load average at end (1, 5, 15 min): ${loadAverage()}\n`);

  const result = {
    ...head.data,
    tfjs: peersData,
    loadAverageAtEnd: os.loadavg(),
    totalSeconds,
    pool: poolStats(),
    sections,
  };
  const dir = fileURLToPath(new URL("../results/", import.meta.url));
  fs.mkdirSync(dir, { recursive: true });
  const json = `${JSON.stringify(result, null, 2)}\n`;
  const stamp = date.toISOString().replace(/:/g, "-").replace(/\.\d+Z$/, "Z");
  fs.writeFileSync(`${dir}latest.json`, json);
  fs.writeFileSync(`${dir}${stamp}.json`, json);
  process.stderr.write(`[bench] results written to ${dir}latest.json and ${dir}${stamp}.json\n`);
  await shutdown();
  return 0;
}

process.exitCode = await main();
