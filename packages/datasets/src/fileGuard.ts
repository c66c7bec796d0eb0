/**
 * The one output guard every command-line tool runs at start-up, before it
 * reads data or writes anything: each output is a usable file name (not
 * empty, no trailing "/"), writable (`prepareOutput`), and distinct from
 * every other output and from every input — including each file a data
 * directory supplies. A tool that passes the guard can only fail later for
 * reasons no check can foresee (a disk filling up), never by overwriting
 * its own input or by writing one output before refusing another.
 */
import fs from "node:fs";
import path from "node:path";
import { OutputError, checkDistinct, prepareOutput, type NamedFile } from "./outputPath.js";

/** An output of a tool: its option, its path (undefined when not given), and whether it is replaced atomically. */
export interface GuardedOutput {
  option: string;
  file: string | undefined;
  /** Written through a temporary file and a rename (a checkpoint, an export). */
  replace?: boolean;
}

/** What a tool reads and writes, by option. */
export interface GuardRequest {
  /** Input files; each must exist and be a regular file. */
  inputs?: Record<string, string | undefined>;
  /**
   * Input directories with the names of the files the tool may read there;
   * each directory must exist, and each of those files present is an input.
   */
  inputDirs?: Record<string, { dir: string | undefined; files: readonly string[] }>;
  outputs: readonly GuardedOutput[];
  /** Option pairs that may name the same file ("--save" and "--resume": a run continues its own checkpoint). */
  allowed?: ReadonlyArray<readonly [string, string]>;
}

const trailingSeparator = (file: string): boolean => file.endsWith("/") || file.endsWith(path.sep);

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch {
    return null;
  }
}

/** Refuses an empty name or one ending in "/" (which names a directory, whatever follows). */
function checkName(option: string, file: string, what: "file" | "directory"): void {
  if (file === "") throw new OutputError(`${option} needs a ${what} name, got ""`);
  if (what === "file" && trailingSeparator(file)) throw new OutputError(`${option} ${file} is a directory path (it ends with "/"); give a file name`);
}

/**
 * Checks every input and output of a tool (see the file comment) and
 * returns each given output's absolute path, by option; nothing is written
 * except missing parent directories of the outputs.
 *
 * @throws OutputError naming the option and the path.
 */
export function guardFiles(r: GuardRequest): Record<string, string> {
  const inputs: NamedFile[] = [];
  for (const [option, file] of Object.entries(r.inputs ?? {})) {
    if (file === undefined) continue;
    checkName(option, file, "file");
    const st = statOrNull(file);
    if (st === null) throw new OutputError(`${option} ${file} does not exist`);
    if (st.isDirectory()) throw new OutputError(`${option} ${file} is a directory, not a file`);
    inputs.push({ option, file });
  }
  for (const [option, { dir, files }] of Object.entries(r.inputDirs ?? {})) {
    if (dir === undefined) continue;
    checkName(option, dir, "directory");
    const st = statOrNull(dir);
    if (st === null) throw new OutputError(`${option} ${dir} does not exist`);
    if (!st.isDirectory()) throw new OutputError(`${option} ${dir} is not a directory`);
    for (const name of files) {
      const file = path.join(dir, name);
      if (statOrNull(file) !== null) inputs.push({ option: `${option}'s file`, file });
    }
  }
  const given = r.outputs.filter((o): o is GuardedOutput & { file: string } => o.file !== undefined);
  for (const o of given) checkName(o.option, o.file, "file");
  // Names first, so two outputs that are one file are refused before any directory is made for them.
  checkDistinct(given, inputs, r.allowed);
  const resolved: Record<string, string> = {};
  const outputs: NamedFile[] = [];
  for (const o of given) {
    resolved[o.option] = prepareOutput(o.option, o.file, { replace: o.replace === true });
    outputs.push({ option: o.option, file: resolved[o.option]! });
  }
  checkDistinct(outputs, inputs, r.allowed);
  return resolved;
}
