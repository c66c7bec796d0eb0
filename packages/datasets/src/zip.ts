/**
 * A small ZIP reader: the central directory, stored (method 0) and deflated
 * (method 8) entries, CRC-32 checked. No ZIP64, encryption or multi-disk
 * archives — each is refused with a clear error.
 *
 * Layout (all integers little-endian): local file headers with their data,
 * then the central directory (one 46-byte record + name per entry), then the
 * end-of-central-directory record (22 bytes + comment) that locates it.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { crc32, deflateRawSync, inflateRawSync } from "node:zlib";
import { writeFileAtomic } from "./cache.js";

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** One entry of the central directory. */
export interface ZipEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Byte offset of the entry's local file header. */
  localOffset: number;
  /** Byte offset of the entry's central directory record (for error messages). */
  centralOffset: number;
  flags: number;
}

/** A parsed archive: its bytes and its entries. */
export interface ZipArchive {
  name: string;
  data: Buffer;
  entries: ZipEntry[];
}

function fail(name: string, offset: number, message: string): never {
  throw new Error(`readZip: ${name}: ${message} at byte ${offset}`);
}

/** Parse the central directory of a ZIP archive held in memory. */
export function parseZip(data: Buffer, name = "archive"): ZipArchive {
  const minEocd = data.length - 22;
  if (minEocd < 0) fail(name, data.length, `file is ${data.length} bytes, too short for a ZIP end record; truncated`);
  let eocd = -1;
  for (let p = minEocd; p >= Math.max(0, minEocd - 0xffff); p--) {
    if (data.readUInt32LE(p) === EOCD_SIGNATURE) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) fail(name, data.length, "no end-of-central-directory record (not a ZIP archive, or truncated)");
  const count = data.readUInt16LE(eocd + 10);
  const dirSize = data.readUInt32LE(eocd + 12);
  const dirOffset = data.readUInt32LE(eocd + 16);
  if (data.readUInt16LE(eocd + 4) !== 0 || data.readUInt16LE(eocd + 6) !== 0) fail(name, eocd, "multi-disk archives are not supported");
  if (count === 0xffff || dirOffset === 0xffffffff) fail(name, eocd, "ZIP64 archives are not supported");
  if (dirOffset + dirSize > eocd) fail(name, eocd + 16, `central directory [${dirOffset}, ${dirOffset + dirSize}) overlaps the end record`);
  const entries: ZipEntry[] = [];
  let p = dirOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || data.readUInt32LE(p) !== CENTRAL_SIGNATURE) fail(name, p, `expected central directory record ${i + 1} of ${count}`);
    const nameLength = data.readUInt16LE(p + 28);
    const extraLength = data.readUInt16LE(p + 30);
    const commentLength = data.readUInt16LE(p + 32);
    const entry: ZipEntry = {
      name: data.toString("utf8", p + 46, p + 46 + nameLength),
      flags: data.readUInt16LE(p + 8),
      method: data.readUInt16LE(p + 10),
      crc32: data.readUInt32LE(p + 16),
      compressedSize: data.readUInt32LE(p + 20),
      size: data.readUInt32LE(p + 24),
      localOffset: data.readUInt32LE(p + 42),
      centralOffset: p,
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.localOffset === 0xffffffff) {
      fail(name, p, `entry "${entry.name}" uses ZIP64 sizes, which are not supported`);
    }
    entries.push(entry);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return { name, data, entries };
}

/** Read and parse a ZIP archive file. */
export function readZip(path: string): ZipArchive {
  return parseZip(readFileSync(path), path);
}

/** The uncompressed bytes of one entry, checked against its size and CRC-32. */
export function readZipEntry(archive: ZipArchive, entry: ZipEntry): Buffer {
  const { data, name } = archive;
  const at = entry.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== LOCAL_SIGNATURE) fail(name, at, `expected the local header of "${entry.name}"`);
  if (entry.flags & 1) fail(name, entry.centralOffset, `entry "${entry.name}" is encrypted`);
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > data.length) fail(name, data.length, `entry "${entry.name}" (data from byte ${start}, ${entry.compressedSize} bytes) is truncated`);
  const raw = data.subarray(start, end);
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(raw);
  else if (entry.method === 8) {
    try {
      out = inflateRawSync(raw);
    } catch (e) {
      fail(name, start, `entry "${entry.name}": corrupt deflate data (${(e as Error).message})`);
    }
  } else fail(name, entry.centralOffset, `entry "${entry.name}" uses compression method ${entry.method}; only 0 (stored) and 8 (deflate) are supported`);
  if (out.length !== entry.size) fail(name, start, `entry "${entry.name}" inflates to ${out.length} bytes, the directory says ${entry.size}`);
  const crc = crc32(out) >>> 0;
  if (crc !== entry.crc32) {
    fail(name, start, `entry "${entry.name}" has CRC-32 ${crc.toString(16)}, the directory says ${entry.crc32.toString(16)}`);
  }
  return out;
}

/**
 * `dir` joined with the relative archive path `entryName`, or an error when the
 * name is absolute or climbs out of `dir` with `..` (a "zip slip").
 */
export function safeJoin(dir: string, entryName: string): string {
  const normalized = entryName.replace(/\\/g, "/");
  if (normalized === "" || normalized.startsWith("/") || /^[A-Za-z]:/.test(normalized) || isAbsolute(normalized)) {
    throw new Error(`extractZip: entry "${entryName}" is an absolute path; refusing to write it`);
  }
  const base = resolve(dir);
  const target = resolve(base, normalized);
  const rel = relative(base, target);
  if (rel === "" || rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel) || normalized.split("/").includes("..")) {
    throw new Error(`extractZip: entry "${entryName}" escapes the destination directory ${base}; refusing to write it`);
  }
  return target;
}

/**
 * Extract entries of `archive` into `dir`. `select(name)` returns the relative
 * output path for an entry, or null to skip it; by default every file entry is
 * extracted under its own name. Every output path is checked by
 * {@link safeJoin} before anything is written, and each file is written
 * atomically. Returns the paths written.
 */
export function extractZip(
  archive: ZipArchive,
  dir: string,
  select: (name: string) => string | null = (n) => (n.endsWith("/") ? null : n),
): string[] {
  const plan: { entry: ZipEntry; target: string }[] = [];
  for (const entry of archive.entries) {
    const out = select(entry.name);
    if (out !== null) plan.push({ entry, target: safeJoin(dir, out) });
  }
  for (const { entry, target } of plan) writeFileAtomic(target, readZipEntry(archive, entry));
  return plan.map((p) => p.target);
}

/**
 * Build a ZIP archive in memory from `files` (deflated unless `deflate: false`);
 * names are written as given, so tests can also build hostile archives.
 */
export function buildZip(files: readonly { name: string; data: Uint8Array | string; deflate?: boolean }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.data === "string" ? Buffer.from(file.data, "utf8") : Buffer.from(file.data);
    const stored = file.deflate === false ? data : deflateRawSync(data);
    const method = file.deflate === false ? 0 : 8;
    const name = Buffer.from(file.name, "utf8");
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_SIGNATURE, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL_SIGNATURE, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += 30 + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD_SIGNATURE, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
