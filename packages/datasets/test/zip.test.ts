import fc from "fast-check";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildZip, extractZip, parseZip, readZip, readZipEntry, safeJoin } from "../src/index.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

describe("datasets zip", () => {
  it("reads a stored and a deflated entry", () => {
    const zip = buildZip([
      { name: "a.txt", data: "hello", deflate: false },
      { name: "dir/b.txt", data: "world ".repeat(100) },
    ]);
    const archive = parseZip(zip, "t.zip");
    expect(archive.entries.map((e) => [e.name, e.method, e.size])).toEqual([
      ["a.txt", 0, 5],
      ["dir/b.txt", 8, 600],
    ]);
    expect(archive.entries[1]!.compressedSize).toBeLessThan(600);
    expect(readZipEntry(archive, archive.entries[0]!).toString()).toBe("hello");
    expect(readZipEntry(archive, archive.entries[1]!).toString()).toBe("world ".repeat(100));
  });

  it("round-trips random entries", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uint8Array({ maxLength: 2000 }), fc.boolean()), { maxLength: 5 }), (files) => {
        const zip = buildZip(files.map(([data, deflate], i) => ({ name: `f${i}`, data, deflate })));
        const archive = parseZip(zip);
        expect(archive.entries.length).toBe(files.length);
        archive.entries.forEach((e, i) => expect(new Uint8Array(readZipEntry(archive, e))).toEqual(files[i]![0]));
      }),
      { numRuns: 30 },
    );
  });

  it("a flipped data byte fails the CRC-32 check", () => {
    const zip = buildZip([{ name: "a.txt", data: "hello", deflate: false }]);
    zip[30 + 5] ^= 1;
    const archive = parseZip(zip, "t.zip");
    expect(() => readZipEntry(archive, archive.entries[0]!)).toThrow(/readZip: t\.zip: entry "a\.txt" has CRC-32 .* the directory says .* at byte 35/);
  });

  it("a truncated or non-ZIP file is refused with an offset", () => {
    const zip = buildZip([{ name: "a.txt", data: "hello" }]);
    expect(() => parseZip(zip.subarray(0, zip.length - 10), "t.zip")).toThrow("readZip: t.zip: no end-of-central-directory record (not a ZIP archive, or truncated)");
    expect(() => parseZip(Buffer.from("short"), "t.zip")).toThrow("too short for a ZIP end record; truncated at byte 5");
  });

  it("safeJoin refuses absolute paths and ../ escapes", () => {
    const dir = tempDir();
    expect(safeJoin(dir, "a/b.txt")).toBe(join(dir, "a", "b.txt"));
    for (const bad of ["../evil", "a/../../evil", "/etc/passwd", "..\\evil", "C:/evil", "a/.."]) {
      expect(() => safeJoin(dir, bad), bad).toThrow(/extractZip: entry/);
    }
  });

  it("extractZip writes nothing when any entry would escape", () => {
    const parent = tempDir();
    const dest = join(parent, "out");
    const zip = buildZip([
      { name: "ok.txt", data: "fine" },
      { name: "../evil.txt", data: "owned" },
    ]);
    writeFileSync(join(parent, "z.zip"), zip);
    expect(() => extractZip(readZip(join(parent, "z.zip")), dest)).toThrow(`extractZip: entry "../evil.txt" escapes the destination directory ${dest}`);
    expect(existsSync(join(parent, "evil.txt"))).toBe(false);
    expect(existsSync(join(dest, "ok.txt"))).toBe(false);
    // With a selection that skips it, the safe entry is extracted alone.
    expect(extractZip(readZip(join(parent, "z.zip")), dest, (n) => (n === "ok.txt" ? n : null))).toEqual([join(dest, "ok.txt")]);
    expect(readFileSync(join(dest, "ok.txt"), "utf8")).toBe("fine");
    expect(readdirSync(parent).sort()).toEqual(["out", "z.zip"]);
  });
});
