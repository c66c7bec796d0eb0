/**
 * The runs directory's index (runs and checkpoints), kept off the request
 * path: it is rebuilt by an asynchronous walk at most once per `maxAgeMs`,
 * while requests are answered from the last index and its JSON, encoded
 * once per rebuild. A rebuild stats only the files whose names can matter
 * and re-reads a file's head only when its size or mtime changed, so its
 * cost grows with the number of such files, never with their size.
 *
 * Each real directory is walked once (a symlink back up the tree is not a
 * loop, and a directory reached by two paths is listed under the first); a name that is not valid UTF-8
 * cannot be served by URL and is reported in `problems` instead.
 */
import type { Dirent, Stats } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { CheckpointInfo, RunInfo, RunsResponse } from "./api.js";
import { appOfLogHead, CHECKPOINT_SUFFIXES, LOG_SUFFIXES, METRICS_SUFFIX, runFileUrl, sniffCheckpointHead } from "./runs.js";
import { isInside } from "./safePath.js";

/** How deep below the runs directory runs are looked for. */
const MAX_DEPTH = 3;
/** Bytes read from the head of a file to recognise a checkpoint or a log header. */
const HEAD_BYTES = 512;
/** Directory entries looked at per rebuild, at most: a bound on the work of one walk. */
export const MAX_ENTRIES = 100_000;
/** Entries handled at once (a bound on open files and pending fs calls). */
const BATCH = 64;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** A name as bytes, printable: ASCII kept, every other byte as \xNN. */
function showBytes(name: Buffer): string {
  let out = "";
  for (const b of name) out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  return out;
}

const wanted = (name: string): boolean => [METRICS_SUFFIX, ...LOG_SUFFIXES, ...CHECKPOINT_SUFFIXES].some((s) => name.endsWith(s));

interface FileFacts {
  /** Path relative to the root, with "/" separators. */
  relative: string;
  real: string;
  size: number;
  modified: number;
}

interface Head {
  size: number;
  modified: number;
  text: string;
}

export class RunsIndexCache {
  private current: { index: RunsResponse; json: Buffer; builtAt: number } | null = null;
  private building: Promise<void> | null = null;
  private readonly heads = new Map<string, Head>();

  /**
   * @param realRoot the runs directory, already through realpath.
   * @param maxAgeMs how old an index may be before a request starts a rebuild.
   */
  constructor(
    private readonly realRoot: string,
    private readonly maxAgeMs = 1000,
  ) {}

  /**
   * The index and its JSON. The first call waits for the first walk; later
   * ones get the last index at once, starting a rebuild in the background
   * when it is older than `maxAgeMs` — or wait for a fresh one with `fresh`
   * (a name not found in the last index may have appeared since).
   */
  async get(o: { fresh?: boolean } = {}): Promise<{ index: RunsResponse; json: Buffer }> {
    const stale = this.current === null || performance.now() - this.current.builtAt >= this.maxAgeMs;
    if (stale && this.building === null) {
      this.building = this.rebuild().finally(() => {
        this.building = null;
      });
    }
    if (this.current === null || (o.fresh === true && stale)) await this.building;
    return this.current!;
  }

  private async rebuild(): Promise<void> {
    const problems: string[] = [];
    const files = await this.walk(problems);
    const index = await this.build(files, problems);
    this.current = { index, json: Buffer.from(JSON.stringify(index)), builtAt: performance.now() };
  }

  /** Candidate files below the root, sorted by relative path, each real directory walked once. */
  private async walk(problems: string[]): Promise<FileFacts[]> {
    const out: FileFacts[] = [];
    const seenDirs = new Set<string>([this.realRoot]);
    let entries = 0;
    const visit = async (dir: string, relDir: string, depth: number): Promise<void> => {
      let list: Dirent<Buffer>[];
      try {
        list = await fs.readdir(dir, { withFileTypes: true, encoding: "buffer" });
      } catch {
        return;
      }
      if (entries + list.length > MAX_ENTRIES) {
        problems.push(`more than ${MAX_ENTRIES} entries below the runs directory; ${relDir || "."} and what follows it are not listed`);
        list = list.slice(0, Math.max(0, MAX_ENTRIES - entries));
      }
      entries += list.length;
      const subdirs: Array<{ full: string; rel: string }> = [];
      for (let i = 0; i < list.length; i += BATCH) {
        await Promise.all(
          list.slice(i, i + BATCH).map(async (e) => {
            if (e.name[0] === 0x2e) return; // hidden
            let name: string;
            try {
              name = utf8.decode(e.name);
            } catch {
              const shown = relDir === "" ? showBytes(e.name) : `${relDir}/${showBytes(e.name)}`;
              problems.push(`${shown}: the name is not valid UTF-8, so it cannot be shown or served; rename it`);
              return;
            }
            const full = path.join(dir, name);
            const rel = relDir === "" ? name : `${relDir}/${name}`;
            if (!e.isDirectory() && !e.isSymbolicLink() && !(e.isFile() && wanted(name))) return;
            let real: string;
            let st: Stats;
            try {
              real = e.isSymbolicLink() ? await fs.realpath(full) : path.join(dir, name);
              st = await fs.stat(real);
            } catch {
              return;
            }
            if (!isInside(this.realRoot, real)) return;
            if (st.isDirectory()) {
              if (depth < MAX_DEPTH && !seenDirs.has(real)) {
                seenDirs.add(real);
                subdirs.push({ full: real, rel });
              }
            } else if (st.isFile() && wanted(name)) {
              out.push({ relative: rel, real, size: st.size, modified: st.mtimeMs });
            }
          }),
        );
      }
      subdirs.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
      for (const d of subdirs) await visit(d.full, d.rel, depth + 1);
    };
    await visit(this.realRoot, "", 0);
    out.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
    return out;
  }

  /** The first bytes of a file, re-read only when its size or mtime changed. */
  private async head(f: FileFacts): Promise<string> {
    const cached = this.heads.get(f.real);
    if (cached !== undefined && cached.size === f.size && cached.modified === f.modified) return cached.text;
    let text = "";
    try {
      const handle = await fs.open(f.real, "r");
      try {
        const buf = Buffer.alloc(HEAD_BYTES);
        const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
        text = buf.subarray(0, bytesRead).toString("utf8");
      } finally {
        await handle.close();
      }
    } catch {
      // Unreadable: not a checkpoint, a log without a known app.
    }
    this.heads.set(f.real, { size: f.size, modified: f.modified, text });
    return text;
  }

  private async build(files: FileFacts[], problems: string[]): Promise<RunsResponse> {
    const byName = new Map(files.map((f) => [f.relative, f]));
    const checkpoints: CheckpointInfo[] = [];
    const appOfCheckpoint = new Map<string, string>();
    const heads = new Map<string, string>();
    for (let i = 0; i < files.length; i += BATCH) {
      const batch = files.slice(i, i + BATCH).filter((f) => !f.relative.endsWith(METRICS_SUFFIX));
      const texts = await Promise.all(batch.map((f) => this.head(f)));
      batch.forEach((f, j) => heads.set(f.relative, texts[j]!));
    }
    for (const f of files) {
      if (!CHECKPOINT_SUFFIXES.some((s) => f.relative.endsWith(s))) continue;
      const found = sniffCheckpointHead(heads.get(f.relative) ?? "");
      if (found === null) continue;
      checkpoints.push({ name: f.relative, ...found, modified: f.modified });
      appOfCheckpoint.set(f.relative, found.app);
    }
    const runs: RunInfo[] = [];
    for (const f of files) {
      // An empty metrics file is a run that stopped before its first record: not a run to show.
      if (!f.relative.endsWith(METRICS_SUFFIX) || f.size === 0) continue;
      const name = f.relative.slice(0, -METRICS_SUFFIX.length);
      const log = LOG_SUFFIXES.map((s) => name + s).find((l) => byName.has(l)) ?? null;
      const checkpointApp = appOfCheckpoint.get(`${name}.ckpt`) ?? appOfCheckpoint.get(`${name}.json`) ?? "";
      runs.push({
        name,
        app: (log !== null ? appOfLogHead(heads.get(log) ?? "") : "") || checkpointApp,
        metricsUrl: runFileUrl(f.relative),
        logUrl: log !== null ? runFileUrl(log) : null,
        modified: f.modified,
      });
    }
    // Forget heads of files that are gone, so the cache stays the size of the directory.
    const live = new Set(files.map((f) => f.real));
    for (const key of this.heads.keys()) if (!live.has(key)) this.heads.delete(key);
    return { runsDir: this.realRoot, runs, checkpoints, problems };
  }
}
