// The vitest reporter of `pnpm test:task` (scripts/test-task.mjs): a task's
// results in few lines. Failures first, each with its first error line (a
// fast-check property reports its counterexample and the cause once, not the
// shrink steps) and where it happened: the first frame in the workspace's
// src/ (the student's code), else the assertion's line in the test, and the
// test's own line; then one summary line.
// A line a test logs (a skip notice) is printed once per run, however many
// files print it.
import { relative } from "node:path";
import process from "node:process";

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, "g");
const FRAME = /(?:file:\/\/)?(\/[^\s():]+\.(?:ts|js|mjs)):(\d+):(\d+)/g;

/** The error, then its causes (a worker's error arrives as the cause of the caller's). */
function chain(error) {
  const out = [];
  for (let e = error, depth = 0; typeof e === "object" && e !== null && depth < 8; e = e.cause, depth++) out.push(e);
  return out;
}

/**
 * The first stack frame in the workspace outside node_modules and test/ (the
 * code under test), as `path:line:column`, of the innermost error that has one:
 * a worker's error is rethrown by the pool, and the student's line is in the cause.
 */
function sourceFrame(root, errors) {
  return workspaceFrame(root, errors, false) ?? workspaceFrame(root, errors, true);
}

/** The first workspace frame outside node_modules; in the tests too with `tests` (an assertion's line). */
function workspaceFrame(root, errors, tests) {
  for (const error of [...errors].reverse()) {
    const frames = [...(error.stacks ?? []).map((s) => `${s.file}:${s.line}:${s.column}`), String(error.stack ?? "")].join("\n");
    for (const m of frames.matchAll(FRAME)) {
      const file = relative(root, m[1]);
      if (file.startsWith("..") || file.includes("node_modules/") || (!tests && /(^|\/)test\//.test(file)) || file.startsWith("scripts/")) continue;
      return `${file}:${m[2]}:${m[3]}`;
    }
  }
  return null;
}

/** The error's message in a few lines: fast-check's report keeps its counterexample and drops the shrink log. */
function messageLines(error) {
  const text = String(error.message ?? error).replace(ANSI, "");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const kept = [];
  for (const line of lines) {
    if (/^(Encountered failures were|Execution summary|Hint: )/.test(line)) break;
    if (/^\s+at /.test(line)) continue;
    kept.push(line);
    if (kept.length === 6) break;
  }
  // An assertion's expected/received difference, briefly.
  if (typeof error.diff === "string" && error.diff !== "") {
    const diff = error.diff.replace(ANSI, "").split("\n").filter((l) => l.trim() !== "");
    kept.push(...diff.slice(0, 12).map((l) => `  ${l}`));
    if (diff.length > 12) kept.push(`  … ${diff.length - 12} more diff lines`);
  }
  return kept;
}

function tagOf(names) {
  for (const name of names) {
    const m = /\btask\d+_\d+b?\b/.exec(name);
    if (m) return m[0];
  }
  return null;
}

export default class TaskReporter {
  constructor() {
    this.root = process.cwd();
    this.logged = new Set();
    this.start = performance.now();
    // The tests outside the task (skipped by the name filter) are not counted.
    const filter = process.env.MINITORCH_TASK_FILTER;
    this.filter = filter ? new RegExp(filter) : null;
  }

  onInit(vitest) {
    this.root = vitest.config.root;
  }

  onUserConsoleLog(log) {
    for (const line of String(log.content).replace(ANSI, "").split("\n")) {
      if (line.trim() === "" || this.logged.has(line)) continue;
      this.logged.add(line);
      process.stdout.write(`note: ${line}\n`);
    }
  }

  onTestRunEnd(testModules, unhandledErrors = []) {
    const out = [];
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const failedFiles = [];
    const groups = new Map();
    for (const module of testModules) {
      const file = relative(this.root, module.moduleId);
      const moduleErrors = module.errors?.() ?? [];
      if (moduleErrors.length > 0) {
        failedFiles.push(file);
        out.push(`FAIL ${file} (did not load)`);
        for (const error of moduleErrors) {
          const causes = chain(error);
          for (const line of messageLines(causes[0])) out.push(`  ${line}`);
          const where = sourceFrame(this.root, causes);
          if (where) out.push(`  at ${where}`);
        }
      }
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "skipped" && this.filter !== null && !this.filter.test(test.fullName)) continue;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
        else skipped++;
        if (state !== "failed") continue;
        const names = [];
        for (let p = test.parent; p.type === "suite"; p = p.parent) names.unshift(p.name);
        const tag = tagOf([...names, test.name]);
        const title = [...names.filter((n) => n !== tag), test.name].join(" > ");
        const causes = chain(test.result().errors?.[0] ?? {});
        const message = messageLines(causes[0]);
        const causeLines = causes.slice(1, 3).map((c) => messageLines(c)[0]).filter((l) => l !== undefined && !message.some((m) => m.includes(l)));
        const where = sourceFrame(this.root, causes) ?? "(no stack frame in the workspace)";
        const at = test.location ? `${file}:${test.location.line}` : file;
        // Failures with the same cause at the same place (a stub) are one group:
        // the cause once, then the tests' names.
        const key = `${causeLines.at(-1) ?? message[0]}@${where}`;
        if (!groups.has(key)) groups.set(key, { message, causeLines, where, tests: [] });
        groups.get(key).tests.push(`${title}  (${at})`);
      }
    }
    for (const group of groups.values()) {
      const [first, ...rest] = group.tests;
      out.push(`FAIL ${first}`);
      for (const line of group.message) out.push(`  ${line}`);
      for (const line of group.causeLines) out.push(`  caused by: ${line}`);
      out.push(`  at ${group.where}`);
      if (rest.length > 0) out.push(`  the same failure in ${rest.length} more test(s):`);
      for (const name of rest.slice(0, 3)) out.push(`  - ${name}`);
      if (rest.length > 3) out.push(`  - … and ${rest.length - 3} more`);
    }
    for (const error of unhandledErrors) {
      out.push("ERROR (unhandled)");
      for (const line of messageLines(error)) out.push(`  ${line}`);
      const where = sourceFrame(this.root, chain(error));
      if (where) out.push(`  at ${where}`);
    }
    const seconds = ((performance.now() - this.start) / 1000).toFixed(1);
    const loadNote = failedFiles.length > 0 ? `, ${failedFiles.length} file(s) failed to load` : "";
    out.push(
      `${failed > 0 || failedFiles.length > 0 || unhandledErrors.length > 0 ? "FAILED" : "passed"}: ` +
        `${passed} passed, ${failed} failed, ${skipped} skipped in ${testModules.length} file(s)${loadNote} (${seconds} s)`,
    );
    process.stdout.write(`${out.join("\n")}\n`);
  }
}
