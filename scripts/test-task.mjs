#!/usr/bin/env node
// Runs exactly the tests of one course task (`task2_4`) or, with --module,
// of every task of one module (`4` → task4_1 … task4_5), through vitest's
// test-name filter. Every task's tests live in describe("taskM_T") blocks.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
const moduleMode = args[0] === "--module";
const target = moduleMode ? args[1] : args[0];
const pattern = moduleMode ? /^[0-4]$/ : /^task[0-4]_[1-5]b?$/;
if (target === undefined || !pattern.test(target)) {
  process.stderr.write(
    moduleMode
      ? `usage: pnpm test:module <m>   (m in 0..4), got ${target ?? "nothing"}\n`
      : `usage: pnpm test:task <taskM_T>   (e.g. task2_4), got ${target ?? "nothing"}\n`,
  );
  process.exit(2);
}
const filter = moduleMode ? `task${target}_` : `${target}\\b`;
const vitest = spawnSync("pnpm", ["exec", "vitest", "run", "-t", filter, ...args.slice(moduleMode ? 2 : 1)], {
  stdio: "inherit",
});
process.exit(vitest.status ?? 1);
