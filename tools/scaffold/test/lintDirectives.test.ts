/**
 * The lint directives the scaffold adds around stubs, on small sources
 * linted with this repository's own ESLint configuration (as if they were
 * files of a package here).
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addLintDirectives, lintErrors, parseMarkers, studentVersion, type StubbedFile } from "../src/index.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const begin = (id: string, indent = "  "): string => `${indent}// BEGIN ${"ASSIGN"}${id}`;
const end = (id: string, indent = "  "): string => `${indent}// END ${"ASSIGN"}${id}`;
const source = (...lines: string[]): string => lines.join("\n");
const FILE = "packages/example/src/example.ts";

/** The student file of `text` for `module`, as the scaffold builds it before linting. */
function stubbed(text: string, module: number): StubbedFile {
  return { file: FILE, ...studentVersion(text, parseMarkers(FILE, text).blocks, module) };
}

async function withDirectives(text: string, module: number): Promise<string> {
  const { texts, problems } = await addLintDirectives(repo, [stubbed(text, module)]);
  expect(problems).toEqual([]);
  const result = texts.get(FILE)!;
  expect(await lintErrors(repo, new Map([[FILE, result]]))).toEqual([]);
  return result;
}

describe("scaffold lint directives", () => {
  it("a stubbed function's parameters get one eslint-disable-next-line naming the task", async () => {
    const text = source("export function mul(x: number, y: number): number {", begin("0.1"), "  return x * y;", end("0.1"), "}", "");
    expect(await lintErrors(repo, new Map([[FILE, stubbed(text, 0).text]]))).toHaveLength(2);
    expect(await withDirectives(text, 0)).toBe(
      source(
        "// eslint-disable-next-line @typescript-eslint/no-unused-vars -- until Task 0.1 is written",
        "export function mul(x: number, y: number): number {",
        "  // TODO: Implement for Task 0.1.",
        '  throw new Error("Need to implement for Task 0.1");',
        "}",
        "",
      ),
    );
  });

  it("a run of lines before a stub (a kernel's arguments, its locals) gets one disable/enable pair ending above the stub", async () => {
    const text = source(
      "export function kernel(",
      "  out: Float64Array,",
      "  start: number,",
      "  end: number,",
      "): void {",
      "  const n = out.length;",
      "  let total = 0;",
      begin("3.2"),
      "  for (let i = start; i < end && i < n; i++) total += i;",
      "  out[0] = total;",
      end("3.2"),
      "}",
      "",
    );
    const result = await withDirectives(text, 3);
    expect(result.split("\n").slice(2, 11)).toEqual([
      "  /* eslint-disable @typescript-eslint/no-unused-vars, prefer-const -- until Task 3.2 is written */",
      "  start: number,",
      "  end: number,",
      "): void {",
      "  const n = out.length;",
      "  let total = 0;",
      "  /* eslint-enable @typescript-eslint/no-unused-vars, prefer-const */",
      "  // TODO: Implement for Task 3.2.",
      '  throw new Error("Need to implement for Task 3.2");',
    ]);
  });

  it("an import only a later stub uses names that stub's task; kept solutions need nothing", async () => {
    const text = source(
      'import { join } from "node:path";',
      "",
      "export function first(): number {",
      begin("2.1"),
      "  return 1;",
      end("2.1"),
      "}",
      "",
      "export function second(): string {",
      begin("2.2"),
      '  return join("a", "b");',
      end("2.2"),
      "}",
      "",
    );
    const result = await withDirectives(text, 2);
    expect(result.split("\n")[0]).toBe("// eslint-disable-next-line @typescript-eslint/no-unused-vars -- until Task 2.2 is written");
    expect(await withDirectives(text, 3)).not.toContain("eslint");
  });

  it("reports a stubbed file that does not parse instead of hiding it", async () => {
    const broken: StubbedFile = { file: FILE, text: "export const x = ;\n", stubs: [{ task: "0.1", line: 1, solution: "" }] };
    const { problems } = await addLintDirectives(repo, [broken]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: FILE, line: 1 });
  });
});
