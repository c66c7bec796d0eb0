/**
 * SST-2, the binary Stanford Sentiment Treebank as distributed by GLUE:
 * `train.tsv` (67,349 rows) and `dev.tsv` (872 rows), each with the header
 * `sentence<TAB>label` and one `sentence<TAB>label` row per example, label 0
 * (negative) or 1 (positive). Sentences are lowercased PTB tokens separated by
 * single spaces, with one trailing space before the tab.
 *
 * Files come from `dataDir` when given; otherwise from the cache
 * (`<cacheDir>/sst2/`), which is filled on first use by downloading GLUE's
 * `SST-2.zip`, checking its sha256 and extracting just the two files.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { resolveCacheDir, sha256File } from "./cache.js";
import { downloadFile, rootCause } from "./download.js";
import { extractZip, readZip } from "./zip.js";

/** GLUE's archive of SST-2. */
export const SST2_URL = "https://dl.fbaipublicfiles.com/glue/data/SST-2.zip";
/** sha256 of {@link SST2_URL}, as recorded by public dataset registries. */
export const SST2_SHA256 = "d67e16fb55739c1b32cdce9877596db1c127dc322d93c082281f64057c16deaa";
/** The archive entries extracted, and their names in the cache. */
const ENTRIES: Readonly<Record<string, string>> = { "SST-2/train.tsv": "train.tsv", "SST-2/dev.tsv": "dev.tsv" };
/** The file names an SST-2 `dataDir` supplies: the inputs an output must not overwrite. */
export const SST2_FILE_NAMES: readonly string[] = Object.values(ENTRIES);

/** Rows of one TSV file. */
export interface Sst2Split {
  /** Sentences exactly as in the file (with their trailing space). */
  sentences: string[];
  /** Labels, 0 = negative, 1 = positive. */
  labels: number[];
  /**
   * The longest sentence, in whitespace tokens, over every row of the file —
   * not only the rows returned (minitorch pads to the maximum over the whole
   * train + validation sets: 52 for SST-2).
   */
  maxTokens: number;
}

/** Result of {@link loadSst2}. */
export interface Sst2Data {
  train: Sst2Split;
  /** GLUE's dev split (its test split has no labels). */
  validation: Sst2Split;
  /** The directory the files were read from. */
  source: string;
}

/** Where to find or fetch SST-2. */
export interface Sst2SourceOptions {
  /** Directory holding train.tsv and dev.tsv; when given, nothing is downloaded. */
  dataDir?: string;
  /** Cache directory; default `$MINITORCH_DATA_DIR` or `~/.cache/minitorch-ts`. */
  cacheDir?: string;
  /** Archive URL; default {@link SST2_URL}. */
  url?: string;
  /** Expected sha256 of the archive; default {@link SST2_SHA256}. */
  sha256?: string;
  /** Allow downloading when the cache is empty; default true. */
  download?: boolean;
  /** Force the download progress bar on or off; default: on when stderr is a TTY. */
  progress?: boolean;
}

/** Options of {@link loadSst2}. */
export interface Sst2Options extends Sst2SourceOptions {
  /** Number of training rows (the first of train.tsv); default all. minitorch uses 450. */
  trainSize?: number;
  /** Number of validation rows (the first of dev.tsv); default all. minitorch uses 100. */
  valSize?: number;
}

/** Whitespace tokens of a sentence, like Python's `sentence.split()`. */
export function tokenize(sentence: string): string[] {
  const trimmed = sentence.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/**
 * Parse the text of a GLUE SST-2 TSV file. `name` is used in error messages,
 * which give the 1-based line number.
 */
export function parseSst2Tsv(text: string, name: string): Sst2Split {
  const lines = text.replace(/^\uFEFF/, "").split("\n");
  if (lines.at(-1) === "") lines.pop();
  const header = (lines[0] ?? "").replace(/\r$/, "");
  if (header !== "sentence\tlabel") {
    throw new Error(`readSst2: ${name}: line 1: expected the header "sentence<TAB>label", got ${JSON.stringify(header.slice(0, 80))}`);
  }
  const sentences: string[] = [];
  const labels: number[] = [];
  let maxTokens = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, "");
    const tab = line.indexOf("\t");
    if (tab < 0) throw new Error(`readSst2: ${name}: line ${i + 1}: expected "sentence<TAB>label", found no tab`);
    if (line.indexOf("\t", tab + 1) >= 0) {
      throw new Error(`readSst2: ${name}: line ${i + 1}: expected one tab, found ${line.split("\t").length - 1}`);
    }
    const label = line.slice(tab + 1);
    if (label !== "0" && label !== "1") {
      throw new Error(`readSst2: ${name}: line ${i + 1}: label must be 0 or 1, got ${JSON.stringify(label)}`);
    }
    const sentence = line.slice(0, tab);
    sentences.push(sentence);
    labels.push(label === "1" ? 1 : 0);
    maxTokens = Math.max(maxTokens, tokenize(sentence).length);
  }
  return { sentences, labels, maxTokens };
}

/** Read and parse one SST-2 TSV file. */
export function readSst2Tsv(path: string): Sst2Split {
  return parseSst2Tsv(readFileSync(path, "utf8"), path);
}

function hasFiles(dir: string): boolean {
  return Object.values(ENTRIES).every((f) => existsSync(join(dir, f)));
}

function byHand(dir: string): string {
  return `put GLUE's SST-2 train.tsv and dev.tsv (from SST-2.zip, ${SST2_URL}) into ${dir} by hand, or pass their directory as dataDir (--data-dir)`;
}

/** Extract train.tsv and dev.tsv from the archive at `zipPath` into `dir`. */
function extractSst2(zipPath: string, dir: string): void {
  const archive = readZip(zipPath);
  const names = new Set(archive.entries.map((e) => e.name));
  for (const entry of Object.keys(ENTRIES)) {
    if (!names.has(entry)) throw new Error(`loadSst2: ${zipPath} has no entry ${entry} (it holds ${[...names].join(", ")})`);
  }
  // Only the two known names are written, each to a fixed file name: other
  // entries (including any "../" ones) are never extracted.
  extractZip(archive, dir, (name) => (Object.hasOwn(ENTRIES, name) ? ENTRIES[name]! : null));
}

/**
 * The directory holding train.tsv and dev.tsv: `dataDir` if given (checked),
 * else `<cacheDir>/sst2`, downloading and extracting the archive there when the
 * files are missing. A cached archive is reused if its sha256 matches.
 */
export async function ensureSst2(options: Sst2SourceOptions = {}): Promise<string> {
  if (options.dataDir !== undefined) {
    for (const f of Object.values(ENTRIES)) {
      if (!existsSync(join(options.dataDir, f))) throw new Error(`loadSst2: ${options.dataDir} has no ${f} (SST-2 needs train.tsv and dev.tsv)`);
    }
    return options.dataDir;
  }
  const dir = join(resolveCacheDir(options.cacheDir), "sst2");
  if (hasFiles(dir)) return dir;
  const url = options.url ?? SST2_URL;
  const sha256 = (options.sha256 ?? SST2_SHA256).toLowerCase();
  const zipPath = join(dir, "SST-2.zip");
  if (!existsSync(zipPath) || (await sha256File(zipPath)) !== sha256) {
    if (options.download === false) throw new Error(`loadSst2: SST-2 is not in the cache and downloading is off; ${byHand(dir)}`);
    try {
      await downloadFile(url, zipPath, { sha256, label: "SST-2.zip", progress: options.progress });
    } catch (e) {
      throw new Error(`loadSst2: could not download SST-2 (${rootCause(e)}); ${byHand(dir)}`, { cause: e });
    }
  }
  extractSst2(zipPath, dir);
  return dir;
}

function take(split: Sst2Split, size: number | undefined, option: string, file: string): Sst2Split {
  if (size === undefined) return split;
  if (!Number.isInteger(size) || size < 0) throw new Error(`loadSst2: ${option} must be a non-negative integer, got ${size}`);
  if (size > split.sentences.length) {
    throw new Error(`loadSst2: ${option} ${size} exceeds the ${split.sentences.length} rows of ${file}`);
  }
  return { sentences: split.sentences.slice(0, size), labels: split.labels.slice(0, size), maxTokens: split.maxTokens };
}

/**
 * Load SST-2: the first `trainSize` rows of train.tsv and the first `valSize`
 * rows of dev.tsv (all rows by default). Every row of both files is checked.
 */
export async function loadSst2(options: Sst2Options = {}): Promise<Sst2Data> {
  const dir = await ensureSst2(options);
  const trainFile = join(dir, "train.tsv");
  const devFile = join(dir, "dev.tsv");
  return {
    train: take(readSst2Tsv(trainFile), options.trainSize, "trainSize", trainFile),
    validation: take(readSst2Tsv(devFile), options.valSize, "valSize", devFile),
    source: resolve(dir),
  };
}
