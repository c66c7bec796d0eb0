/**
 * Which files make up the repository: what git tracks plus untracked files
 * that are not ignored, never build output or installed packages.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** Path segments that are never copied, wherever they appear. */
const NEVER_COPIED = new Set(["node_modules", "dist", ".turbo", ".git"]);

/** Top-level folders whose scripts may hold solution blocks. */
const MARKED_DIRS = ["packages/", "apps/", "tools/", "bench/"];
const MARKED_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs"];

/** True if git can be run here. */
export function gitAvailable(): boolean {
  try {
    execFileSync("git", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * The repository's files, relative to `root` with "/" separators, sorted:
 * `git ls-files --cached --others --exclude-standard`, minus node_modules,
 * dist, .turbo, .git and files deleted from the working tree.
 */
export function listRepositoryFiles(root: string): string[] {
  let output: string;
  try {
    output = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const reason = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new Error(`cannot list the files of ${root} with git ls-files (${reason}); the scaffold needs git and a git checkout`);
  }
  const files = new Set(
    output
      .split("\0")
      .filter((f) => f !== "" && !f.split("/").some((segment) => NEVER_COPIED.has(segment)))
      .filter((f) => existsSync(join(root, f))),
  );
  return [...files].sort();
}

/** True for the script files whose solution blocks are transformed. */
export function mayHoldSolutions(file: string): boolean {
  return MARKED_DIRS.some((dir) => file.startsWith(dir)) && MARKED_EXTENSIONS.some((ext) => file.endsWith(ext));
}
