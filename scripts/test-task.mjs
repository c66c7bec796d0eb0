#!/usr/bin/env node
// Runs exactly the tests of one course task (`task2_4`) or, with --module,
// of every task of one module (`4` → task4_1 … task4_5): like minitorch's
// `pytest -m task4_1`, one command, that task's tests, seconds.
//
// - Only the test files holding the tag run (scripts/task-index.mjs finds
//   them in the code), with vitest's name filter on the tag inside them.
// - Nothing is built for the code under test: vitest and the worker threads
//   resolve every workspace package to its src/*.ts through the
//   "minitorch-source" export condition (MINITORCH_SOURCE=1: vitest.config.ts
//   sets it for vitest, and --conditions for Node's resolver in the threads).
//   What tests run from dist/ (a CLI spawned from apps/X/dist/main.js) is
//   built with turbo, quietly; fast-ops' WebAssembly is compiled if missing.
// - The output is scripts/task-reporter.mjs's: failures first with the
//   student's file and line, then one summary line.
// - A task whose tests need a GPU uses Chromium's SwiftShader when it is
//   installed and no driver was chosen, and says once how to get it if not.
//
//   pnpm test:task task4_1 [more vitest arguments]
//   pnpm test:module 4
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { taskIndex } from "./task-index.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const moduleMode = args[0] === "--module";
const target = moduleMode ? args[1] : args[0];
const pattern = moduleMode ? /^\d$/ : /^task\d_\d+b?$/;
if (target === undefined || !pattern.test(target)) {
  process.stderr.write(
    moduleMode
      ? `usage: pnpm test:module <m>   (e.g. 4), got ${target ?? "nothing"}\n`
      : `usage: pnpm test:task <taskM_T>   (e.g. task2_4), got ${target ?? "nothing"}\n`,
  );
  process.exit(2);
}
const extra = args.slice(moduleMode ? 2 : 1);

const index = taskIndex(root);
const tags = moduleMode ? [...index.keys()].filter((t) => t.startsWith(`task${target}_`)).sort() : [target];
const files = [...new Set(tags.flatMap((t) => index.get(t)?.files ?? []))].sort();
if (files.length === 0) {
  const known = [...index.keys()].sort().join(" ");
  process.stderr.write(`test:task: no test file holds ${moduleMode ? `a tag of module ${target}` : `the tag ${target}`}; tags in the code: ${known}\n`);
  process.exit(2);
}
const filter = `\\b(${tags.join("|")})\\b`;

/** Builds, through turbo and quietly, the workspace directories whose dist/ the tests run; exits on failure. */
function build(dirs) {
  if (dirs.length === 0) return;
  const names = dirs.map((dir) => JSON.parse(readFileSync(join(root, dir, "package.json"), "utf8")).name);
  const filters = names.flatMap((name) => ["--filter", name]);
  const r = spawnSync(process.execPath, [join(root, "scripts", "turbo.mjs"), "--quiet", "run", "build", ...filters], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** The newest modification time under dir (0 if absent). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  let t = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

build([...new Set(tags.flatMap((t) => [...(index.get(t)?.build ?? [])]))]);

// fast-ops' SIMD kernels are WebAssembly compiled from assembly/ (no student code):
// the source reads them from dist/simd/, so a fresh copy compiles them once (a few seconds).
const fastOps = join(root, "packages", "fast-ops");
const wasm = join(fastOps, "dist", "simd", "kernels.wasm");
if (!existsSync(wasm) || newest(join(fastOps, "assembly")) > statSync(wasm).mtimeMs) {
  process.stdout.write("compiling fast-ops' WebAssembly kernels (once)\n");
  const asc = spawnSync(join(fastOps, "node_modules", ".bin", "asc"), ["--config", "asconfig.json"], { cwd: fastOps, stdio: "inherit" });
  if (asc.status !== 0) process.exit(asc.status ?? 1);
}

const env = { ...process.env, MINITORCH_SOURCE: "1", MINITORCH_TASK_FILTER: filter };

const gpu = files.some((f) => f.startsWith("packages/gpu-ops/") || /\bgpu\b/i.test(f));
const swiftshader = "/usr/lib/chromium/vk_swiftshader_icd.json";
if (gpu && env.VK_ICD_FILENAMES === undefined) {
  if (existsSync(swiftshader)) {
    env.VK_ICD_FILENAMES = swiftshader;
    process.stdout.write(`GPU tests on SwiftShader (VK_ICD_FILENAMES=${swiftshader}).\n`);
  } else {
    process.stdout.write(
      "GPU tests need a WebGPU adapter. Without a GPU, install a software one: Chromium ships SwiftShader\n" +
        `  (sudo apt-get install chromium; then this script sets VK_ICD_FILENAMES=${swiftshader} itself).\n`,
    );
  }
}

const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const child = spawn(
  process.execPath,
  [vitest, "run", ...files, "-t", filter, `--reporter=${join(root, "scripts", "task-reporter.mjs")}`, ...extra],
  { cwd: root, env, stdio: ["inherit", "inherit", "pipe"] },
);
// The native WebGPU driver writes its warnings to stderr directly, once per
// device: each distinct line is shown once, and none for a task without GPU tests.
const seen = new Set();
let pending = "";
child.stderr.on("data", (chunk) => {
  pending += chunk.toString();
  const lines = pending.split("\n");
  pending = lines.pop() ?? "";
  for (const line of lines) {
    const vulkan = /^Warning: Vulkan /.test(line);
    if ((vulkan && !gpu) || (vulkan && seen.has(line))) continue;
    seen.add(line);
    process.stderr.write(`${line}\n`);
  }
});
child.on("close", (code) => {
  if (pending !== "") process.stderr.write(pending);
  process.exit(code ?? 1);
});
