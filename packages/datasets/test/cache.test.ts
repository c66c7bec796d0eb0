import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCacheDir, resolveCacheDir, sha256File, writeFileAtomic } from "../src/index.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

describe("datasets cache", () => {
  it("the cache directory comes from MINITORCH_DATA_DIR, else ~/.cache/minitorch-ts", () => {
    const saved = process.env["MINITORCH_DATA_DIR"];
    try {
      process.env["MINITORCH_DATA_DIR"] = "/some/where";
      expect(defaultCacheDir()).toBe("/some/where");
      process.env["MINITORCH_DATA_DIR"] = "";
      expect(defaultCacheDir()).toMatch(/\.cache\/minitorch-ts$/);
    } finally {
      if (saved === undefined) delete process.env["MINITORCH_DATA_DIR"];
      else process.env["MINITORCH_DATA_DIR"] = saved;
    }
  });

  it("writeFileAtomic replaces a file whole", () => {
    const dir = tempDir();
    writeFileAtomic(join(dir, "a", "f"), "one");
    writeFileAtomic(join(dir, "a", "f"), "two");
    expect(readFileSync(join(dir, "a", "f"), "utf8")).toBe("two");
    expect(readdirSync(join(dir, "a"))).toEqual(["f"]);
  });

  it("an explicit cache directory wins over the environment", () => {
    expect(resolveCacheDir("/explicit/dir")).toBe("/explicit/dir");
  });

  it("sha256File hashes the file's bytes", async () => {
    const path = join(tempDir(), "f");
    writeFileSync(path, "abc");
    expect(await sha256File(path)).toBe(createHash("sha256").update("abc").digest("hex"));
  });
});
