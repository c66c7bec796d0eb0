/**
 * IDX files, the format of MNIST and of every dataset published "in MNIST's
 * format" (Fashion-MNIST, KMNIST, EMNIST, …).
 *
 * An IDX file is a big-endian header followed by raw unsigned bytes:
 *
 *   images (`*-images-idx3-ubyte`): magic 2051 (0x00000803), count, rows, columns,
 *                                   then count × rows × columns pixel bytes (0..255)
 *   labels (`*-labels-idx1-ubyte`): magic 2049 (0x00000801), count,
 *                                   then count label bytes
 *
 * Files may be gzip'd (`.gz`); gzip is detected by its magic bytes, not the name.
 * Offsets in error messages are byte offsets in the (decompressed) IDX data.
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { constants as zlibConstants, gunzipSync } from "node:zlib";

/** Magic number of an IDX file of unsigned-byte images (3 dimensions). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned-byte labels (1 dimension). */
export const IDX_LABELS_MAGIC = 2049;

/** Images read from an IDX file: `pixels` is count × height × width bytes, row-major. */
export interface IdxImages {
  pixels: Uint8Array;
  count: number;
  height: number;
  width: number;
}

/** Options of {@link readIdxImages} and {@link parseIdxImages}. */
export interface IdxImageOptions {
  /** Expected image height in pixels; default 28 (MNIST). */
  height?: number;
  /** Expected image width in pixels; default 28 (MNIST). */
  width?: number;
}

/** Read a file, gunzipping it when it starts with the gzip magic bytes 1f 8b. */
export function readMaybeGzip(path: string, op: string): Uint8Array {
  const raw = readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new Error(`${op}: ${path}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  return raw;
}

function u32(data: Uint8Array, offset: number): number {
  return ((data[offset]! << 24) | (data[offset + 1]! << 16) | (data[offset + 2]! << 8) | data[offset + 3]!) >>> 0;
}

function describeMagic(magic: number): string {
  if (magic === IDX_IMAGES_MAGIC) return " (an IDX image file)";
  if (magic === IDX_LABELS_MAGIC) return " (an IDX label file)";
  if (magic >>> 16 === 0x1f8b) return " (gzip data)";
  return "";
}

function checkHeader(data: Uint8Array, name: string, op: string, magic: number, headerBytes: number): void {
  if (data.length >= 4) {
    const got = u32(data, 0);
    if (got !== magic) throw new Error(`${op}: ${name}: expected magic ${magic} at byte 0, got ${got}${describeMagic(got)}`);
  }
  if (data.length < headerBytes) {
    throw new Error(
      `${op}: ${name}: file is ${data.length} bytes, shorter than the ${headerBytes}-byte IDX header (truncated at byte ${data.length})`,
    );
  }
}

/**
 * Parse IDX image data (already decompressed). `name` is used in error messages.
 * Checks the magic number, the image size (default 28 × 28), that the body holds
 * exactly count × height × width bytes.
 */
export function parseIdxImages(data: Uint8Array, name: string, options: IdxImageOptions = {}): IdxImages {
  const op = "readIdxImages";
  const wantH = options.height ?? 28;
  const wantW = options.width ?? 28;
  checkHeader(data, name, op, IDX_IMAGES_MAGIC, 16);
  const count = u32(data, 4);
  const height = u32(data, 8);
  const width = u32(data, 12);
  if (height !== wantH || width !== wantW) {
    throw new Error(
      `${op}: ${name}: expected ${wantH}×${wantW} images (rows at byte 8, columns at byte 12), got ${height}×${width}`,
    );
  }
  const size = height * width;
  const expected = 16 + count * size;
  if (data.length < expected) {
    const complete = Math.floor((data.length - 16) / size);
    throw new Error(
      `${op}: ${name}: truncated at byte ${data.length}: the header (byte 4) promises ${count} images of ${size} bytes, ` +
        `ending at byte ${expected}; only ${complete} complete images are present`,
    );
  }
  if (data.length > expected) {
    throw new Error(
      `${op}: ${name}: ${data.length - expected} unexpected bytes after the last of ${count} images, from byte ${expected}`,
    );
  }
  return { pixels: new Uint8Array(data.subarray(16, expected)), count, height, width };
}

/** Parse IDX label data (already decompressed); checks magic and length. */
export function parseIdxLabels(data: Uint8Array, name: string): Uint8Array {
  const op = "readIdxLabels";
  checkHeader(data, name, op, IDX_LABELS_MAGIC, 8);
  const count = u32(data, 4);
  const expected = 8 + count;
  if (data.length < expected) {
    throw new Error(
      `${op}: ${name}: truncated at byte ${data.length}: the header (byte 4) promises ${count} labels, ending at byte ${expected}`,
    );
  }
  if (data.length > expected) {
    throw new Error(
      `${op}: ${name}: ${data.length - expected} unexpected bytes after the last of ${count} labels, from byte ${expected}`,
    );
  }
  return new Uint8Array(data.subarray(8, expected));
}

/** The largest IDX file read (decompressed): far above any MNIST-format set, far below what would exhaust memory. */
export const MAX_IDX_BYTES = 1 << 30;
/** Compressed bytes decompressed to find the header: more than any gzip header with a file name needs. */
const HEAD_BYTES = 64 * 1024;

/**
 * Reads an IDX file, plain or gzip'd, checking its header before anything
 * else is read or decompressed: the magic number, then the size the header
 * promises (`headerBytes` + `bodyBytes(header)`), which must be at most
 * MAX_IDX_BYTES; decompression stops at that size, so a small gzip file that
 * expands to gigabytes (a gzip bomb) costs no more memory than the header's
 * promise. Returns the data, or the file's bytes as they are when they
 * differ from the promise (the parser names the difference).
 */
function readIdxData(path: string, op: string, magic: number, headerBytes: number, bodyBytes: (header: Uint8Array) => number): Uint8Array {
  const fd = openSync(path, "r");
  let size: number;
  let head: Buffer;
  try {
    size = fstatSync(fd).size;
    head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
  } finally {
    closeSync(fd);
  }
  const gzipped = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  let header: Uint8Array = head;
  if (gzipped) {
    try {
      // The start of the stream only: what the first compressed bytes give, without an error for the rest missing.
      header = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH, maxOutputLength: HEAD_BYTES * 1032 });
    } catch (e) {
      throw new Error(`${op}: ${path}: corrupt gzip data (${(e as Error).message})`);
    }
  }
  checkHeader(header.subarray(0, headerBytes), path, op, magic, headerBytes);
  const expected = headerBytes + bodyBytes(header);
  if (expected > MAX_IDX_BYTES) {
    throw new Error(`${op}: ${path}: the header (byte 4) promises ${expected} bytes, more than the ${MAX_IDX_BYTES} an IDX file may hold here`);
  }
  if (!gzipped) {
    if (size > expected) throw new Error(`${op}: ${path}: ${size - expected} unexpected bytes after the end the header promises, from byte ${expected}`);
    return readFileSync(path);
  }
  const raw = readFileSync(path);
  try {
    return gunzipSync(raw, { maxOutputLength: expected });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new Error(`${op}: ${path}: decompresses to more than the ${expected} bytes its header (byte 4) promises; stopped there`);
    }
    throw new Error(`${op}: ${path}: corrupt gzip data (${(e as Error).message})`);
  }
}

/**
 * Read an IDX image file (plain or gzip'd), its header checked first.
 * @returns pixels (count × height × width bytes, row-major) and the three sizes.
 */
export function readIdxImages(path: string, options: IdxImageOptions = {}): IdxImages {
  const data = readIdxData(path, "readIdxImages", IDX_IMAGES_MAGIC, 16, (h) => u32(h, 4) * u32(h, 8) * u32(h, 12));
  return parseIdxImages(data, path, options);
}

/** Read an IDX label file (plain or gzip'd), its header checked first: one byte per example. */
export function readIdxLabels(path: string): Uint8Array {
  return parseIdxLabels(readIdxData(path, "readIdxLabels", IDX_LABELS_MAGIC, 8, (h) => u32(h, 4)), path);
}

function header(magic: number, dims: readonly number[], bodyBytes: number): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + bodyBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  return out;
}

/**
 * Encode images as an IDX file (uncompressed). `pixels` holds count × height × width
 * bytes, row-major. The inverse of {@link parseIdxImages}.
 */
export function encodeIdxImages(pixels: Uint8Array, count: number, height = 28, width = 28): Uint8Array {
  if (pixels.length !== count * height * width) {
    throw new Error(
      `encodeIdxImages: pixels must hold count × height × width = ${count * height * width} bytes, got ${pixels.length}`,
    );
  }
  const out = header(IDX_IMAGES_MAGIC, [count, height, width], pixels.length);
  out.set(pixels, 16);
  return out;
}

/** Encode labels (each 0..255) as an IDX label file (uncompressed). */
export function encodeIdxLabels(labels: ArrayLike<number>): Uint8Array {
  const out = header(IDX_LABELS_MAGIC, [labels.length], labels.length);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l > 255) {
      throw new Error(`encodeIdxLabels: label ${i} must be an integer in 0..255, got ${l}`);
    }
    out[8 + i] = l;
  }
  return out;
}
