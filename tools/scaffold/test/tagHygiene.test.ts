/**
 * Tag hygiene, for every task of COURSE_TASKS: in a student copy where that
 * task alone (in its module) is a stub, `pnpm test:task <tag>` runs only
 * tests of that tag, and every one of them fails. A test that passes there
 * checks given code, not the student's (it belongs outside the tag); a test
 * of another tag that runs means the tag leaks. GPU tasks need an adapter:
 * without one (outside CI) their tests skip, and the check says so.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { COURSE_TASKS, STUDENT_COPY_FILE, gitAvailable, moduleOf, scanSource, testTag, writeStudentCopy, type TaskId } from "../src/index.js";
import { copyEnv, fillInSolutions, linkInstalledDependencies, run } from "./studentCopy.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const wasm = join(repo, "packages", "fast-ops", "dist", "simd");

function skipReason(): string | null {
  if (existsSync(join(repo, STUDENT_COPY_FILE))) return "this is a student copy";
  if (!gitAvailable()) return "git is not available, and the scaffold lists the repository's files with git ls-files";
  if (!existsSync(wasm)) return "fast-ops is not built (its WebAssembly kernels are copied into each student copy)";
  try {
    return scanSource(repo).blocks.length === 0 ? "the source holds no solution blocks" : null;
  } catch (e) {
    return `the source is not a git checkout (${e instanceof Error ? e.message : String(e)})`;
  }
}

const reason = skipReason();
if (reason !== null && !existsSync(join(repo, STUDENT_COPY_FILE))) console.log(`tag hygiene: not checked: ${reason}`);

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

interface JsonTest {
  readonly fullName: string;
  readonly status: string;
  readonly failureMessages: readonly string[];
}

/** The tests of a vitest JSON report. */
function testsOf(path: string): JsonTest[] {
  const report = JSON.parse(readFileSync(path, "utf8")) as { testResults: { assertionResults: JsonTest[] }[] };
  return report.testResults.flatMap((f) => f.assertionResults);
}

/**
 * Tags known to hold tests that pass on their stub, with the reason. The
 * check then asserts that they still do, so that fixing one fails here and
 * the entry goes.
 */
const KNOWN_LEAKS: ReadonlyMap<TaskId, string> = new Map([]);

/** Tasks whose tests need a WebGPU adapter (they skip without one). */
const GPU_TASKS: readonly TaskId[] = ["3.3", "3.4", "4.4b"];

describe.skipIf(reason !== null)("tag hygiene", () => {
  it.each(COURSE_TASKS.map((task) => [testTag(task), task] as const))(
    "%s selects only its own tests, and each fails with the task's stub in place",
    async (tag, task) => {
      const source = scanSource(repo);
      const module = moduleOf(task);
      const tmp = mkdtempSync(join(tmpdir(), `minitorch-tags-${tag}-`));
      temporary.push(tmp);
      const copy = join(tmp, "repo");
      await writeStudentCopy(source, copy, module);
      linkInstalledDependencies(repo, copy);
      // The module's other tasks done, so that only this task's stub can make its tests fail.
      fillInSolutions(source, copy, COURSE_TASKS.filter((t) => moduleOf(t) === module && t !== task));
      cpSync(wasm, join(copy, "packages", "fast-ops", "dist", "simd"), { recursive: true });

      const json = join(tmp, "report.json");
      const result = await run(process.execPath, ["scripts/test-task.mjs", tag, "--reporter=json", `--outputFile=${json}`], copy, copyEnv(copy), 540_000);
      expect(existsSync(json), `test:task ${tag} wrote its report (exit ${result.code}):\n${result.output.slice(-3000)}`).toBe(true);
      const tests = testsOf(json);
      const own = new RegExp(`\\b${tag}\\b`);
      const selected = tests.filter((t) => own.test(t.fullName));
      const ran = (t: JsonTest): boolean => t.status === "passed" || t.status === "failed";
      expect(
        tests.filter((t) => !own.test(t.fullName) && ran(t)).map((t) => t.fullName),
        `only ${tag}'s tests run`,
      ).toEqual([]);
      expect(selected.length, `${tag} has tests`).toBeGreaterThan(0);
      if (GPU_TASKS.includes(task) && selected.every((t) => !ran(t)) && process.env.CI === undefined) {
        console.log(`tag hygiene: ${tag}: every test skipped (no WebGPU adapter); not checked here, CI checks it`);
        return;
      }
      const passing = selected.filter((t) => t.status !== "failed").map((t) => `${t.status}: ${t.fullName}`);
      const known = KNOWN_LEAKS.get(task);
      if (known !== undefined) {
        console.log(`tag hygiene: ${tag}: ${passing.length} of ${selected.length} tests pass on the stub, a known leak: ${known}`);
        expect(passing.length, `${tag} is listed in KNOWN_LEAKS but no longer leaks: remove it from the list`).toBeGreaterThan(0);
        return;
      }
      expect(passing, `every ${tag} test fails with Task ${task}'s stub in place`).toEqual([]);
    },
    600_000,
  );
});
