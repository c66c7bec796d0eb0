/**
 * Download a file over HTTP(S) into the cache, safely: redirects are followed,
 * the body streams to a temporary file next to the destination while its
 * sha256 is computed, and only a complete, verified file is renamed to the
 * destination. A failed or corrupt download leaves any existing file untouched.
 */
import { createHash } from "node:crypto";
import { renameSync, rmSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname } from "node:path";
import { temporaryPath } from "./cache.js";
import { ensureDirectory } from "./outputPath.js";
import { startProgress, type Progress } from "./progress.js";

/** Options of {@link downloadFile}. */
export interface DownloadOptions {
  /** Expected sha256 (hex); the download is rejected when it differs. */
  sha256?: string;
  /** Label of the progress bar; default: the file name of the URL. */
  label?: string;
  /** Force the progress bar on or off; default: on when stderr is a TTY. */
  progress?: boolean;
  /** Abort when no data arrives for this long (ms); default 60,000. */
  idleTimeoutMs?: number;
}

/** What {@link downloadFile} fetched. */
export interface DownloadResult {
  path: string;
  bytes: number;
  sha256: string;
}

/** The innermost message of an error chain (fetch wraps socket errors in `cause`). */
export function rootCause(e: unknown): string {
  let err = e;
  const parts: string[] = [];
  while (err instanceof Error) {
    parts.push(err.message);
    err = (err as Error & { cause?: unknown }).cause;
  }
  return parts.join(": ") || String(e);
}

/**
 * Fetch `url` into `dest`.
 * @throws on network errors, HTTP errors, a stalled transfer or a sha256 mismatch;
 *   `dest` is then unchanged and no temporary file is left behind.
 */
export async function downloadFile(url: string, dest: string, options: DownloadOptions = {}): Promise<DownloadResult> {
  const idle = options.idleTimeoutMs ?? 60_000;
  const controller = new AbortController();
  let timer = setTimeout(() => controller.abort(new Error(`no data for ${idle} ms`)), idle);
  const resetTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${idle} ms`)), idle);
  };
  ensureDirectory(dirname(dest), `download: ${dest}`);
  const tmp = temporaryPath(dest);
  const hash = createHash("sha256");
  let bytes = 0;
  let bar: Progress | undefined;
  try {
    let response: Response;
    try {
      response = await fetch(url, { redirect: "follow", signal: controller.signal });
    } catch (e) {
      throw new Error(`download: GET ${url} failed (${rootCause(e)})`, { cause: e });
    }
    if (!response.ok || response.body === null) {
      throw new Error(`download: GET ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    // With a Content-Encoding, fetch decodes the body and Content-Length counts the encoded bytes.
    const encoded = (response.headers.get("content-encoding") ?? "identity") !== "identity";
    const length = encoded ? NaN : Number(response.headers.get("content-length") ?? NaN);
    const label = options.label ?? (new URL(url).pathname.split("/").pop() || url);
    const shown = startProgress(`downloading ${label}`, Number.isFinite(length) ? length : 0, { enabled: options.progress, bytes: true });
    bar = shown;
    const file = await open(tmp, "w");
    try {
      for await (const chunk of response.body) {
        resetTimer();
        hash.update(chunk);
        bytes += chunk.length;
        await file.write(chunk);
        if (!Number.isFinite(length)) shown.setTotal(bytes);
        shown.update(bytes);
      }
    } catch (e) {
      throw new Error(`download: GET ${url} broke off after ${bytes} bytes (${rootCause(e)})`, { cause: e });
    } finally {
      await file.close();
    }
    if (Number.isFinite(length) && bytes !== length) {
      throw new Error(`download: GET ${url} delivered ${bytes} bytes, Content-Length promised ${length}`);
    }
    const sha256 = hash.digest("hex");
    if (options.sha256 !== undefined && sha256 !== options.sha256.toLowerCase()) {
      throw new Error(
        `download: ${url}: sha256 mismatch: expected ${options.sha256.toLowerCase()}, got ${sha256} (${bytes} bytes); ${dest} was left unchanged`,
      );
    }
    renameSync(tmp, dest);
    return { path: dest, bytes, sha256 };
  } finally {
    clearTimeout(timer);
    bar?.stop();
    rmSync(tmp, { force: true });
  }
}
