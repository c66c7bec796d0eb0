/**
 * The marker parser, the stub transformation and the refusals of the
 * scaffold, on small hand-written sources. Marker lines are built from
 * strings here, so this file holds no markers itself.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  checkOutDir,
  COURSE_TASKS,
  formatTaskList,
  gitAvailable,
  parseMarkers,
  scanSource,
  STUDENT_COPY_FILE,
  studentText,
  studentVersion,
  testTag,
  writeStudentCopy,
} from "../src/index.js";

const begin = (id: string, indent = "  "): string => `${indent}// BEGIN ${"ASSIGN"}${id}`;
const end = (id: string, indent = "  "): string => `${indent}// END ${"ASSIGN"}${id}`;
const source = (...lines: string[]): string => lines.join("\n");

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "scaffold-unit-"));
  temporary.push(dir);
  return dir;
}

describe("scaffold markers", () => {
  it("the course has tasks 0.1–0.5, 1.1–1.5, 2.1–2.5, 3.1–3.5, 4.1–4.5 and the optional 4.4b", () => {
    expect(COURSE_TASKS.join(" ")).toBe(
      "0.1 0.2 0.3 0.4 0.5 1.1 1.2 1.3 1.4 1.5 2.1 2.2 2.3 2.4 2.5 3.1 3.2 3.3 3.4 3.5 4.1 4.2 4.3 4.4 4.4b 4.5",
    );
  });

  const add = source(
    "export function add(a: number, b: number): number {",
    begin("0.1"),
    "  return a + b;",
    end("0.1"),
    "}",
    "export function mul(a: number, b: number): number {",
    begin("1.2", "    "),
    "    const p = a * b;",
    "",
    "    return p;",
    end("1.2", "    "),
    "}",
  );

  it("finds each block with its task, lines, indentation and non-blank solution lines", () => {
    const { blocks, problems } = parseMarkers("ops.ts", add);
    expect(problems).toEqual([]);
    expect(blocks).toEqual([
      { file: "ops.ts", task: "0.1", beginLine: 2, endLine: 4, indent: "  ", solutionLines: 1 },
      { file: "ops.ts", task: "1.2", beginLine: 7, endLine: 11, indent: "    ", solutionLines: 2 },
    ]);
  });

  it("module 1: earlier modules keep their code without markers; this module's block becomes a stub", () => {
    const { blocks } = parseMarkers("ops.ts", add);
    expect(studentText(add, blocks, 1)).toBe(
      source(
        "export function add(a: number, b: number): number {",
        "  return a + b;",
        "}",
        "export function mul(a: number, b: number): number {",
        "    // TODO: Implement for Task 1.2.",
        '    throw new Error("Need to implement for Task 1.2");',
        "}",
      ),
    );
  });

  it("module 0: later modules' blocks are stubbed too", () => {
    const { blocks } = parseMarkers("ops.ts", add);
    const text = studentText(add, blocks, 0);
    expect(text).toContain('  throw new Error("Need to implement for Task 0.1");');
    expect(text).toContain('    throw new Error("Need to implement for Task 1.2");');
    expect(text).not.toContain("a + b");
    expect(text).not.toContain("ASSIGN");
  });

  it("the optional Task 4.4b has its own blocks, tag task4_4b and stub message, and belongs to Module 4", () => {
    const text = source("export function kernel(): string {", begin("4.4b"), "  return `wgsl`;", end("4.4b"), "}");
    const { blocks, problems } = parseMarkers("gpu.ts", text);
    expect(problems).toEqual([]);
    expect(blocks.map((b) => b.task)).toEqual(["4.4b"]);
    expect(testTag("4.4b")).toBe("task4_4b");
    expect(studentText(text, blocks, 4)).toContain('throw new Error("Need to implement for Task 4.4b");');
    expect(studentText(text, blocks, 3)).toContain('throw new Error("Need to implement for Task 4.4b");');
    expect(studentText(text, blocks, 4)).not.toContain("wgsl");
  });

  it("says where each stub is and which solution lines it replaced", () => {
    const { blocks } = parseMarkers("ops.ts", add);
    expect(studentVersion(add, blocks, 1).stubs).toEqual([{ task: "1.2", line: 5, solution: "    const p = a * b;\n\n    return p;" }]);
    expect(studentVersion(add, blocks, 0).stubs.map((s) => [s.task, s.line])).toEqual([
      ["0.1", 2],
      ["1.2", 6],
    ]);
  });

  it("keeps CRLF line endings", () => {
    const crlf = add.replaceAll("\n", "\r\n");
    const { blocks } = parseMarkers("ops.ts", crlf);
    expect(studentText(crlf, blocks, 0).split("\n").every((l, i, all) => i === all.length - 1 || l.endsWith("\r"))).toBe(true);
  });

  it.each([
    ["an END without BEGIN", source("x;", end("0.1")), 2, "END ASSIGN0.1 has no BEGIN ASSIGN0.1 before it"],
    ["a BEGIN without END", source(begin("0.1"), "x;"), 1, "BEGIN ASSIGN0.1 has no END ASSIGN0.1 after it"],
    ["a nested BEGIN", source(begin("0.1"), begin("0.2"), end("0.2"), end("0.1")), 2, "BEGIN ASSIGN0.2 is nested inside the block of ASSIGN0.1 opened at line 1"],
    ["an END of another task", source(begin("0.1"), "x;", end("0.2")), 3, "END ASSIGN0.2 closes the block of ASSIGN0.1 opened at line 1"],
    ["a task outside the course", source(begin("3.6"), "x;", end("3.6")), 1, 'BEGIN ASSIGN3.6: "3.6" is not a course task'],
  ])("refuses %s, naming the line", (_, text, line, message) => {
    const { problems } = parseMarkers("bad.ts", text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.line).toBe(line);
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.file).toBe("bad.ts");
  });

  it("ignores text that only mentions markers", () => {
    const text = source(' * solution code sits between "// BEGIN ASSIGN4.1" lines', "const s = '// END ASSIGN4.1';");
    expect(parseMarkers("doc.ts", text)).toEqual({ blocks: [], problems: [] });
  });
});

describe.skipIf(!gitAvailable())("scaffold source checks", () => {
  /** A tiny repository: one marked package file, one test, one ignored file. */
  function tinyRepo(file: string): string {
    const root = tempDir();
    mkdirSync(join(root, "packages", "p", "src"), { recursive: true });
    writeFileSync(join(root, ".gitignore"), "ignored.txt\nnode_modules/\n");
    writeFileSync(join(root, "ignored.txt"), "not copied\n");
    mkdirSync(join(root, "packages", "p", "node_modules"));
    writeFileSync(join(root, "packages", "p", "node_modules", "x.js"), "not copied\n");
    writeFileSync(join(root, "packages", "p", "src", "ops.ts"), file);
    execFileSync("git", ["init", "-q"], { cwd: root });
    return root;
  }

  it("copies untracked files that are not ignored, and never node_modules; names the copy in .minitorch-student.json", async () => {
    const root = tinyRepo(source("export const f = (): number => {", begin("2.1"), "  return 1;", end("2.1"), "};"));
    const scan = scanSource(root);
    expect(scan.files).toEqual([".gitignore", "packages/p/src/ops.ts"]);
    const out = join(tempDir(), "student");
    const summary = await writeStudentCopy(scan, out, 2);
    expect(summary.stubbed.get("2.1")).toBe(1);
    expect(readFileSync(join(out, "packages/p/src/ops.ts"), "utf8")).toContain('throw new Error("Need to implement for Task 2.1");');
    expect(formatTaskList(scan)).toContain("packages/p/src/ops.ts");
    expect(JSON.parse(readFileSync(join(out, STUDENT_COPY_FILE), "utf8"))).toEqual({ module: 2, stubbedTasks: ["2.1"], keptTasks: [] });
  });

  it("refuses, naming file and line, and writes nothing when a marker is unbalanced", async () => {
    const root = tinyRepo(source("x;", begin("4.2"), "y;"));
    const out = join(tempDir(), "student");
    await expect(writeStudentCopy(scanSource(root), out, 4)).rejects.toThrow(/packages\/p\/src\/ops\.ts:2: BEGIN ASSIGN4\.2 has no END/);
    expect(() => readFileSync(join(out, "packages/p/src/ops.ts"))).toThrow();
  });

  it("refuses an --out inside the source tree, one containing it, and a non-empty one without --force", () => {
    const root = tinyRepo("x;\n");
    expect(() => checkOutDir(root, join(root, "student"), false)).toThrow(/inside the source tree/);
    expect(() => checkOutDir(root, root, false)).toThrow(/inside the source tree/);
    expect(() => checkOutDir(root, join(root, ".."), true)).toThrow(/contains the source tree/);
    const full = tempDir();
    writeFileSync(join(full, "something"), "");
    expect(() => checkOutDir(root, full, false)).toThrow(/not empty; use --force/);
    expect(checkOutDir(root, full, true)).toBe(full);
  });
});
