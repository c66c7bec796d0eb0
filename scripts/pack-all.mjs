#!/usr/bin/env node
// Packs every public package of the workspace (those without "private": true)
// into one directory, as npm would fetch them from a registry:
//
//   pnpm pack:all --out DIR        (builds them first, quietly)
//
// then, in any npm project:  npm install DIR/*.tgz
//
// pnpm pack rewrites the workspace:* ranges to the packed versions; this
// checks it did, and that every tarball carries LICENSE, package.json's
// license, repository and engines, and its dist/.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PNPM = join(ROOT, "node_modules/pnpm/bin/pnpm.cjs");

/** The workspace's public packages: { name, version, dir }, in directory order. */
export function publicPackages() {
  const dirs = ["packages", "apps", "tools"].flatMap((top) =>
    existsSync(join(ROOT, top)) ? readdirSync(join(ROOT, top)).map((d) => join(ROOT, top, d)) : [],
  );
  dirs.push(join(ROOT, "bench"));
  return dirs
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
    .filter(({ pkg }) => pkg.private !== true)
    .map(({ dir, pkg }) => ({ name: pkg.name, version: pkg.version, dir }));
}

/** The problems of one packed package.json and file list (empty when none). */
function problems(name, manifest, files) {
  const out = [];
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith("workspace:")) out.push(`${field}.${dep} is still "${range}"`);
    }
  }
  if (manifest.license !== "MIT") out.push(`license is ${JSON.stringify(manifest.license)}, not "MIT"`);
  if (typeof manifest.description !== "string" || manifest.description === "") out.push("no description");
  if (typeof manifest.repository?.url !== "string") out.push("no repository.url");
  if (typeof manifest.engines?.node !== "string") out.push("no engines.node");
  if (!files.includes("package/LICENSE")) out.push("no LICENSE in the tarball");
  if (!files.some((f) => f.startsWith("package/dist/"))) out.push("no dist/ in the tarball (not built?)");
  return out.map((p) => `${name}: ${p}`);
}

/**
 * Builds (unless `build` is false) and packs every public package into
 * `outDir`; returns [{ name, version, file, bytes }]. Throws when a tarball
 * fails the checks above.
 */
export function packAll(outDir, { build = true } = {}) {
  const packages = publicPackages();
  mkdirSync(outDir, { recursive: true });
  if (build) {
    const filters = packages.flatMap((p) => ["--filter", p.name]);
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/turbo.mjs"), "--quiet", "run", "build", ...filters], { cwd: ROOT, stdio: "inherit" });
    if (r.status !== 0) throw new Error(`pack:all: the build failed (exit ${r.status})`);
  }
  const packed = [];
  const errors = [];
  for (const p of packages) {
    const output = execFileSync(process.execPath, [PNPM, "pack", "--pack-destination", outDir], {
      cwd: p.dir,
      encoding: "utf8",
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    const file = output.trim().split("\n").pop().trim();
    if (!file.endsWith(".tgz") || !existsSync(file)) throw new Error(`pack:all: pnpm pack in ${p.dir} printed no tarball:\n${output}`);
    const files = execFileSync("tar", ["-tzf", file], { encoding: "utf8" }).trim().split("\n");
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", file, "package/package.json"], { encoding: "utf8" }));
    errors.push(...problems(p.name, manifest, files));
    packed.push({ name: p.name, version: p.version, file, bytes: readFileSync(file).length, files: files.length });
  }
  if (errors.length > 0) throw new Error(`pack:all: ${errors.length} problem(s):\n  ${errors.join("\n  ")}`);
  return packed;
}

function main() {
  const args = process.argv.slice(2);
  let out;
  let build = true;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--out" && i + 1 < args.length) out = args[++i];
    else if (args[i].startsWith("--out=")) out = args[i].slice("--out=".length);
    else if (args[i] === "--no-build") build = false;
    else {
      process.stderr.write(`pack:all: unknown argument "${args[i]}"\nusage: pnpm pack:all --out DIR [--no-build]\n`);
      process.exit(2);
    }
  }
  if (out === undefined) {
    process.stderr.write("pack:all: --out DIR is required\nusage: pnpm pack:all --out DIR [--no-build]\n");
    process.exit(2);
  }
  // pnpm runs scripts in the workspace root; a relative --out means the caller's directory.
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), out);
  try {
    const packed = packAll(dir, { build });
    for (const p of packed) console.log(`${p.file}  ${(p.bytes / 1024).toFixed(1)} KiB, ${p.files} files`);
    console.log(`${packed.length} packages packed into ${dir}; in an npm project: npm install ${join(dir, "*.tgz")}`);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
