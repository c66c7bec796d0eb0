/**
 * The student copies the scaffold writes, checked end to end: for a module m,
 * generate the copy into a temporary directory, link the repository's
 * installed dependencies into it, build every package, run the task tests of
 * modules 0..m inside it, and check that module m's tests fail with the
 * "Need to implement" error while every earlier module's tests pass. For the
 * kernel tasks (3.2, 4.1, 4.2), the solution blocks are then written back
 * into the copy's stubs, as a student would, and their tests must pass.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import {
  COURSE_TASKS,
  STUDENT_COPY_FILE,
  gitAvailable,
  lintErrors,
  moduleOf,
  scanSource,
  studentTexts,
  testTag,
  writeStudentCopy,
  type SourceScan,
  type TaskId,
} from "../src/index.js";
import {
  buildWorkspace,
  copyEnv,
  fillInSolutions,
  linkInstalledDependencies,
  readVitestReport,
  run,
  workspacePackages,
  type TestOutcome,
  type VitestReport,
} from "./studentCopy.js";

const repo = fileURLToPath(new URL("../../..", import.meta.url));
const vitestBin = join(repo, "node_modules", "vitest", "vitest.mjs");

/**
 * Why the copies cannot be checked here, or null: the scaffold needs git to
 * list the files, and a student copy (not a checkout, no markers left) has
 * nothing to scaffold.
 */
function skipReason(): string | null {
  if (!gitAvailable()) return "git is not available, and the scaffold lists the repository's files with git ls-files";
  let source: SourceScan;
  try {
    source = scanSource(repo);
  } catch (e) {
    return `the source is not a git checkout (${e instanceof Error ? e.message : String(e)})`;
  }
  return source.blocks.length === 0 ? "the source holds no solution blocks (a student copy)" : null;
}

/** The task tag in a test's full name (its describe block): `task4_1`, `task4_4b`, or null. */
function taskOfTest(test: TestOutcome): string | null {
  return /\btask\d+_\d+b?\b/.exec(test.fullName)?.[0] ?? null;
}

function moduleOfTest(test: TestOutcome): number | null {
  const tag = taskOfTest(test);
  return tag === null ? null : Number(tag.slice(4, tag.indexOf("_")));
}

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A student copy (it names itself in STUDENT_COPY_FILE) has no solutions to check: the test skips without a word. */
const inStudentCopy = existsSync(join(repo, STUDENT_COPY_FILE));
const reason = inStudentCopy ? "this is a student copy" : skipReason();
if (reason !== null && !inStudentCopy) console.log(`course scaffolding: student copies not checked: ${reason}`);

/**
 * Tasks whose tests must show their own stub's message in a copy: each of
 * these has tests that reach its own code first. (Others may fail on an
 * earlier task's stub first: task2_4's gradient tests run Task 2.3's forward
 * passes.)
 */
const OWN_STUB_MESSAGE: readonly TaskId[] = ["3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.4b"];

/**
 * The tasks whose solutions are written back into a copy's stubs, by module:
 * the kernels (Task 3.2's tests run on Task 3.1's loops too; the GPU tasks'
 * tests that need an adapter skip without one, the others still run).
 */
const FILLED_IN: ReadonlyMap<number, readonly TaskId[]> = new Map<number, readonly TaskId[]>([
  [3, ["3.1", "3.2", "3.3", "3.4"]],
  [4, ["4.1", "4.2", "4.4b"]],
]);

/** Runs the `typecheck` script of each package of `copy` whose test files hold stubs for `module`; the failures. */
async function typecheckStubbedTests(scan: SourceScan, copy: string, module: number): Promise<string[]> {
  const stubbedTests = scan.blocks.filter((b) => moduleOf(b.task) >= module && /(^|\/)test\//.test(b.file)).map((b) => b.file);
  const packages = workspacePackages(copy).filter((dir) => stubbedTests.some((f) => f.startsWith(`${dir}/`)));
  const failures: string[] = [];
  for (const dir of packages) {
    const result = await run("sh", ["-c", "tsc -p tsconfig.test.json"], join(copy, dir), copyEnv(copy, dir));
    if (result.code !== 0) failures.push(`${dir}: typecheck failed (exit ${result.code})\n${result.output}`);
  }
  return failures;
}

/** Runs vitest in `copy` on the tests whose names match `pattern` (in `dirs` only, if given), and reads its report. */
async function runCopyTests(tmp: string, copy: string, pattern: string, label: string, dirs: readonly string[] = []): Promise<VitestReport> {
  const reportPath = join(tmp, `vitest-${label}.json`);
  const causesPath = join(tmp, `causes-${label}.json`);
  const vitest = await run(
    process.execPath,
    [
      vitestBin,
      "run",
      ...dirs,
      "--root",
      copy,
      "-t",
      pattern,
      "--reporter=json",
      `--outputFile=${reportPath}`,
      `--reporter=${join(copy, "tools", "scaffold", "test", "errorCausesReporter.ts")}`,
    ],
    copy,
    { ...copyEnv(copy), SCAFFOLD_ERRORS_FILE: causesPath },
    180_000,
  );
  if (!existsSync(reportPath)) {
    throw new Error(`vitest wrote no report in the copy (exit ${vitest.code}):\n${vitest.output.slice(-4000)}`);
  }
  return readVitestReport(reportPath, causesPath, copy);
}

describe.skipIf(reason !== null)("course scaffolding", () => {
  it("a fresh student copy installs from the lockfile without a warning (bin links included)", async () => {
    const tmp = mkdtempSync(join(tmpdir(), "minitorch-student-install-"));
    temporary.push(tmp);
    const copy = join(tmp, "repo");
    await writeStudentCopy(scanSource(repo), copy, 4);
    const pnpm = join(repo, "node_modules", "pnpm", "bin", "pnpm.cjs");
    const install = await run(process.execPath, [pnpm, "install", "--offline", "--frozen-lockfile", "--ignore-scripts"], copy, copyEnv(copy), 180_000);
    expect(install.code, install.output).toBe(0);
    expect(install.output.split("\n").filter((line) => /\bWARN\b/.test(line))).toEqual([]);
  }, 240_000);

  it.each([0, 1, 2, 3, 4])("the Module %i copy's stubbed files pass lint", async (module) => {
    const texts = await studentTexts(scanSource(repo), module);
    expect(await lintErrors(repo, texts)).toEqual([]);
  });

  it.each([0, 1, 2, 3, 4])(
    "the Module %i copy builds; its tasks fail with Need to implement, earlier modules pass",
    async (module) => {
      const source = scanSource(repo);
      const tmp = mkdtempSync(join(tmpdir(), `minitorch-student-m${module}-`));
      temporary.push(tmp);
      const copy = join(tmp, "repo");
      await writeStudentCopy(source, copy, module);
      linkInstalledDependencies(repo, copy);

      const buildFailures = await buildWorkspace(copy, availableParallelism());
      expect(buildFailures, "every package of the copy builds").toEqual([]);
      // The build type-checks every source file; test files with stubs are checked here.
      const typecheckFailures = await typecheckStubbedTests(source, copy, module);
      expect(typecheckFailures, "the packages with stubbed test files type-check").toEqual([]);

      const report = await runCopyTests(tmp, copy, `task[0-${module}]_`, "stubs");
      expect(report.fileFailures, "every test file of the copy loads").toEqual([]);

      // Each task of this module fails with a stub's error of this module
      // (task2_4's gradient tests reach Task 2.3's forward stubs first). Not
      // every test shows it: some exercise given code and pass, and a CLI
      // test sees only an exit code.
      for (const task of COURSE_TASKS.filter((t) => moduleOf(t) === module)) {
        const failed = report.tests.filter((t) => taskOfTest(t) === testTag(task) && t.status === "failed");
        expect(failed.length, `${testTag(task)} has failing tests in the Module ${module} copy`).toBeGreaterThan(0);
        const stubMessage = OWN_STUB_MESSAGE.includes(task) ? `Need to implement for Task ${task}` : `Need to implement for Task ${module}.`;
        const stubbed = failed.filter((t) => t.failureMessages.some((m) => m.includes(stubMessage)));
        expect(stubbed.length, `${testTag(task)} fails with "${stubMessage}"`).toBeGreaterThan(0);
      }

      const count = (m: number, status: string): number =>
        report.tests.filter((t) => moduleOfTest(t) === m && t.status === status).length;
      const earlierModules = Array.from({ length: module }, (_, m) => `Module ${m} ${count(m, "passed")} passed`);
      console.log(
        `course scaffolding: Module ${module} copy: its tests ${count(module, "failed")} failed, ` +
          `${count(module, "passed")} passed; ${earlierModules.join(", ") || "no earlier modules"}`,
      );

      for (let earlier = 0; earlier < module; earlier++) {
        const tests = report.tests.filter((t) => moduleOfTest(t) === earlier);
        expect(tests.filter((t) => t.status === "passed").length, `Module ${earlier} tests run in the copy`).toBeGreaterThan(0);
        const failed = tests.filter((t) => t.status === "failed");
        expect(
          failed.map((t) => `${t.fullName}: ${t.failureMessages.join(" / ").split("\n")[0] ?? ""}`),
          `Module ${earlier} tests pass in the Module ${module} copy`,
        ).toEqual([]);
      }

      // The student's work: the solution blocks written into the stubs pass their tests.
      const filled = FILLED_IN.get(module) ?? [];
      if (filled.length === 0) return;
      const courseLoops = join(copy, "packages", "fast-ops", "src", "kernelLoops.ts");
      const minitorchWay = ["toIndex(", "broadcastIndex(", "indexToPosition("];
      if (filled.includes("3.1")) expect(minitorchWay.filter((call) => readFileSync(courseLoops, "utf8").includes(call)), "the stubs call no index helper").toEqual([]);
      const packages = fillInSolutions(source, copy, filled);
      const rebuild = await buildWorkspace(copy, availableParallelism(), packages);
      expect(rebuild, "the packages with filled-in stubs build").toEqual([]);
      // The task tests sit in the packages that hold the tasks' code.
      const after = await runCopyTests(tmp, copy, filled.map(testTag).join("|"), "filled", packages);
      expect(after.fileFailures, "every test file of the copy loads").toEqual([]);
      for (const task of filled) {
        const tests = after.tests.filter((t) => taskOfTest(t) === testTag(task));
        expect(tests.length, `${testTag(task)} runs in the filled-in copy`).toBeGreaterThan(0);
        // A GPU task's tests are skipped, with the reason printed, where no adapter exists outside CI (under CI they run).
        expect(
          tests.filter((t) => t.status === "failed").map((t) => `${t.fullName}: ${t.failureMessages.join(" / ").split("\n")[0] ?? ""}`),
          `${testTag(task)} passes once its solution is written into the stubs`,
        ).toEqual([]);
      }
      if (filled.includes("3.1")) {
        // Task 3.1 written minitorch's way — a loop over output positions calling Module 2's
        // index helpers — passes `pnpm test:task task3_1` (which runs the copy's source), its
        // kernels imported by CourseBackend's workers.
        const loops = readFileSync(courseLoops, "utf8");
        for (const call of minitorchWay) expect(loops, `the filled-in Task 3.1 calls ${call}…)`).toContain(call);
        const task = await run(process.execPath, ["scripts/test-task.mjs", "task3_1"], copy, copyEnv(copy), 240_000);
        expect(task.code, `test:task task3_1 in the copy exits 0:\n${task.output.slice(-3000)}`).toBe(0);
        // test:task's one summary line (scripts/task-reporter.mjs).
        expect(task.output).toMatch(/^passed: [1-9]\d* passed, 0 failed, /m);
      }
      const passed = after.tests.filter((t) => t.status === "passed").length;
      console.log(`course scaffolding: Module ${module} copy with ${filled.map(testTag).join(", ")} filled in: ${passed} tests pass`);
    },
    // Two builds, a typecheck and three test runs of a whole copy, on a machine shared with other work.
    600_000,
  );
});
