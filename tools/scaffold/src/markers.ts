/**
 * Solution blocks: the lines between a `BEGIN ASSIGN<m>.<t>` comment line and
 * its `END ASSIGN<m>.<t>` line are what a student writes for task m.t.
 * Blocks never nest. In a student copy for module m, the blocks of earlier
 * modules keep their code (the marker lines go), and the blocks of module m
 * and later become a TODO comment and a throw, which satisfies any return
 * type, so the copy still type-checks.
 */
import { COURSE_TASKS, isTaskId, moduleOf, type TaskId } from "./tasks.js";

/** One marked block; lines are 1-based and point at the two marker lines. */
export interface SolutionBlock {
  readonly file: string;
  readonly task: TaskId;
  readonly beginLine: number;
  readonly endLine: number;
  /** Leading whitespace of the BEGIN line; the stub lines reuse it. */
  readonly indent: string;
  /** Non-blank lines between the markers. */
  readonly solutionLines: number;
}

/** A marker that does not pair up, with where it is. */
export interface MarkerProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** Any comment line starting with BEGIN/END ASSIGN is a marker; its first token is the task id. */
const MARKER = /^([ \t]*)\/\/[ \t]*(BEGIN|END)[ \t]+ASSIGN[ \t]*(\S*)/;

interface OpenBlock {
  readonly id: string;
  readonly line: number;
  readonly indent: string;
}

/** Finds the solution blocks of one file, or says which markers do not pair up. */
export function parseMarkers(file: string, text: string): { blocks: SolutionBlock[]; problems: MarkerProblem[] } {
  const lines = text.split("\n");
  const blocks: SolutionBlock[] = [];
  const problems: MarkerProblem[] = [];
  const problem = (line: number, message: string): void => void problems.push({ file, line, message });
  let open: OpenBlock | null = null;
  for (const [i, raw] of lines.entries()) {
    const match = MARKER.exec(raw);
    if (match === null) continue;
    const line = i + 1;
    const [, indent = "", kind, id = ""] = match;
    const marker = `${kind} ASSIGN${id}`;
    if (!isTaskId(id)) {
      problem(line, `${marker}: "${id}" is not a course task (expected one of ${COURSE_TASKS.join(", ")})`);
    }
    if (kind === "BEGIN") {
      if (open !== null) {
        problem(line, `${marker} is nested inside the block of ASSIGN${open.id} opened at line ${open.line}`);
        continue;
      }
      open = { id, line, indent };
      continue;
    }
    if (open === null) {
      problem(line, `${marker} has no BEGIN ASSIGN${id} before it`);
      continue;
    }
    const begin = open;
    open = null;
    if (begin.id !== id) {
      problem(line, `${marker} closes the block of ASSIGN${begin.id} opened at line ${begin.line}`);
      continue;
    }
    if (!isTaskId(id)) continue;
    const body = lines.slice(begin.line, line - 1);
    blocks.push({
      file,
      task: id,
      beginLine: begin.line,
      endLine: line,
      indent: begin.indent,
      solutionLines: body.filter((l) => l.trim() !== "").length,
    });
  }
  if (open !== null) {
    problem(open.line, `BEGIN ASSIGN${open.id} has no END ASSIGN${open.id} after it`);
  }
  return { blocks, problems };
}

/** The two lines that replace a block in a student copy. */
export function stubLines(task: TaskId, indent: string): [string, string] {
  return [`${indent}// TODO: Implement for Task ${task}.`, `${indent}throw new Error("Need to implement for Task ${task}");`];
}

/** A stub in a student file: its task, its first line (1-based) and the solution lines it replaced. */
export interface Stub {
  readonly task: TaskId;
  readonly line: number;
  readonly solution: string;
}

/**
 * The student's version of a file for `module`: blocks of earlier modules
 * keep their code without the marker lines; blocks of `module` and later are
 * replaced by {@link stubLines}. `blocks` are this file's, from {@link parseMarkers}.
 * Also returns where the stubs are and what they replaced.
 */
export function studentVersion(text: string, blocks: readonly SolutionBlock[], module: number): { text: string; stubs: Stub[] } {
  const lines = text.split("\n");
  const out: string[] = [];
  const stubs: Stub[] = [];
  let next = 0;
  for (const block of [...blocks].sort((a, b) => a.beginLine - b.beginLine)) {
    const begin = block.beginLine - 1;
    const end = block.endLine - 1;
    out.push(...lines.slice(next, begin));
    if (moduleOf(block.task) < module) {
      out.push(...lines.slice(begin + 1, end));
    } else {
      const eol = lines[begin]!.endsWith("\r") ? "\r" : "";
      stubs.push({ task: block.task, line: out.length + 1, solution: lines.slice(begin + 1, end).join("\n") });
      out.push(...stubLines(block.task, block.indent).map((l) => l + eol));
    }
    next = end + 1;
  }
  out.push(...lines.slice(next));
  return { text: out.join("\n"), stubs };
}

/** The text of {@link studentVersion}. */
export function studentText(text: string, blocks: readonly SolutionBlock[], module: number): string {
  return studentVersion(text, blocks, module).text;
}
