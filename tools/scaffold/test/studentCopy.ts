/**
 * Helpers of the student-copy test: make a generated copy use the source
 * repository's installed packages, build it, and run its tests.
 */
import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { stubLines, type SourceScan, type TaskId } from "../src/index.js";
import type { FailedTestErrors } from "./errorCausesReporter.js";

/** Entries of the root node_modules that are caches, not packages. */
const NOT_LINKED = new Set([".vite", ".vite-temp", ".cache", ".modules.yaml"]);

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/**
 * Recreates the symlinks of `repo/<dir>` (a node_modules folder) in
 * `copy/<dir>`. pnpm's node_modules folders hold only symlinks (and scope
 * folders of symlinks, and .bin shims): a workspace package's
 * `node_modules/@minitorch/autodiff` points, relatively, at
 * `../../../autodiff`, and every installed package points into the store
 * under the root's `node_modules/.pnpm`. Node resolves a symlink to its real
 * path before resolving that file's own imports, so:
 *  - a link to another workspace package must point at the copy's package,
 *    or the copy would run the repository's solutions instead of its stubs
 *    (linking a whole `packages/x/node_modules` folder would do exactly that);
 *  - a link into the store may point at the repository's store, whose
 *    packages only ever import each other.
 * So a target inside the repository's node_modules is linked absolutely,
 * and any other target inside the repository is re-pointed into the copy.
 */
function linkTree(repo: string, copy: string, dir: string, root: boolean): void {
  const from = join(repo, dir);
  mkdirSync(join(copy, dir), { recursive: true });
  for (const name of readdirSync(from)) {
    if (root && NOT_LINKED.has(name)) continue;
    const source = join(from, name);
    const target = join(copy, dir, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) {
      const resolved = resolve(dirname(source), readlinkSync(source));
      const inStore = isInside(join(repo, "node_modules"), resolved);
      const inCopy = !inStore && isInside(repo, resolved);
      symlinkSync(inCopy ? relative(dirname(target), join(copy, relative(repo, resolved))) : resolved, target);
    } else if (stat.isDirectory() && name.startsWith("@")) {
      linkTree(repo, copy, join(dir, name), false);
    } else {
      // .pnpm (the store), .bin (shims that find their package relative to
      // where they are invoked from) and any other folder: shared as it is.
      symlinkSync(source, target);
    }
  }
}

/** Workspace package folders of `root` (relative), from its pnpm-workspace.yaml. */
export function workspacePackages(root: string): string[] {
  const yaml = readFileSync(join(root, "pnpm-workspace.yaml"), "utf8");
  const patterns = [...yaml.matchAll(/^\s*-\s*["']?([^"'\s]+)["']?\s*$/gm)].map((m) => m[1]!);
  const dirs: string[] = [];
  for (const pattern of patterns) {
    if (pattern.endsWith("/*")) {
      const parent = pattern.slice(0, -2);
      if (!existsSync(join(root, parent))) continue;
      for (const name of readdirSync(join(root, parent)).sort()) dirs.push(`${parent}/${name}`);
    } else {
      dirs.push(pattern);
    }
  }
  return dirs.filter((d) => existsSync(join(root, d, "package.json")));
}

/**
 * Makes `copy` use `repo`'s installed dependencies instead of installing:
 * the root node_modules and each workspace package's node_modules are
 * rebuilt in the copy as links (see {@link linkTree}).
 */
export function linkInstalledDependencies(repo: string, copy: string): void {
  linkTree(repo, copy, "node_modules", true);
  for (const dir of workspacePackages(copy)) {
    if (existsSync(join(repo, dir, "node_modules"))) linkTree(repo, copy, join(dir, "node_modules"), false);
  }
}

export interface CommandResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a command, collecting stdout and stderr together; kills it after `timeoutMs`. */
export function run(
  command: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 120_000,
): Promise<CommandResult> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, killSignal: "SIGKILL" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", fail);
    child.on("close", (code) => done({ code: code ?? 1, output }));
  });
}

/**
 * The environment for commands inside the copy: the parent's, without
 * vitest's own variables (a nested vitest must not think it is a worker),
 * with the copy's node_modules/.bin first on PATH as `pnpm run` would do.
 */
export function copyEnv(copy: string, dir = "."): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("VITEST") && key !== "NODE_ENV" && key !== "TEST") env[key] = value;
  }
  const bins = [join(copy, dir, "node_modules", ".bin"), join(copy, "node_modules", ".bin")];
  env.PATH = [...bins, env.PATH ?? ""].join(":");
  return env;
}

interface PackageInfo {
  readonly dir: string;
  readonly name: string;
  readonly build: string | undefined;
  readonly deps: readonly string[];
}

/**
 * Writes the solution of each block of `tasks` (from the source `scan`) into
 * its stub in `copy`, as a student completing the tasks would: the stub's
 * TODO and throw lines become the block's lines. Returns the workspace
 * packages (folders) whose files changed.
 */
export function fillInSolutions(scan: SourceScan, copy: string, tasks: readonly TaskId[]): string[] {
  const changed = new Set<string>();
  const files = [...new Set(scan.blocks.filter((b) => tasks.includes(b.task)).map((b) => b.file))];
  for (const file of files) {
    const sourceLines = readFileSync(join(scan.root, file), "utf8").split("\n");
    let lines = readFileSync(join(copy, file), "utf8").split("\n");
    const blocks = scan.blocks.filter((b) => b.file === file && tasks.includes(b.task)).sort((a, b) => a.beginLine - b.beginLine);
    for (const block of blocks) {
      const [todo, thrown] = stubLines(block.task, block.indent);
      const at = lines.findIndex((l, i) => l.trimEnd() === todo && lines[i + 1]?.trimEnd() === thrown);
      if (at < 0) throw new Error(`${file}: no stub of Task ${block.task} left to fill in`);
      lines = [...lines.slice(0, at), ...sourceLines.slice(block.beginLine, block.endLine - 1), ...lines.slice(at + 2)];
    }
    writeFileSync(join(copy, file), lines.join("\n"));
    const pkg = workspacePackages(copy).find((dir) => file.startsWith(`${dir}/`));
    if (pkg !== undefined) changed.add(pkg);
  }
  return [...changed];
}

/**
 * Runs every workspace package's `build` script in dependency order (a
 * package starts once the packages it depends on are built), `parallel` at
 * a time, as `turbo run build` would; with `only`, just those packages
 * (folders), assuming the others are built. Returns the failures, each with
 * the package and its output.
 */
export async function buildWorkspace(copy: string, parallel: number, only?: readonly string[]): Promise<string[]> {
  const packages: PackageInfo[] = workspacePackages(copy)
    .filter((dir) => only === undefined || only.includes(dir))
    .map((dir) => {
      const json = JSON.parse(readFileSync(join(copy, dir, "package.json"), "utf8")) as {
        name: string;
        scripts?: Record<string, string>;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      const deps = Object.entries({ ...json.dependencies, ...json.devDependencies })
        .filter(([, spec]) => spec.startsWith("workspace:"))
        .map(([name]) => name);
      return { dir, name: json.name, build: json.scripts?.build, deps };
    });
  const finished = new Set<string>();
  const failures: string[] = [];
  const pending = [...packages];
  const running = new Map<string, Promise<void>>();
  while (pending.length > 0 || running.size > 0) {
    const ready = pending.filter((p) => p.deps.every((d) => finished.has(d) || !packages.some((q) => q.name === d)));
    for (const p of ready.slice(0, Math.max(0, parallel - running.size))) {
      pending.splice(pending.indexOf(p), 1);
      const job = (async () => {
        if (p.build !== undefined) {
          const result = await run("sh", ["-c", p.build], join(copy, p.dir), copyEnv(copy, p.dir));
          if (result.code !== 0) failures.push(`${p.dir}: build failed (exit ${result.code})\n${result.output}`);
        }
        finished.add(p.name);
        running.delete(p.name);
      })();
      running.set(p.name, job);
    }
    if (running.size === 0) {
      failures.push(`circular workspace dependencies among ${pending.map((p) => p.name).join(", ")}`);
      break;
    }
    await Promise.race(running.values());
  }
  return failures;
}

/** One test of vitest's JSON report. */
export interface TestOutcome {
  readonly file: string;
  readonly fullName: string;
  readonly status: string;
  /** The JSON reporter's failure messages, then the messages of the errors' causes. */
  readonly failureMessages: readonly string[];
}

/** A test file of the report that failed as a whole (it did not load). */
export interface FileFailure {
  readonly file: string;
  readonly message: string;
}

export interface VitestReport {
  readonly tests: readonly TestOutcome[];
  readonly fileFailures: readonly FileFailure[];
}

interface JsonReport {
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
}

/**
 * Reads vitest's `--reporter=json` output, adding to each failed test the
 * messages of its errors' causes written by errorCausesReporter.ts.
 */
export function readVitestReport(jsonPath: string, causesPath: string, root: string): VitestReport {
  const json = JSON.parse(readFileSync(jsonPath, "utf8")) as JsonReport;
  const causes = new Map<string, readonly string[]>();
  if (existsSync(causesPath)) {
    for (const failed of JSON.parse(readFileSync(causesPath, "utf8")) as FailedTestErrors[]) {
      causes.set(`${relative(root, failed.file)}\0${failed.fullName}`, failed.messages);
    }
  }
  const tests: TestOutcome[] = [];
  const fileFailures: FileFailure[] = [];
  for (const file of json.testResults) {
    const name = relative(root, file.name);
    if (file.status === "failed" && file.assertionResults.length === 0) {
      fileFailures.push({ file: name, message: file.message ?? "" });
    }
    for (const t of file.assertionResults) {
      const messages = [...(t.failureMessages ?? []), ...(causes.get(`${name}\0${t.fullName}`) ?? [])];
      tests.push({ file: name, fullName: t.fullName, status: t.status, failureMessages: messages });
    }
  }
  return { tests, fileFailures };
}
