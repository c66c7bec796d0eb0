/**
 * Where a piece of WGSL was written: the course's kernel bodies are WGSL
 * inside a TypeScript template string, and WebGPU reports a compile error
 * by its line in the assembled shader. `wgslFrom` puts a comment naming the
 * module in front of the text; `sourceLineOf` turns a shader line back into
 * the `.ts` file and line where the student wrote it.
 */
import { existsSync, readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

const MARK = "// wgsl-source ";

/** `text` (a template string of the module at `moduleUrl`, without interpolations) marked with where it comes from. */
export function wgslFrom(moduleUrl: string, text: string): string {
  return `${MARK}${moduleUrl}\n${text}`;
}

/** The `.ts` file of a module URL: itself, or for a built `dist/x.js`, the `src/x.ts` beside it if it is there. */
function sourceFile(moduleUrl: string): string | null {
  let path: string;
  try {
    path = fileURLToPath(moduleUrl);
  } catch {
    return null;
  }
  const ts = path.replace(/\/dist\/(.*)\.js$/, "/src/$1.ts");
  if (existsSync(ts)) return ts;
  return existsSync(path) ? path : null;
}

/**
 * `file:line` of line `line` (1-based) of `shader` when that line comes
 * from a marked text, or null: the text is found in its module's source,
 * and the line counted from there.
 */
export function sourceLineOf(shader: string, line: number): string | null {
  const lines = shader.split("\n");
  let mark = -1;
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    if (lines[i]!.startsWith(MARK)) {
      mark = i;
      break;
    }
  }
  if (mark < 0) return null;
  const file = sourceFile(lines[mark]!.slice(MARK.length));
  if (file === null) return null;
  // The marked text runs from the line after the mark to the next mark (or the end);
  // interpolated code after it is not in the file, so only the lines found there count.
  let end = lines.findIndex((l, i) => i > mark && l.startsWith(MARK));
  if (end < 0) end = lines.length;
  const offsetInText = line - 1 - (mark + 1);
  const source = readFileSync(file, "utf8");
  for (let n = end - (mark + 1); n > offsetInText; n--) {
    const text = lines.slice(mark + 1, mark + 1 + n).join("\n");
    const at = source.indexOf(text);
    if (at >= 0) {
      const firstLine = source.slice(0, at).split("\n").length;
      const shown = relative(process.cwd(), file);
      return `${shown.startsWith("..") ? file : shown}:${firstLine + offsetInText}`;
    }
  }
  return null;
}
