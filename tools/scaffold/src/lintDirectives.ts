/**
 * Lint-clean stubs. A stub (a TODO and a throw) leaves unused what only the
 * solution used — parameters, imports, locals declared before the block —
 * and leaves never reassigned a `let` that only the solution reassigned. The
 * scaffold lints each stubbed file with the source repository's own ESLint
 * configuration and puts, above each line with an error, one
 * `eslint-disable-next-line` comment naming the rules and the task. Nothing
 * else is touched: the source passes lint, so every error is the stub's.
 * Once the student writes the task, ESLint reports the comment as an unused
 * directive (a warning), which says it can go.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ESLint } from "eslint";
import type { Stub } from "./markers.js";
import type { TaskId } from "./tasks.js";

/** A student file with stubs: its text and, per stub, the task, its line and the solution lines it replaced. */
export interface StubbedFile {
  readonly file: string;
  readonly text: string;
  readonly stubs: readonly Stub[];
}

/** An error a directive cannot fix (a stub that does not parse, say), with where it is. */
export interface LintProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

const CONFIG_FILES = ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts"];

/** True if `root` has a flat ESLint configuration (a repository without one has nothing to satisfy). */
export function hasEslintConfig(root: string): boolean {
  return CONFIG_FILES.some((name) => existsSync(join(root, name)));
}

/**
 * The task whose stub leaves `name` (reported at `line`) unused: the nearest
 * stub after the line whose solution uses the name (a parameter's is its
 * function's own stub), else the nearest before it, else the next stub.
 */
function taskFor(stubbed: StubbedFile, line: number, name: string | undefined): TaskId {
  if (name !== undefined) {
    const word = new RegExp(`(^|[^\\w$])${name.replace(/[$]/g, "\\$")}([^\\w$]|$)`);
    const users = stubbed.stubs.filter((s) => word.test(s.solution));
    const user = users.find((s) => s.line > line) ?? users[users.length - 1];
    if (user !== undefined) return user.task;
  }
  return (stubbed.stubs.find((s) => s.line > line) ?? stubbed.stubs[stubbed.stubs.length - 1]!).task;
}

/** `Task 4.1 is` or `Tasks 4.1, 4.2 are`. */
const tasksAre = (tasks: readonly TaskId[]): string => (tasks.length > 1 ? `Tasks ${tasks.join(", ")} are` : `Task ${tasks[0]} is`);

/** Lines with errors at most this far apart, with no stub between them, share one disable/enable pair. */
const MAX_GAP = 10;
/** Runs at most this far apart that lead up to the same stub share one pair. */
const MAX_RANGE_GAP = 30;

interface Reported {
  readonly line: number;
  readonly rules: Set<string>;
  readonly tasks: TaskId[];
}

/**
 * The comment lines to insert, as [index before which to insert, text]. A
 * line with errors gets an `eslint-disable-next-line`; a run of such lines
 * close together that leads up to a stub of their task (a kernel's
 * arguments and the locals set up before its block) gets one
 * `eslint-disable` before the run and its `eslint-enable` just above the stub.
 */
function directives(
  stubbed: StubbedFile,
  lines: readonly string[],
  byLine: ReadonlyMap<number, { rules: Set<string>; names: Set<string> }>,
): Array<[number, string]> {
  const indentOf = (line: number): string => /^[ \t]*/.exec(lines[line - 1] ?? "")?.[0] ?? "";
  const eol = (line: number): string => ((lines[line - 1] ?? "").endsWith("\r") ? "\r" : "");
  const reported: Reported[] = [...byLine]
    .sort((a, b) => a[0] - b[0])
    .map(([line, { rules, names }]) => ({
      line,
      rules,
      tasks: [...new Set([...(names.size > 0 ? names : [undefined])].map((n) => taskFor(stubbed, line, n)))].sort(),
    }));
  const groups: Reported[][] = [];
  const joins = (last: Reported, r: Reported): boolean =>
    r.line - last.line <= MAX_GAP && last.tasks.join() === r.tasks.join() && !stubbed.stubs.some((s) => s.line > last.line && s.line < r.line);
  for (const r of reported) {
    const group = groups[groups.length - 1];
    const last = group?.[group.length - 1];
    if (group !== undefined && last !== undefined && joins(last, r)) group.push(r);
    else groups.push([r]);
  }
  const out: Array<[number, string]> = [];
  const nextLine = (r: Reported): void => {
    const rules = [...r.rules].sort().join(", ");
    out.push([r.line - 1, `${indentOf(r.line)}// eslint-disable-next-line ${rules} -- until ${tasksAre(r.tasks)} written${eol(r.line)}`]);
  };
  // The runs leading up to the same stub, nearest first: those within MAX_RANGE_GAP of the
  // next one share its range (a kernel's arguments, then the locals after its checks).
  const ranges = new Map<Stub, Reported[]>();
  for (const group of [...groups].reverse()) {
    const last = group[group.length - 1]!;
    const stub = stubbed.stubs.find((s) => s.line > last.line);
    const range = stub === undefined ? undefined : ranges.get(stub);
    if (stub !== undefined && group.length > 1 && group[0]!.tasks.includes(stub.task) && (range === undefined || range[0]!.line - last.line <= MAX_RANGE_GAP)) {
      ranges.set(stub, [...group, ...(range ?? [])]);
    } else {
      group.forEach(nextLine);
    }
  }
  for (const [stub, range] of ranges) {
    const first = range[0]!;
    const rules = [...new Set(range.flatMap((r) => [...r.rules]))].sort().join(", ");
    out.push([first.line - 1, `${indentOf(first.line)}/* eslint-disable ${rules} -- until ${tasksAre([stub.task])} written */${eol(first.line)}`]);
    out.push([stub.line - 1, `${indentOf(stub.line)}/* eslint-enable ${rules} */${eol(stub.line)}`]);
  }
  return out;
}

/**
 * Adds the directives to each stubbed file, linting it as if it stood at its
 * place in `root`. Returns the new texts by file, and the errors no
 * directive covers (empty when all went well).
 */
export async function addLintDirectives(
  root: string,
  files: readonly StubbedFile[],
): Promise<{ texts: Map<string, string>; problems: LintProblem[] }> {
  const texts = new Map<string, string>();
  const problems: LintProblem[] = [];
  if (files.length === 0 || !hasEslintConfig(root)) {
    for (const f of files) texts.set(f.file, f.text);
    return { texts, problems };
  }
  const eslint = new ESLint({ cwd: root });
  for (const stubbed of files) {
    const [result] = await eslint.lintText(stubbed.text, { filePath: join(root, stubbed.file) });
    const byLine = new Map<number, { rules: Set<string>; names: Set<string> }>();
    for (const m of result?.messages ?? []) {
      if (m.severity !== 2) continue;
      if (m.ruleId === null) {
        problems.push({ file: stubbed.file, line: m.line, message: m.message });
        continue;
      }
      const entry = byLine.get(m.line) ?? { rules: new Set<string>(), names: new Set<string>() };
      entry.rules.add(m.ruleId);
      const name = /^'([^']+)'/.exec(m.message)?.[1];
      if (name !== undefined) entry.names.add(name);
      byLine.set(m.line, entry);
    }
    const lines = stubbed.text.split("\n");
    for (const [index, text] of directives(stubbed, lines, byLine).sort((a, b) => b[0] - a[0])) lines.splice(index, 0, text);
    texts.set(stubbed.file, lines.join("\n"));
  }
  return { texts, problems };
}

/** Lints `texts` as files of `root`; the errors left (for checking a copy before it is written). */
export async function lintErrors(root: string, texts: ReadonlyMap<string, string>): Promise<LintProblem[]> {
  if (!hasEslintConfig(root)) return [];
  const eslint = new ESLint({ cwd: root });
  const problems: LintProblem[] = [];
  for (const [file, text] of texts) {
    const [result] = await eslint.lintText(text, { filePath: join(root, file) });
    for (const m of result?.messages ?? []) {
      if (m.severity === 2) problems.push({ file, line: m.line, message: `${m.message}${m.ruleId === null ? "" : ` (${m.ruleId})`}` });
    }
  }
  return problems;
}
