#!/usr/bin/env node
// The student's loop, measured: in a fresh student copy (`pnpm scaffold
// --module M`, installed offline from this checkout's store), for each task,
// an edit to the file holding the task's code (a comment appended, as a
// student saving a change), then `pnpm test:task <tag>`, timed from the edit
// to its exit, with the lines it printed. The first try of a fresh copy also
// builds fast-ops' WebAssembly once: it is reported apart, as "warm-up".
// Figures go to docs/benchmarks.md with this command; take them on a quiet machine.
//
//   node scripts/task-loop-bench.mjs [--module 4] [--runs 3] [task4_1 task3_1 task4_4 task3_3]
import { spawnSync } from "node:child_process";
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value;
};
const module = Number(option("--module", "4"));
const runs = Number(option("--runs", "3"));
const tasks = args.length > 0 ? args : ["task4_1", "task3_1", "task4_4", "task3_3"];
if (!Number.isInteger(module) || !Number.isInteger(runs) || runs < 1) {
  process.stderr.write("usage: node scripts/task-loop-bench.mjs [--module M] [--runs N] [taskM_T …]\n");
  process.exit(2);
}

const sh = (command, cwd, env = process.env) => {
  const r = spawnSync(command[0], command.slice(1), { cwd, env, encoding: "utf8", maxBuffer: 64 << 20 });
  return { code: r.status ?? 1, output: `${r.stdout ?? ""}${r.stderr ?? ""}` };
};
const must = (r, what) => {
  if (r.code !== 0) {
    process.stderr.write(`${what} failed (exit ${r.code}):\n${r.output.slice(-3000)}\n`);
    process.exit(1);
  }
  return r;
};

// The file holding each task's code: the scaffold's own task list, from the source.
must(sh([process.execPath, "scripts/turbo.mjs", "--quiet", "run", "build", "--filter", "@minitorch/scaffold"], root), "building the scaffold");
const list = must(sh([process.execPath, "tools/scaffold/dist/main.js", "--list"], root), "scaffold --list").output;
const fileOf = new Map();
let current = null;
for (const line of list.split("\n")) {
  const task = /^Task (\d+\.\d+b?):/.exec(line);
  if (task) current = `task${task[1].replace(".", "_")}`;
  const file = /^\s+(\S+\.ts)\s/.exec(line);
  if (file && current && !fileOf.has(current) && !file[1].includes("/test/")) fileOf.set(current, file[1]);
}

const tmp = mkdtempSync(join(tmpdir(), "minitorch-loop-bench-"));
const copy = join(tmp, "copy");
try {
  must(sh([process.execPath, "tools/scaffold/dist/main.js", "--module", String(module), "--out", copy], root), "scaffold");
  const env = { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: "0", COREPACK_INTEGRITY_KEYS: "0" };
  const pnpm = join(root, "node_modules", "pnpm", "bin", "pnpm.cjs");
  must(sh([process.execPath, pnpm, "install", "--offline", "--frozen-lockfile"], copy, env), "pnpm install in the copy");
  const tryTask = (tag) => {
    const file = fileOf.get(tag);
    if (file) appendFileSync(join(copy, file), "\n// edited\n");
    const t0 = performance.now();
    const r = sh([process.execPath, pnpm, "test:task", tag], copy, env);
    const seconds = (performance.now() - t0) / 1000;
    const lines = r.output.split("\n").filter((l) => l !== "").length;
    const summary = r.output.split("\n").findLast((l) => /^(passed|FAILED): /.test(l)) ?? "(no summary line)";
    return { seconds, lines, summary };
  };
  const warm = tryTask(tasks[0]);
  process.stdout.write(`Module ${module} copy; warm-up (first try, builds fast-ops' WebAssembly): ${tasks[0]} ${warm.seconds.toFixed(1)} s\n`);
  process.stdout.write("task      median s  min s   max s   lines  summary\n");
  for (const tag of tasks) {
    const tries = Array.from({ length: runs }, () => tryTask(tag));
    const times = tries.map((t) => t.seconds).sort((a, b) => a - b);
    const last = tries.at(-1);
    process.stdout.write(
      `${tag.padEnd(9)} ${times[Math.floor(times.length / 2)].toFixed(1).padStart(8)}  ${times[0].toFixed(1).padStart(5)}  ${times.at(-1).toFixed(1).padStart(6)}  ${String(last.lines).padStart(5)}  ${last.summary}\n`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
