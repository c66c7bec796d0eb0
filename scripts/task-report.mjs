#!/usr/bin/env node
// Per-task summary of a vitest JSON report, like the reference course's
// per-task CI: one line per task id (task0_1 … task4_5, with task4_4b) with its passed,
// failed and skipped counts, one line for the tests outside any task, and
// the test files that failed to load. A test belongs to the task of its
// describe("taskM_T") block.
//
//   vitest run --reporter=default --reporter=json --outputFile=test-output/vitest.json
//   node scripts/task-report.mjs test-output/vitest.json
//
// Exits 0 whatever the tests did (the test run's own exit code is the
// verdict); 2 if the report cannot be read.
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import process from "node:process";

const TASK_COUNTS = [5, 5, 5, 5, 5];
// Optional tasks, after the task they extend (tools/scaffold/src/tasks.ts).
const EXTRA = { task4_4: ["task4_4b"] };
const TASKS = TASK_COUNTS.flatMap((count, m) =>
  Array.from({ length: count }, (_, t) => `task${m}_${t + 1}`).flatMap((task) => [task, ...(EXTRA[task] ?? [])]),
);
const TAG = /\btask\d+_\d+b?\b/;

const path = process.argv[2] ?? "test-output/vitest.json";
let report;
try {
  report = JSON.parse(readFileSync(path, "utf8"));
} catch (e) {
  process.stderr.write(`task-report: cannot read the vitest JSON report ${path}: ${e instanceof Error ? e.message : e}\n`);
  process.exit(2);
}

const empty = () => ({ passed: 0, failed: 0, skipped: 0 });
const counts = new Map(TASKS.map((task) => [task, empty()]));
const unknownTags = new Map();
const other = empty();
const brokenFiles = [];

for (const file of report.testResults ?? []) {
  const tests = file.assertionResults ?? [];
  if (file.status === "failed" && tests.length === 0) brokenFiles.push(file);
  for (const test of tests) {
    const names = [...(test.ancestorTitles ?? []), test.title ?? ""];
    const tag = names.map((n) => TAG.exec(n)?.[0]).find((t) => t !== undefined) ?? TAG.exec(test.fullName ?? "")?.[0];
    let bucket = other;
    if (tag !== undefined) {
      if (!counts.has(tag) && !unknownTags.has(tag)) unknownTags.set(tag, empty());
      bucket = counts.get(tag) ?? unknownTags.get(tag);
    }
    if (test.status === "passed") bucket.passed++;
    else if (test.status === "failed") bucket.failed++;
    else bucket.skipped++;
  }
}

const verdict = (c) =>
  c.failed > 0 ? "FAIL" : c.passed > 0 ? "ok" : c.skipped > 0 ? "skipped" : "no tests";
const line = (name, c, note = "") =>
  `${name.padEnd(9)} ${verdict(c).padEnd(8)} passed ${String(c.passed).padStart(4)}  failed ${String(c.failed).padStart(4)}  skipped ${String(c.skipped).padStart(4)}${note}`;

const out = [`Per-task results (${path}):`];
for (const task of TASKS) out.push(line(task, counts.get(task)));
for (const [tag, c] of unknownTags) out.push(line(tag, c, "  (not a course task)"));
out.push(line("other", other, "  (tests outside any task)"));
for (const file of brokenFiles) {
  const message = String(file.message ?? "").split("\n")[0];
  out.push(`FAILED TO LOAD ${relative(process.cwd(), file.name)}: ${message}`);
}
process.stdout.write(`${out.join("\n")}\n`);
