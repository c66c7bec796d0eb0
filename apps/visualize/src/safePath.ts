/**
 * Mapping a request path onto a file inside one directory, refusing every
 * way out: `..` (plain or percent-encoded), absolute paths (`//etc/passwd`,
 * `%2Fetc%2Fpasswd`), backslashes, NUL bytes, hidden files, and symlinks
 * whose target lies outside the directory.
 */
import fs from "node:fs";
import path from "node:path";

/**
 * Decode the `/`-separated segments of a raw URL path (without the query).
 * Returns null when any segment is empty, `.` or `..`, hidden (leading `.`),
 * not valid percent-encoding, or decodes to something holding `/`, `\` or NUL.
 */
export function decodeSegments(rawPath: string): string[] | null {
  if (rawPath === "") return null;
  const out: string[] = [];
  for (const raw of rawPath.split("/")) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === "" || segment.startsWith(".") || /[/\\\0]/.test(segment)) return null;
    out.push(segment);
  }
  return out;
}

/** True when `child` is `root` or lies below it (both absolute, normalised). */
export function isInside(root: string, child: string): boolean {
  const rel = path.relative(root, child);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * The real path of the regular file that `segments` name below `root`, or
 * null if there is none inside `root` once symlinks are resolved.
 * @param realRoot `root` already passed through `fs.realpathSync`.
 */
export function resolveInside(realRoot: string, segments: readonly string[]): string | null {
  const candidate = path.join(realRoot, ...segments);
  if (!isInside(realRoot, candidate)) return null;
  let real: string;
  try {
    real = fs.realpathSync(candidate);
  } catch {
    return null;
  }
  if (!isInside(realRoot, real)) return null;
  try {
    return fs.statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}
