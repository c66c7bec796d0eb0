/**
 * The student copy: every repository file copied to a new directory, with
 * the solution blocks of the chosen module and all later modules replaced
 * by stubs, and earlier modules' solutions kept.
 */
import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { addLintDirectives, type StubbedFile } from "./lintDirectives.js";
import { parseMarkers, studentVersion, type MarkerProblem, type SolutionBlock } from "./markers.js";
import { listRepositoryFiles, mayHoldSolutions } from "./sourceFiles.js";
import { COURSE_TASKS, moduleOf, type TaskId } from "./tasks.js";
import { prepareOutputDirectory } from "@minitorch/datasets";

/** What the source repository holds: its files and their solution blocks. */
export interface SourceScan {
  readonly root: string;
  readonly files: readonly string[];
  readonly blocks: readonly SolutionBlock[];
  readonly problems: readonly MarkerProblem[];
}

/** A refusal whose message is for the user as it is. */
export class ScaffoldError extends Error {
  override name = "ScaffoldError";
}

/** Lists the repository's files and parses the markers of every script under packages/, apps/, tools/, bench/. */
export function scanSource(root: string): SourceScan {
  const files = listRepositoryFiles(root);
  const blocks: SolutionBlock[] = [];
  const problems: MarkerProblem[] = [];
  for (const file of files.filter(mayHoldSolutions)) {
    const found = parseMarkers(file, readFileSync(join(root, file), "utf8"));
    blocks.push(...found.blocks);
    problems.push(...found.problems);
  }
  return { root, files, blocks, problems };
}

/** One line per marker problem: `file:line: message`. */
export function formatProblems(problems: readonly MarkerProblem[]): string {
  return problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join("\n");
}

/** The real path of `path`, even if its last parts do not exist yet. */
function realPathOf(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : join(realPathOf(parent), basename(absolute));
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Checks that `out` may receive a copy of `root`: not inside the source tree
 * and not containing it, and an empty or missing directory unless `force`.
 * Returns its absolute path.
 */
export function checkOutDir(root: string, out: string, force: boolean): string {
  const target = realPathOf(out);
  const source = realpathSync(root);
  if (isInside(source, target)) {
    throw new ScaffoldError(`--out ${out} is inside the source tree ${source}; choose a directory outside it`);
  }
  if (isInside(target, source)) {
    throw new ScaffoldError(`--out ${out} contains the source tree ${source}; choose a directory outside it`);
  }
  if (existsSync(target)) {
    if (!statSync(target).isDirectory()) throw new ScaffoldError(`--out ${out} exists and is not a directory`);
    if (!force && readdirSync(target).length > 0) {
      throw new ScaffoldError(`--out ${out} is not empty; use --force to write into it anyway`);
    }
  }
  return target;
}

/** What a student copy holds. */
export interface CopySummary {
  readonly out: string;
  readonly module: number;
  readonly files: number;
  /** Tasks whose blocks became stubs, with the number of blocks. */
  readonly stubbed: ReadonlyMap<TaskId, number>;
  /** Tasks whose solutions were kept, with the number of blocks. */
  readonly kept: ReadonlyMap<TaskId, number>;
}

function countByTask(blocks: readonly SolutionBlock[]): Map<TaskId, number> {
  const counts = new Map<TaskId, number>();
  for (const task of COURSE_TASKS) {
    const n = blocks.filter((b) => b.task === task).length;
    if (n > 0) counts.set(task, n);
  }
  return counts;
}

/**
 * A student copy names itself in this file at its root: the module and the
 * tasks stubbed. Tools check for it (the scaffold's own test skips quietly
 * in a copy, which has no solutions to check).
 */
export const STUDENT_COPY_FILE = ".minitorch-student.json";

/** What {@link STUDENT_COPY_FILE} holds. */
export interface StudentCopyInfo {
  readonly module: number;
  readonly stubbedTasks: readonly TaskId[];
  readonly keptTasks: readonly TaskId[];
}

function blocksByFile(blocks: readonly SolutionBlock[]): Map<string, SolutionBlock[]> {
  const byFile = new Map<string, SolutionBlock[]>();
  for (const block of blocks) {
    const list = byFile.get(block.file) ?? [];
    list.push(block);
    byFile.set(block.file, list);
  }
  return byFile;
}

/**
 * The student's text of every file of `scan` that holds solution blocks,
 * for `module`: stubs in place of this module's and later blocks, with the
 * lint directives the stubs need (lintDirectives.ts).
 */
export async function studentTexts(scan: SourceScan, module: number): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  const stubbed: StubbedFile[] = [];
  for (const [file, blocks] of blocksByFile(scan.blocks)) {
    const version = studentVersion(readFileSync(join(scan.root, file), "utf8"), blocks, module);
    if (version.stubs.length === 0) texts.set(file, version.text);
    else stubbed.push({ file, ...version });
  }
  const { texts: linted, problems } = await addLintDirectives(scan.root, stubbed);
  if (problems.length > 0) {
    throw new ScaffoldError(`the stubbed files do not parse; nothing was written:\n${formatProblems(problems)}`);
  }
  for (const [file, text] of linted) texts.set(file, text);
  return texts;
}

/**
 * Writes the student copy of `scan` for `module` into `out`. Refuses, before
 * writing anything, if a marker does not pair up or `out` is not acceptable
 * (see {@link checkOutDir}).
 */
export async function writeStudentCopy(scan: SourceScan, out: string, module: number, force = false): Promise<CopySummary> {
  if (scan.problems.length > 0) {
    throw new ScaffoldError(`solution markers do not pair up; nothing was written:\n${formatProblems(scan.problems)}`);
  }
  checkOutDir(scan.root, out, force);
  // The output guard the apps use: the directory made (bounded, never spinning on /proc) and probed before any file is written.
  const target = prepareOutputDirectory("--out", out);
  const texts = await studentTexts(scan, module);
  for (const file of scan.files) {
    const from = join(scan.root, file);
    const to = join(target, file);
    mkdirSync(dirname(to), { recursive: true });
    const stat = lstatSync(from);
    const text = texts.get(file);
    if (stat.isSymbolicLink()) {
      symlinkSync(readlinkSync(from), to);
    } else if (text !== undefined) {
      writeFileSync(to, text, { mode: stat.mode });
    } else {
      copyFileSync(from, to);
    }
  }
  const stubbed = countByTask(scan.blocks.filter((b) => moduleOf(b.task) >= module));
  const kept = countByTask(scan.blocks.filter((b) => moduleOf(b.task) < module));
  const info: StudentCopyInfo = { module, stubbedTasks: [...stubbed.keys()], keptTasks: [...kept.keys()] };
  writeFileSync(join(target, STUDENT_COPY_FILE), `${JSON.stringify(info, null, 2)}\n`);
  return { out: target, module, files: scan.files.length, stubbed, kept };
}

/** `--list`: each task, the files holding its blocks and their solution lines per file. */
export function formatTaskList(scan: SourceScan): string {
  const lines: string[] = [];
  const width = Math.max(0, ...scan.blocks.map((b) => b.file.length));
  for (const task of COURSE_TASKS) {
    const blocks = scan.blocks.filter((b) => b.task === task);
    const total = blocks.reduce((n, b) => n + b.solutionLines, 0);
    lines.push(
      blocks.length === 0
        ? `Task ${task}: no solution blocks`
        : `Task ${task}: ${blocks.length} block${blocks.length === 1 ? "" : "s"}, ${total} solution lines`,
    );
    const files = [...new Set(blocks.map((b) => b.file))];
    for (const file of files) {
      const inFile = blocks.filter((b) => b.file === file);
      const n = inFile.reduce((sum, b) => sum + b.solutionLines, 0);
      lines.push(`  ${file.padEnd(width)}  ${String(n).padStart(4)} lines in ${inFile.length} block${inFile.length === 1 ? "" : "s"}`);
    }
  }
  if (scan.problems.length > 0) lines.push("", `Marker problems:`, formatProblems(scan.problems));
  return lines.join("\n");
}

/** The summary printed after a copy is written. */
export function formatSummary(summary: CopySummary): string {
  const list = (tasks: ReadonlyMap<TaskId, number>): string =>
    tasks.size === 0 ? "none" : [...tasks].map(([task, n]) => `${task} (${n})`).join(", ");
  return [
    `Wrote a student copy for Module ${summary.module} to ${summary.out} (${summary.files} files).`,
    `  stubbed blocks: ${list(summary.stubbed)}`,
    `  kept solutions: ${list(summary.kept)}`,
    `Next: cd ${summary.out} && pnpm install && pnpm test:module ${summary.module}`,
  ].join("\n");
}
