/**
 * The data readers under issue 26's probe: sizes are checked before
 * anything is allocated, so a small crafted file cannot make a reader use
 * gigabytes. Each test names its row.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import zlib from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { encodeIdxImages, readIdxImages } from "../src/index.js";
import { removeTempDirs, tempDir } from "./helpers.js";
import { sst2Copy } from "./sst2Copy.js";

afterAll(removeTempDirs);

const dist = pathToFileURL(path.resolve(import.meta.dirname, "../dist/index.js")).href;

/**
 * Writes a gzip file of `header` followed by `zeros` zero bytes without
 * ever holding the expanded data: concatenated gzip members (one per 16 MB
 * of zeros), which gunzip reads as one stream.
 */
function gzipBomb(file: string, header: Uint8Array, zeros: number): void {
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, zlib.gzipSync(header));
  const chunk = zlib.gzipSync(Buffer.alloc(16 << 20), { level: 9 });
  for (let written = 0; written < zeros; written += 16 << 20) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
}

describe("reliability (issue 26): the data readers", () => {
  describe("row 15: a gzip bomb as train-images-idx3-ubyte.gz", () => {
    it("a header promising one image, then 512 MB of zeros: decompression stops at the promised size", () => {
      const file = path.join(tempDir(), "train-images-idx3-ubyte.gz");
      gzipBomb(file, encodeIdxImages(new Uint8Array(784), 1), 512 << 20);
      expect(fs.statSync(file).size).toBeLessThan(1 << 20);
      expect(() => readIdxImages(file)).toThrow(`readIdxImages: ${file}: decompresses to more than the 800 bytes its header (byte 4) promises; stopped there`);
    });

    it("the same bomb read in a child process: its peak memory stays far below the expanded size", () => {
      const file = path.join(tempDir(), "train-images-idx3-ubyte.gz");
      gzipBomb(file, encodeIdxImages(new Uint8Array(784), 1), 512 << 20);
      const script = `import(${JSON.stringify(dist)}).then((m) => { try { m.readIdxImages(${JSON.stringify(file)}); } catch (e) { console.log(e.message); } console.log(process.resourceUsage().maxRSS); })`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 60_000 });
      const [message, maxRssKb] = r.stdout.trim().split("\n");
      expect(message).toContain("decompresses to more than the 800 bytes");
      expect(Number(maxRssKb) / 1024).toBeLessThan(200);
    });

    it("a header promising more than an IDX file may hold is refused before decompressing the body", () => {
      const file = path.join(tempDir(), "train-images-idx3-ubyte.gz");
      const header = encodeIdxImages(new Uint8Array(0), 0);
      new DataView(header.buffer, header.byteOffset).setUint32(4, 4_000_000);
      gzipBomb(file, header, 16 << 20);
      expect(() => readIdxImages(file)).toThrow(`readIdxImages: ${file}: the header (byte 4) promises 3136000016 bytes, more than the 1073741824 an IDX file may hold here`);
    });
  });
});

describe("reliability (issue 26): SST-2 under CI", () => {
  describe("row 20: under CI a missing SST-2 copy fails the run instead of skipping", () => {
    it("sst2Copy: skipped away from CI, run and failing under CI, used when present", () => {
      expect(sst2Copy({ MINITORCH_SST2_DIR: "" }).skip).toBe(true);
      const ci = sst2Copy({ MINITORCH_SST2_DIR: "", CI: "true" });
      expect(ci.skip).toBe(false);
      expect(() => ci.dir()).toThrow("no SST-2 copy: MINITORCH_SST2_DIR is empty");
      expect(sst2Copy({ CI: "false" }).skip).toBe(true);
      expect(sst2Copy({ MINITORCH_SST2_DIR: "/data/sst2", CI: "1" }).dir()).toBe("/data/sst2");
    });

    it("the SST-2 test file run with CI=1 and no copy fails (a child vitest run)", () => {
      const root = path.resolve(import.meta.dirname, "../../..");
      const r = spawnSync(process.execPath, [path.join(root, "node_modules/vitest/vitest.mjs"), "run", "packages/datasets/test/sst2.test.ts", "--reporter=dot", "--outputFile.json=/dev/null"], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, CI: "1", MINITORCH_SST2_DIR: path.join(tempDir(), "no-such-copy") },
        timeout: 120_000,
      });
      expect(r.status, r.stdout + r.stderr).toBe(1);
      expect(r.stdout + r.stderr).toContain("no SST-2 copy: MINITORCH_SST2_DIR is empty");
    });
  });
});
