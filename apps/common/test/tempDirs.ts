/**
 * Test fixtures the apps' test files share: temporary directories removed
 * after the file's tests, and a quiet stdout (RunLog echoes every log line).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, vi } from "vitest";

/**
 * A function that makes a fresh directory under the OS's temp directory,
 * named `prefix…`; every one is removed after the file's tests (made
 * writable first, for tests that take the permission away).
 */
export function tempDirs(prefix: string): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) {
      if (fs.existsSync(d)) fs.chmodSync(d, 0o700);
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
  return () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
}

/** Swallows what the code under test writes to stdout, restoring every mock after each test. */
export function quietStdout(): void {
  beforeEach(() => {
    vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
}
