/**
 * Metrics files read for the page's polls at a cost bounded by what
 * changed: each file is read once, in chunks, and afterwards only from the
 * offset reached (a file that grew) — or again from the start if it was
 * replaced or rewritten (another inode, a smaller size, the same size with
 * a new mtime). A poll of an unchanged file costs one stat.
 *
 * Memory stays bounded whatever the file's size: the records kept are a
 * thinned, evenly spaced subset of at most `MAX_POINTS` per kind (batch and
 * epoch), always with the last one — the stride doubles whenever the subset
 * would grow past it — and a line longer than `MAX_LINE` is skipped
 * without being held. A curve of a few thousand points is all a chart can
 * draw; `total` says how many records the file holds.
 */
import type { Stats } from "node:fs";
import fs from "node:fs/promises";
import type { MetricPoint, MetricsResponse } from "./api.js";
import { encodeJson, type EncodedJson } from "./encodedJson.js";
import { parseMetricLine } from "./runs.js";

/** Records of each kind kept for a response, at most (the last one may come on top). */
export const MAX_POINTS = 4000;
/** The longest line read as a record; longer ones are skipped (counted) without being held. */
export const MAX_LINE = 1 << 20;
/** Bytes read at once. */
const CHUNK = 1 << 20;
/** Files kept in the cache; the least recently asked for is dropped first. */
const MAX_FILES = 64;
/** Skipped lines whose numbers are reported. */
const MAX_SKIPPED_LINES = 20;

interface Kept {
  line: number;
  index: number;
  record: MetricPoint;
}

/** An evenly spaced subset of a growing sequence: every `stride`-th element, the stride doubling to stay within the cap. */
class Thinned {
  private stride = 1;
  private seen = 0;
  private points: Kept[] = [];
  private last: Kept | null = null;

  add(line: number, record: MetricPoint): void {
    const kept = { line, index: this.seen++, record };
    this.last = kept;
    if (kept.index % this.stride !== 0) return;
    this.points.push(kept);
    if (this.points.length > MAX_POINTS) {
      this.stride *= 2;
      this.points = this.points.filter((p) => p.index % this.stride === 0);
    }
  }

  get count(): number {
    return this.seen;
  }

  /** The subset, ending with the last element seen. */
  snapshot(): Kept[] {
    if (this.last === null || this.points.at(-1) === this.last) return this.points;
    return [...this.points, this.last];
  }
}

interface Entry {
  name: string;
  ino: number;
  size: number;
  modified: number;
  /** Bytes consumed: the end of the last complete line. */
  offset: number;
  /** Complete lines consumed. */
  lines: number;
  /** Inside a line longer than MAX_LINE, already counted as skipped. */
  overlong: boolean;
  batch: Thinned;
  epoch: Thinned;
  skipped: number;
  skippedLines: number[];
  /** The response for (size, modified), encoded once. */
  json: EncodedJson | null;
  updating: Promise<void> | null;
}

function freshEntry(name: string, st: Stats): Entry {
  return {
    name,
    ino: st.ino,
    size: 0,
    modified: 0,
    offset: 0,
    lines: 0,
    overlong: false,
    batch: new Thinned(),
    epoch: new Thinned(),
    skipped: 0,
    skippedLines: [],
    json: null,
    updating: null,
  };
}

function skip(e: Entry, line: number): void {
  e.skipped++;
  if (e.skippedLines.length < MAX_SKIPPED_LINES) e.skippedLines.push(line);
}

/** Takes one complete line (without its newline) into the entry. */
function takeLine(e: Entry, text: string): void {
  e.lines++;
  if (text.trim() === "") return;
  const record = parseMetricLine(text);
  if (record === null) skip(e, e.lines);
  else (record.kind === "batch" ? e.batch : e.epoch).add(e.lines, record);
}

export class MetricsCache {
  private readonly entries = new Map<string, Entry>();

  /** The metrics response for `file` (served as run `name`), encoded as JSON. */
  async get(file: string, name: string): Promise<EncodedJson> {
    // One reader per file: later polls wait for it, then find the file unchanged.
    for (let e = this.entries.get(file); e?.updating; e = this.entries.get(file)) await e.updating.catch(() => {});
    const st = await fs.stat(file);
    const e = this.entries.get(file);
    if (e?.updating) return this.get(file, name);
    const same = e !== undefined && e.ino === st.ino && e.name === name;
    if (same && e.json !== null && e.size === st.size && e.modified === st.mtimeMs) {
      this.touch(file, e);
      return e.json;
    }
    const entry = same && e.json !== null && st.size > e.size ? e : freshEntry(name, st);
    this.touch(file, entry);
    entry.updating = this.update(file, entry, st);
    try {
      await entry.updating;
    } catch (err) {
      this.entries.delete(file);
      throw err;
    } finally {
      entry.updating = null;
    }
    return entry.json!;
  }

  private touch(file: string, e: Entry): void {
    this.entries.delete(file);
    this.entries.set(file, e);
    for (const [key, old] of this.entries) {
      if (this.entries.size <= MAX_FILES) break;
      if (old.updating === null) this.entries.delete(key);
    }
  }

  /** Reads `file` from the entry's offset to `st.size`, then encodes the response. */
  private async update(file: string, e: Entry, st: Stats): Promise<void> {
    const handle = await fs.open(file, "r");
    let tail = Buffer.alloc(0);
    try {
      const buf = Buffer.alloc(CHUNK);
      let position = e.offset;
      while (position < st.size) {
        const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK, st.size - position), position);
        if (bytesRead === 0) break;
        position += bytesRead;
        const data = tail.length > 0 ? Buffer.concat([tail, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
        const end = data.lastIndexOf(10);
        if (end < 0) {
          tail = Buffer.from(data);
        } else {
          const lines = data.subarray(0, end).toString("utf8").split("\n");
          for (const line of lines) {
            if (e.overlong) {
              // The rest of a line already counted as skipped.
              e.overlong = false;
              e.lines++;
            } else {
              takeLine(e, line);
            }
          }
          tail = Buffer.from(data.subarray(end + 1));
        }
        if (tail.length > MAX_LINE) {
          // A line this long is no record: count it once, and drop what is read of it.
          if (!e.overlong) skip(e, e.lines + 1);
          e.overlong = true;
          tail = Buffer.alloc(0);
        }
        e.offset = position - tail.length;
      }
    } finally {
      await handle.close();
    }
    e.size = st.size;
    e.modified = st.mtimeMs;
    e.json = await encodeJson(this.response(e, tail, st));
  }

  /** The response: the kept records in file order, plus the unterminated last line if it parses. */
  private response(e: Entry, tail: Buffer, st: Stats): MetricsResponse {
    const kept = [...e.batch.snapshot(), ...e.epoch.snapshot()].sort((a, b) => a.line - b.line);
    const records = kept.map((k) => k.record);
    let skipped = e.skipped;
    const skippedLines = [...e.skippedLines];
    let total = e.batch.count + e.epoch.count;
    // A last line without its newline: a writer may be mid-line, so it is read each time, never kept.
    if (tail.length > 0 && !e.overlong) {
      const text = tail.toString("utf8");
      const record = text.trim() === "" ? null : parseMetricLine(text);
      if (record !== null) {
        records.push(record);
        total++;
      } else if (text.trim() !== "") {
        skipped++;
        if (skippedLines.length < MAX_SKIPPED_LINES) skippedLines.push(e.lines + 1);
      }
    }
    return { name: e.name, records, total, skipped, skippedLines, bytes: st.size, modified: st.mtimeMs };
  }
}
