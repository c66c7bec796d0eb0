import { spawnSync } from "node:child_process";
import { linkSync, mkdirSync, readdirSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OutputError, checkDistinct, ensureDirectory, prepareOutput, sameFile, writeFileAtomic } from "../src/index.js";
import { removeTempDirs, tempDir } from "./helpers.js";

afterAll(removeTempDirs);

const hasProc = statSync("/proc/self", { throwIfNoEntry: false }) !== undefined;

/** Runs `call` (a statement using `m`, the built package) in a child with a timeout, so a hang fails instead of stalling; returns what it printed. */
function inChild(call: string): { status: number | null; stdout: string } {
  const url = new URL("../dist/index.js", import.meta.url).href;
  const script = `import("${url}").then((m) => { try { ${call}; console.log("done"); } catch (e) { console.log(e.message); } })`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
  return { status: r.status, stdout: r.stdout.trim() };
}

describe("output paths", () => {
  it("ensureDirectory makes every missing level and names what is in the way", () => {
    const dir = tempDir();
    ensureDirectory(join(dir, "a", "b", "c"), "--log x");
    expect(statSync(join(dir, "a", "b", "c")).isDirectory()).toBe(true);
    ensureDirectory(join(dir, "a", "b", "c"), "--log x");
    writeFileSync(join(dir, "file"), "");
    expect(() => ensureDirectory(join(dir, "file", "d"), "--log x")).toThrow(new OutputError(`--log x: ${join(dir, "file")} is not a directory`));
  });

  it.runIf(hasProc)("ensureDirectory, prepareOutput and writeFileAtomic under /proc fail at once (in a child with a timeout: a hang fails)", () => {
    expect(inChild(`m.ensureDirectory("/proc/x/y", "--log /proc/x/y/run.txt")`)).toEqual({ status: 0, stdout: "--log /proc/x/y/run.txt: cannot create directory /proc/x (ENOENT)" });
    expect(inChild(`m.writeFileAtomic("/proc/x/model.onnx", "bytes")`)).toEqual({ status: 0, stdout: "/proc/x/model.onnx: cannot create directory /proc/x (ENOENT)" });
    expect(inChild(`m.prepareOutput("--save", "/proc/version", { replace: true })`).stdout).toBe(
      "--save /proc/version cannot be written: no new file can be made in /proc (ENOENT)",
    );
  });

  it("prepareOutput returns the absolute path to write, through symlinks, and leaves nothing behind", () => {
    const dir = realpathSync(tempDir());
    const target = join(dir, "real.txt");
    writeFileSync(target, "x");
    symlinkSync(target, join(dir, "link.txt"));
    expect(prepareOutput("--log", join(dir, "link.txt"))).toBe(target);
    expect(prepareOutput("--save", join(dir, "new", "ckpt.json"), { replace: true })).toBe(join(dir, "new", "ckpt.json"));
    expect(readdirSync(dir).sort()).toEqual(["link.txt", "new", "real.txt"]);
    expect(readdirSync(join(dir, "new"))).toEqual([]);
  });

  it("a target that is not a regular file is refused: a device, a directory", () => {
    expect(() => prepareOutput("--save", "/dev/null", { replace: true })).toThrow("--save /dev/null is not a regular file (it is a character device)");
    const dir = tempDir();
    mkdirSync(join(dir, "sub"));
    expect(() => prepareOutput("--log", join(dir, "sub"))).toThrow(`--log ${join(dir, "sub")} is not a regular file (it is a directory)`);
  });

  it("writeFileAtomic never replaces a device", () => {
    expect(() => writeFileAtomic("/dev/null", "x")).toThrow("/dev/null is not a regular file (it is a character device)");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("sameFile and checkDistinct compare resolved paths and inodes", () => {
    const dir = tempDir();
    const a = join(dir, "a");
    writeFileSync(a, "");
    linkSync(a, join(dir, "b"));
    expect(sameFile(a, join(dir, "x", "..", "a"))).toBe(true);
    expect(sameFile(a, join(dir, "b"))).toBe(true);
    expect(sameFile(a, join(dir, "c"))).toBe(false);
    expect(() => checkDistinct([{ option: "--log", file: a }, { option: "--metrics", file: join(dir, "b") }], [])).toThrow(
      `--log ${a} and --metrics ${join(dir, "b")} are the same file; give each its own`,
    );
    expect(() => checkDistinct([{ option: "--save", file: a }], [{ option: "--resume", file: a }], [["--save", "--resume"]])).not.toThrow();
  });
});
