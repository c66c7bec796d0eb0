/**
 * A cache of embedding subsets: the vectors of the words one dataset uses, so a
 * second run reads a few hundred kilobytes instead of scanning a large
 * embedding file.
 *
 * One file per (source, vocabulary) at `<cacheDir>/glove/<key>.bin`, where the
 * key hashes the source identity (package name + version + size, or file
 * path + size + mtime) and the sorted vocabulary. Layout, little-endian:
 *
 *   bytes 0–3   "MTEV"
 *   bytes 4–7   header length H (u32)
 *   H bytes     JSON {"version":1,"key","source","dim","words":[…]}
 *   padding     zero bytes up to a multiple of 8
 *   then        words.length × dim float64 values, row-major
 *
 * Files are written atomically; an unreadable or mismatching file is treated
 * as a miss and rewritten.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { sha256Hex, writeFileAtomic } from "./cache.js";

const MAGIC = "MTEV";

/** A dimension and a map word → vector of that dimension. */
export interface VectorSet {
  dim: number;
  vectors: Map<string, Float64Array>;
}

/** Sorted, de-duplicated vocabulary. */
export function sortedVocabulary(words: Iterable<string>): string[] {
  return [...new Set(words)].sort();
}

/** The cache key of a source and a vocabulary (sorted, unique). */
export function subsetKey(sourceId: string, vocabulary: readonly string[]): string {
  return sha256Hex(`${sourceId}\n${vocabulary.join("\n")}`).slice(0, 40);
}

/** Path of the cache file for `key` under `cacheDir`. */
export function subsetPath(cacheDir: string, key: string): string {
  return join(cacheDir, "glove", `${key}.bin`);
}

/** Serialize a subset (see the layout above). */
export function encodeSubset(key: string, source: string, set: VectorSet): Buffer {
  const words = [...set.vectors.keys()];
  const header = Buffer.from(JSON.stringify({ version: 1, key, source, dim: set.dim, words }), "utf8");
  const dataStart = Math.ceil((8 + header.length) / 8) * 8;
  const out = Buffer.alloc(dataStart + words.length * set.dim * 8);
  out.write(MAGIC, 0, "latin1");
  out.writeUInt32LE(header.length, 4);
  header.copy(out, 8);
  let at = dataStart;
  for (const w of words) {
    for (const x of set.vectors.get(w)!) {
      out.writeDoubleLE(x, at);
      at += 8;
    }
  }
  return out;
}

/** Parse a subset file; undefined when it is not a valid file for `key`. */
export function decodeSubset(data: Buffer, key: string): (VectorSet & { source: string }) | undefined {
  if (data.length < 8 || data.toString("latin1", 0, 4) !== MAGIC) return undefined;
  const headerLength = data.readUInt32LE(4);
  if (8 + headerLength > data.length) return undefined;
  let header: { version?: number; key?: string; source?: string; dim?: number; words?: string[] };
  try {
    header = JSON.parse(data.toString("utf8", 8, 8 + headerLength)) as typeof header;
  } catch {
    return undefined;
  }
  const { dim, words, source } = header;
  if (header.version !== 1 || header.key !== key || typeof dim !== "number" || !Array.isArray(words) || typeof source !== "string") {
    return undefined;
  }
  const dataStart = Math.ceil((8 + headerLength) / 8) * 8;
  if (data.length !== dataStart + words.length * dim * 8) return undefined;
  const vectors = new Map<string, Float64Array>();
  let at = dataStart;
  for (const w of words) {
    const v = new Float64Array(dim);
    for (let i = 0; i < dim; i++, at += 8) v[i] = data.readDoubleLE(at);
    vectors.set(w, v);
  }
  return { dim, vectors, source };
}

/** Read the cached subset for `key`, if present and valid. */
export function readSubset(cacheDir: string, key: string): (VectorSet & { source: string }) | undefined {
  const path = subsetPath(cacheDir, key);
  if (!existsSync(path)) return undefined;
  return decodeSubset(readFileSync(path), key);
}

/** Write the subset for `key` atomically; returns its path. */
export function writeSubset(cacheDir: string, key: string, source: string, set: VectorSet): string {
  const path = subsetPath(cacheDir, key);
  writeFileAtomic(path, encodeSubset(key, source, set));
  return path;
}
