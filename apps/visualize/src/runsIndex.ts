/**
 * The runs directory's index (runs and checkpoints), kept off the request
 * path: it is rebuilt by an asynchronous walk at most once per `maxAgeMs`,
 * while requests are answered from the last index and its JSON, encoded
 * again only when the index changed. A rebuild lists again only the
 * directories whose mtime changed, and re-reads a file's head only when
 * its size or mtime changed; everything is stat'ed again every
 * `FULL_REFRESH_MS`. Its cost never grows with the files' sizes.
 *
 * Each real directory is walked once (a symlink back up the tree is not a
 * loop, and a directory reached by two paths is listed under the first); a name that is not valid UTF-8
 * cannot be served by URL and is reported in `problems` instead.
 */
import type { Dirent } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import type { CheckpointInfo, RunInfo, RunsResponse } from "./api.js";
import { appOfLogHead, CHECKPOINT_SUFFIXES, LOG_SUFFIXES, METRICS_SUFFIX, runFileUrl, sniffCheckpointHead } from "./runs.js";
import { encodeJson, type EncodedJson } from "./encodedJson.js";
import { isInside } from "./safePath.js";

/** How deep below the runs directory runs are looked for. */
const MAX_DEPTH = 3;
/** Bytes read from the head of a file to recognise a checkpoint or a log header. */
const HEAD_BYTES = 512;
/** Directory entries looked at per rebuild, at most: a bound on the work of one walk. */
export const MAX_ENTRIES = 100_000;
/**
 * How often everything is stat'ed again. Between full refreshes a rebuild
 * lists again only directories whose mtime changed and stats only files
 * it has not seen or that were empty, so a listed run's size and mtime
 * may be this old (its metrics request reports its own).
 */
const FULL_REFRESH_MS = 30_000;
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

/** What a directory held when last listed. */
interface Listing {
  mtime: number;
  entries: Array<{ name: string; real: string; isDirectory: boolean }>;
  /** Names that are not valid UTF-8, shown with \xNN escapes. */
  badNames: string[];
  truncated: boolean;
}

interface Head {
  size: number;
  modified: number;
  text: string;
}

export class RunsIndexCache {
  private current: { index: RunsResponse; encoded: EncodedJson; builtAt: number } | null = null;
  private building: Promise<void> | null = null;
  private lastFull = -Infinity;
  private lastFiles: FileFacts[] = [];
  private readonly heads = new Map<string, Head>();
  private readonly dirs = new Map<string, Listing>();
  private readonly stats = new Map<string, { size: number; modified: number }>();

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
  async get(o: { fresh?: boolean } = {}): Promise<{ index: RunsResponse; encoded: EncodedJson }> {
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
    const full = performance.now() - this.lastFull >= FULL_REFRESH_MS;
    if (full) this.lastFull = performance.now();
    const problems: string[] = [];
    const files = await this.walk(problems, full);
    const same = (x: FileFacts, y: FileFacts | undefined): boolean =>
      y !== undefined && x.relative === y.relative && x.real === y.real && x.size === y.size && x.modified === y.modified;
    if (this.current !== null && !full && files.length === this.lastFiles.length && files.every((f, i) => same(f, this.lastFiles[i])) &&
      problems.join("\n") === this.current.index.problems.join("\n")) {
      this.current.builtAt = performance.now();
      return;
    }
    // Built and encoded again only when something changed: an unchanged directory costs a few stats.
    this.lastFiles = files;
    const index = await this.build(files, problems);
    this.current = { index, encoded: await encodeJson(index), builtAt: performance.now() };
  }

  /**
   * The entries of directory `dir` that can matter (subdirectories and
   * candidate files, symlinks resolved), listed again only when the
   * directory's mtime changed (an entry added, removed or renamed) or on a
   * full refresh.
   */
  private async listDir(dir: string, full: boolean): Promise<Listing | null> {
    let mtime: number;
    try {
      mtime = (await fs.stat(dir)).mtimeMs;
    } catch {
      return null;
    }
    const cached = this.dirs.get(dir);
    if (!full && cached !== undefined && cached.mtime === mtime) return cached;
    let list: Dirent<Buffer>[];
    try {
      list = await fs.readdir(dir, { withFileTypes: true, encoding: "buffer" });
    } catch {
      return null;
    }
    const listing: Listing = { mtime, entries: [], badNames: [], truncated: list.length > MAX_ENTRIES };
    list = list.slice(0, MAX_ENTRIES);
    for (let i = 0; i < list.length; i += BATCH) {
      await Promise.all(
        list.slice(i, i + BATCH).map(async (e) => {
          if (e.name[0] === 0x2e) return; // hidden
          let name: string;
          try {
            name = utf8.decode(e.name);
          } catch {
            listing.badNames.push(showBytes(e.name));
            return;
          }
          if (!e.isDirectory() && !e.isSymbolicLink() && !(e.isFile() && wanted(name))) return;
          let real = path.join(dir, name);
          let isDirectory = e.isDirectory();
          if (e.isSymbolicLink()) {
            try {
              real = await fs.realpath(real);
              const st = await fs.stat(real);
              if (!st.isDirectory() && !(st.isFile() && wanted(name))) return;
              isDirectory = st.isDirectory();
            } catch {
              return;
            }
            if (!isInside(this.realRoot, real)) return;
          }
          listing.entries.push({ name, real, isDirectory });
        }),
      );
    }
    listing.entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    listing.badNames.sort();
    this.dirs.set(dir, listing);
    return listing;
  }

  /** Size and mtime of a candidate file, stat'ed again on a full refresh, or while it is empty (a run not started yet). */
  private async facts(real: string, full: boolean): Promise<{ size: number; modified: number } | null> {
    const cached = this.stats.get(real);
    if (!full && cached !== undefined && cached.size > 0) return cached;
    try {
      const st = await fs.stat(real);
      const f = { size: st.size, modified: st.mtimeMs };
      this.stats.set(real, f);
      return st.isFile() ? f : null;
    } catch {
      this.stats.delete(real);
      return null;
    }
  }

  /** Candidate files below the root, sorted by relative path, each real directory walked once. */
  private async walk(problems: string[], full: boolean): Promise<FileFacts[]> {
    const out: FileFacts[] = [];
    const seenDirs = new Set<string>([this.realRoot]);
    let entries = 0;
    const visit = async (dir: string, relDir: string, depth: number): Promise<void> => {
      const listing = await this.listDir(dir, full);
      if (listing === null) return;
      const joined = (name: string): string => (relDir === "" ? name : `${relDir}/${name}`);
      for (const bad of listing.badNames) problems.push(`${joined(bad)}: the name is not valid UTF-8, so it cannot be shown or served; rename it`);
      if (listing.truncated || entries + listing.entries.length > MAX_ENTRIES) {
        problems.push(`more than ${MAX_ENTRIES} entries below the runs directory; not all of ${relDir || "."} is listed`);
      }
      const take = listing.entries.slice(0, Math.max(0, MAX_ENTRIES - entries));
      entries += take.length;
      const files = take.filter((e) => !e.isDirectory);
      for (let i = 0; i < files.length; i += BATCH) {
        const batch = files.slice(i, i + BATCH);
        const facts = await Promise.all(batch.map((e) => this.facts(e.real, full)));
        batch.forEach((e, j) => {
          const f = facts[j];
          if (f != null) out.push({ relative: joined(e.name), real: e.real, ...f });
        });
      }
      for (const d of take) {
        if (!d.isDirectory || depth >= MAX_DEPTH || seenDirs.has(d.real)) continue;
        seenDirs.add(d.real);
        await visit(d.real, joined(d.name), depth + 1);
      }
    };
    await visit(this.realRoot, "", 0);
    out.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
    if (full) {
      const live = new Set(out.map((f) => f.real));
      for (const key of this.stats.keys()) if (!live.has(key)) this.stats.delete(key);
      for (const key of this.dirs.keys()) if (!seenDirs.has(key)) this.dirs.delete(key);
    }
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
    const missing: FileFacts[] = [];
    for (const f of files) {
      if (f.relative.endsWith(METRICS_SUFFIX)) continue;
      const cached = this.heads.get(f.real);
      if (cached !== undefined && cached.size === f.size && cached.modified === f.modified) heads.set(f.relative, cached.text);
      else missing.push(f);
    }
    for (let i = 0; i < missing.length; i += BATCH) {
      const batch = missing.slice(i, i + BATCH);
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
