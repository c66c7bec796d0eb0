/**
 * What the runs directory holds: training runs (`<name>.metrics.jsonl`, with
 * the text log `<name>.txt` or `.log` beside it) and checkpoints (`*.ckpt` or
 * `*.json` files whose first bytes say `"format":"minitorch-ts-checkpoint"`).
 * Nothing outside the directory is read: symlinks pointing out are skipped.
 */
import fs from "node:fs";
import path from "node:path";
import type { CheckpointInfo, MetricPoint, MetricsResponse, RunInfo } from "./api.js";
import { isInside } from "./safePath.js";

const METRICS_SUFFIX = ".metrics.jsonl";
const LOG_SUFFIXES = [".txt", ".log"];
const CHECKPOINT_SUFFIXES = [".ckpt", ".json"];
/** How deep below the runs directory runs are looked for. */
const MAX_DEPTH = 3;
/** Bytes read from the head of a file to recognise a checkpoint or a log header. */
const HEAD_BYTES = 512;

export interface RunsIndex {
  runs: RunInfo[];
  checkpoints: CheckpointInfo[];
}

/** URL of a file below the runs directory: each segment percent-encoded. */
export function runFileUrl(relative: string): string {
  return `/runs/${relative.split(path.sep).map(encodeURIComponent).join("/")}`;
}

function readHead(file: string): string {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const n = fs.readSync(fd, buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, n).toString("utf8");
  } finally {
    fs.closeSync(fd);
  }
}

/** The app and epoch of a checkpoint, read from its first bytes (saveCheckpoint writes them first). */
export function sniffCheckpoint(file: string): { app: string; epoch: number } | null {
  let head: string;
  try {
    head = readHead(file);
  } catch {
    return null;
  }
  if (!/^\s*\{\s*"format"\s*:\s*"minitorch-ts-checkpoint"/.test(head)) return null;
  const app = /"app"\s*:\s*"([^"\\]*)"/.exec(head)?.[1] ?? "";
  const epoch = Number(/"epoch"\s*:\s*(\d+)/.exec(head)?.[1] ?? 0);
  return { app, epoch };
}

/** The app named by a log's header line (`# train-mnist --epochs 2 …`), or "". */
function appOfLog(file: string): string {
  try {
    return /^# (train-[a-z]+)/.exec(readHead(file))?.[1] ?? "";
  } catch {
    return "";
  }
}

/** Every regular file below `realRoot` (relative paths), not following links out of it, skipping hidden entries. */
function listFiles(realRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (e.name.startsWith(".")) continue;
      const full = path.join(dir, e.name);
      let real: string;
      let stat: fs.Stats;
      try {
        real = fs.realpathSync(full);
        stat = fs.statSync(real);
      } catch {
        continue;
      }
      if (!isInside(realRoot, real)) continue;
      if (stat.isDirectory() && depth < MAX_DEPTH) walk(full, depth + 1);
      else if (stat.isFile()) out.push(path.relative(realRoot, full));
    }
  };
  walk(realRoot, 0);
  return out;
}

/** Runs and checkpoints found below `realRoot`, sorted by name. */
export function scanRuns(realRoot: string): RunsIndex {
  const files = listFiles(realRoot);
  const present = new Set(files);
  const checkpoints: CheckpointInfo[] = [];
  for (const f of files) {
    if (!CHECKPOINT_SUFFIXES.some((s) => f.endsWith(s))) continue;
    const found = sniffCheckpoint(path.join(realRoot, f));
    if (found !== null) checkpoints.push({ name: f.split(path.sep).join("/"), ...found, modified: mtime(path.join(realRoot, f)) });
  }
  const runs: RunInfo[] = [];
  for (const f of files) {
    // An empty metrics file is a run that stopped before its first record: not a run to show.
    if (!f.endsWith(METRICS_SUFFIX) || size(path.join(realRoot, f)) === 0) continue;
    const stem = f.slice(0, -METRICS_SUFFIX.length);
    const log = LOG_SUFFIXES.map((s) => stem + s).find((l) => present.has(l)) ?? null;
    const name = stem.split(path.sep).join("/");
    const checkpointApp = checkpoints.find((c) => c.name === `${name}.ckpt` || c.name === `${name}.json`)?.app ?? "";
    runs.push({
      name,
      app: (log !== null ? appOfLog(path.join(realRoot, log)) : "") || checkpointApp,
      metricsUrl: runFileUrl(f),
      logUrl: log !== null ? runFileUrl(log) : null,
      modified: mtime(path.join(realRoot, f)),
    });
  }
  return { runs, checkpoints };
}

function size(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

function mtime(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isFraction = (v: unknown): boolean => v === undefined || (isNumber(v) && v >= 0 && v <= 1);

/** A metrics record parsed from one line, or null if the line is not a valid one. */
export function parseMetricLine(line: string): MetricPoint | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof v !== "object" || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  if (r.kind !== "batch" && r.kind !== "epoch") return null;
  if (!isCount(r.epoch) || !isCount(r.batch) || !isNumber(r.loss) || !isNumber(r.time)) return null;
  if (!isFraction(r.valAccuracy) || !isFraction(r.trainAccuracy)) return null;
  const point: MetricPoint = { kind: r.kind, epoch: r.epoch, batch: r.batch, loss: r.loss, time: r.time };
  if (r.valAccuracy !== undefined) point.valAccuracy = r.valAccuracy as number;
  if (r.trainAccuracy !== undefined) point.trainAccuracy = r.trainAccuracy as number;
  return point;
}

/**
 * The records of a metrics file. A line that is not a valid record — corrupt,
 * or cut short because the writer was interrupted — is skipped and counted,
 * never fatal; blank lines are ignored.
 */
export function readMetrics(file: string, name: string): MetricsResponse {
  const stat = fs.statSync(file);
  const text = fs.readFileSync(file, "utf8");
  const records: MetricPoint[] = [];
  const skippedLines: number[] = [];
  let skipped = 0;
  text.split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    const record = parseMetricLine(line);
    if (record !== null) {
      records.push(record);
    } else {
      skipped++;
      if (skippedLines.length < 20) skippedLines.push(i + 1);
    }
  });
  return { name, records, skipped, skippedLines, bytes: stat.size, modified: stat.mtimeMs };
}
