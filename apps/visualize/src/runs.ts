/**
 * What the runs directory holds: training runs (`<name>.metrics.jsonl`, with
 * the text log `<name>.txt` or `.log` beside it) and checkpoints (`*.ckpt` or
 * `*.json` files whose first bytes say `"format":"minitorch-ts-checkpoint"`),
 * and what one line of a metrics file is. The walk and the reading live in
 * runsIndex.ts and metricsCache.ts.
 */
import fs from "node:fs";
import type { MetricPoint } from "./api.js";

export const METRICS_SUFFIX = ".metrics.jsonl";
export const LOG_SUFFIXES = [".txt", ".log"];
export const CHECKPOINT_SUFFIXES = [".ckpt", ".json"];
/** Bytes read from the head of a file to recognise a checkpoint or a log header. */
const HEAD_BYTES = 512;

/** URL of a file below the runs directory: each segment percent-encoded. */
export function runFileUrl(relative: string): string {
  return `/runs/${relative.split(/[\\/]/).map(encodeURIComponent).join("/")}`;
}

/** The app and epoch of a checkpoint, from its first bytes (saveCheckpoint writes them first); null if it is not one. */
export function sniffCheckpointHead(head: string): { app: string; epoch: number } | null {
  if (!/^\s*\{\s*"format"\s*:\s*"minitorch-ts-checkpoint"/.test(head)) return null;
  const app = /"app"\s*:\s*"([^"\\]*)"/.exec(head)?.[1] ?? "";
  const epoch = Number(/"epoch"\s*:\s*(\d+)/.exec(head)?.[1] ?? 0);
  return { app, epoch };
}

/** The app and epoch of checkpoint `file`, or null if it is not one. */
export function sniffCheckpoint(file: string): { app: string; epoch: number } | null {
  let head: string;
  try {
    const fd = fs.openSync(file, "r");
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      head = buf.subarray(0, fs.readSync(fd, buf, 0, HEAD_BYTES, 0)).toString("utf8");
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  return sniffCheckpointHead(head);
}

/** The app named by a log's header line (`# train-mnist --epochs 2 …`), or "". */
export function appOfLogHead(head: string): string {
  return /^# (train-[a-z]+)/.exec(head)?.[1] ?? "";
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
