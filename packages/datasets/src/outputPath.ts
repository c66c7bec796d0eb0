/**
 * Output files (a run's log, metrics and checkpoint, an exported model, a
 * cache file): each is checked before it is written — by the apps before
 * anything is loaded or trained — so a path that cannot be written fails at
 * once, naming the option and the file: not after an epoch, and never by
 * hanging or by replacing a device.
 *
 * Missing parent directories are created one level at a time by a bounded
 * loop of plain mkdir calls: Node's recursive mkdir can spin forever on
 * special filesystems such as /proc, where mkdir fails with ENOENT.
 */
import fs from "node:fs";
import path from "node:path";

/** An output file that cannot be written; the message names it and says why. */
export class OutputError extends Error {
  override name = "OutputError";
}

/** What a stat result is, in words, for "is not a regular file (it is …)". */
function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a named pipe";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw e;
  }
}

const codeOf = (e: unknown): string => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

/** Opens with `open` and closes again; the error code if that fails, else null. */
function tryWrite(open: () => number): string | null {
  try {
    fs.closeSync(open());
    return null;
  } catch (e) {
    return codeOf(e);
  }
}

/**
 * Makes sure directory `dir` exists, creating the missing levels from the
 * top down; `what` starts every error ("--log runs/x/run.txt").
 */
export function ensureDirectory(dir: string, what: string): void {
  try {
    makeDirectory(dir, what);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`${what}: ${codeOf(e)}`);
  }
}

function makeDirectory(dir: string, what: string): void {
  const missing: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    const st = statOrNull(d);
    if (st !== null) {
      if (!st.isDirectory()) throw new OutputError(`${what}: ${d} is not a directory`);
      break;
    }
    missing.push(d);
    const parent = path.dirname(d);
    if (parent === d) break;
    d = parent;
  }
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST" && statOrNull(m)?.isDirectory()) continue;
      throw new OutputError(`${what}: cannot create directory ${m} (${codeOf(e)})`);
    }
  }
}

/**
 * Checks that `file` can be written as an output, creating its missing
 * parent directories: it must be a regular file (it is appended to or
 * replaced) or absent, and writable; for `replace` (an atomic save, which
 * writes a temporary file beside it) its directory must be writable too.
 *
 * @param option the command-line option, for errors ("--save"); "" for none.
 * @returns the absolute path to write, symlinks resolved.
 * @throws OutputError naming the option, the file and what is wrong.
 */
export function prepareOutput(option: string, file: string, o: { replace?: boolean } = {}): string {
  const what = option === "" ? file : `${option} ${file}`;
  try {
    return checkOutput(what, file, o.replace === true);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`${what}: ${codeOf(e)}`);
  }
}

function checkOutput(what: string, file: string, replace: boolean): string {
  // path.resolve drops a trailing "/": "runs/x/" would otherwise become a file named x.
  if (file === "") throw new OutputError(`${what === "" ? "output" : what.trim()} needs a file name, got ""`);
  if (file.endsWith("/") || file.endsWith(path.sep)) throw new OutputError(`${what} is a directory path (it ends with "/"); give a file name`);
  const absolute = path.resolve(file);
  ensureDirectory(path.dirname(absolute), what);
  const st = statOrNull(absolute);
  if (st !== null && !st.isFile()) throw new OutputError(`${what} is not a regular file (it is ${kindOf(st)})`);
  const target = st !== null ? fs.realpathSync(absolute) : path.join(fs.realpathSync(path.dirname(absolute)), path.basename(absolute));
  const dir = path.dirname(target);
  if (st !== null) {
    const problem = tryWrite(() => fs.openSync(target, fs.constants.O_WRONLY | fs.constants.O_APPEND));
    if (problem !== null) throw new OutputError(`${what} is not writable (${problem})`);
  }
  if (st === null || replace) {
    // A real probe, not access(): root passes access() on filesystems that still refuse new files (procfs).
    const probe = path.join(dir, `.${path.basename(target)}.${process.pid}.probe`);
    const problem = tryWrite(() => fs.openSync(probe, "wx"));
    if (problem === null) fs.rmSync(probe, { force: true });
    else throw new OutputError(`${what} cannot be written: no new file can be made in ${dir} (${problem})`);
  }
  return target;
}

/** A file named on the command line, with its option. */
export interface NamedFile {
  option: string;
  file: string;
}

/** True if `a` and `b` name the same file: the same absolute path, or (both existing) the same inode. */
export function sameFile(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  const sa = statOrNull(a);
  const sb = statOrNull(b);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Throws if two outputs, or an output and an input, name the same file —
 * except the pairs in `allowed` ("--save" and "--resume": a run continues
 * its own checkpoint).
 */
export function checkDistinct(outputs: readonly NamedFile[], inputs: readonly NamedFile[], allowed: ReadonlyArray<readonly [string, string]> = []): void {
  const isAllowed = (a: string, b: string): boolean => allowed.some(([x, y]) => (x === a && y === b) || (x === b && y === a));
  const all = [...outputs, ...inputs];
  for (let i = 0; i < outputs.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = outputs[i]!;
      const b = all[j]!;
      if (isAllowed(a.option, b.option) || !sameFile(a.file, b.file)) continue;
      throw new OutputError(`${a.option} ${a.file} and ${b.option} ${b.file} are the same file; give each its own`);
    }
  }
}

/**
 * Checks that directory `dir` can receive output files, creating it (and
 * its missing parents, one level at a time) if needed: a directory or
 * absent, and a new file can be made in it — probed, not assumed.
 *
 * @param option the command-line option, for errors ("--out").
 * @returns the directory's real path.
 * @throws OutputError naming the option, the directory and what is wrong.
 */
export function prepareOutputDirectory(option: string, dir: string): string {
  const what = `${option} ${dir}`;
  if (dir === "") throw new OutputError(`${option} needs a directory name, got ""`);
  try {
    const st = statOrNull(dir);
    if (st !== null && !st.isDirectory()) throw new OutputError(`${what} is not a directory (it is ${kindOf(st)})`);
    ensureDirectory(dir, what);
    const real = fs.realpathSync(dir);
    const probe = path.join(real, `.output-probe.${process.pid}`);
    const problem = tryWrite(() => fs.openSync(probe, "wx"));
    if (problem !== null) throw new OutputError(`${what} cannot be written: no new file can be made in it (${problem})`);
    fs.rmSync(probe, { force: true });
    return real;
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`${what}: ${codeOf(e)}`);
  }
}
