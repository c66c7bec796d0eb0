/**
 * The cache directory and atomic file writes.
 *
 * Downloads and derived files live under `$MINITORCH_DATA_DIR`, by default
 * `~/.cache/minitorch-ts`. Every file is written to a unique temporary name in
 * the same directory and renamed into place only when complete, so an
 * interrupted run never leaves a partial file under the final name and never
 * replaces a good one.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import { envPath } from "@minitorch/autodiff";
import { prepareOutput } from "./outputPath.js";

/** `$MINITORCH_DATA_DIR` when set and non-empty, else `~/.cache/minitorch-ts`. */
export function defaultCacheDir(): string {
  return resolve(envPath("MINITORCH_DATA_DIR") ?? resolve(homedir(), ".cache", "minitorch-ts"));
}

/** The explicit cache directory if given, else {@link defaultCacheDir}. */
export function resolveCacheDir(cacheDir?: string): string {
  return cacheDir !== undefined ? resolve(cacheDir) : defaultCacheDir();
}

/** A fresh temporary path next to `path` (same directory, so rename is atomic). */
export function temporaryPath(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString("hex")}.part`;
}

/**
 * Write `data` to `path` through a temporary file and a rename; creates the
 * directory. The target must be a regular file or absent (a device is never
 * replaced), checked by `prepareOutput`.
 */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  prepareOutput("", path, { replace: true });
  const tmp = temporaryPath(path);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** The sha256 of a file, as lowercase hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The sha256 of a string or bytes, as lowercase hex. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
