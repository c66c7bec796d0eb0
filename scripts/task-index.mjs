#!/usr/bin/env node
// The index of course-task tags to test files, made from the code each time
// (no hand list): a test file holds the tags written in its own code
// (describe("task4_1"), or a suite helper's tag argument such as
// describeBackendSuite(…, { forward: "task3_1 tensor suite", … }): a helper
// takes its tags from the calling file, never a default of its own).
// Comments are not code: a header that says
// "tagged task3_2" adds nothing. It also says which packages a file needs
// built: those whose dist/ it runs (a CLI test spawns apps/X/dist/main.js).
//
//   node scripts/task-index.mjs            prints tag -> files
//   node scripts/task-index.mjs task3_3    prints the files of one tag
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const TAG = /\btask\d+_\d+b?\b/;
// A tag names a block where it opens a string that is a suite or test's name
// (describe("task4_1 …"), describe.skipIf(c)("task3_3")) or an option's value
// (describeBackendSuite(…, { forward: "task3_1 tensor suite" })), not where a
// test merely mentions one (expect(testTag("4.4b")).toBe("task4_4b")).
const TAGGING = [
  /\b(?:describe|it|test|suite)(?:\.\w+(?:\([^()]*\))?)*\(\s*["'`](task\d+_\d+b?)\b/g,
  /\b\w+:\s*["'`](task\d+_\d+b?)\b/g,
];
const WORKSPACE_DIRS = ["packages", "apps", "tools"];

/** Every test file vitest runs (vitest.config.ts: {packages,apps,tools}/X/test/**\/*.test.ts), relative to root. */
export function testFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path);
      } else if (entry.name.endsWith(".test.ts")) files.push(relative(root, path));
    }
  };
  for (const top of WORKSPACE_DIRS) {
    if (!existsSync(join(root, top))) continue;
    for (const pkg of readdirSync(join(root, top))) {
      const tests = join(root, top, pkg, "test");
      if (existsSync(tests) && statSync(tests).isDirectory()) walk(tests);
    }
  }
  return files.sort();
}

/** The text without comments (block comments, and line comments that start a line or follow code after a space). */
function code(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|\s)\/\/.*$/gm, "$1");
}

/** The workspace directories (`apps/train-mnist`) whose dist/ a file's code names. */
function builtDirs(root, file, text) {
  const own = relative(root, file).split("/").slice(0, 2).join("/");
  const dirs = new Set();
  if (/["'`/]\.\.\/dist\//.test(text)) dirs.add(own);
  for (const m of text.matchAll(/["'`/]([a-z][a-z0-9-]*)\/dist\//g)) {
    for (const top of WORKSPACE_DIRS) if (existsSync(join(root, top, m[1], "package.json"))) dirs.add(`${top}/${m[1]}`);
  }
  return dirs;
}

/**
 * tag -> { files, build }: the test files holding the tag, and the workspace
 * directories whose dist/ those files run.
 */
export function taskIndex(root) {
  const tagsOf = (text) => new Set(TAGGING.flatMap((re) => [...text.matchAll(re)].map((m) => m[1])));
  const index = new Map();
  for (const rel of testFiles(root)) {
    const file = join(root, rel);
    const text = code(readFileSync(file, "utf8"));
    for (const tag of tagsOf(text)) {
      if (!index.has(tag)) index.set(tag, { files: [], build: new Set() });
      const entry = index.get(tag);
      entry.files.push(rel);
      for (const dir of builtDirs(root, file, text)) entry.build.add(dir);
    }
  }
  return index;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const index = taskIndex(root);
  const tags = process.argv[2] !== undefined ? [process.argv[2]] : [...index.keys()].sort();
  for (const tag of tags) {
    const entry = index.get(tag) ?? { files: [], build: new Set() };
    const build = entry.build.size > 0 ? `  (builds ${[...entry.build].join(", ")})` : "";
    process.stdout.write(`${tag}: ${entry.files.join(" ")}${build}\n`);
  }
}
