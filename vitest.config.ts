import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = dirname(fileURLToPath(import.meta.url));

// The development copy of SST-2 lives outside the repository; .ci/run and
// developers may point elsewhere with MINITORCH_SST2_DIR.
const sst2 = process.env.MINITORCH_SST2_DIR ?? resolve(root, "../shared/data/sst2");

// `pnpm test:task` (scripts/test-task.mjs) sets MINITORCH_SOURCE=1: every
// workspace package then resolves through its "minitorch-source" export
// condition to src/*.ts, so a student's edit is tested without a build (the
// test processes run with Node's --conditions=minitorch-source, which their
// worker threads inherit; a program a test spawns from dist/ does not).
const sourceConditions = process.env.MINITORCH_SOURCE === "1" ? ["minitorch-source", "module", "node", "development|production"] : undefined;

export default defineConfig({
  ...(sourceConditions === undefined ? {} : { resolve: { conditions: sourceConditions }, ssr: { resolve: { conditions: sourceConditions } } }),
  test: {
    ...(sourceConditions === undefined ? {} : { execArgv: ["--conditions=minitorch-source"], includeTaskLocation: true }),
    include: ["packages/*/test/**/*.test.ts", "apps/*/test/**/*.test.ts", "tools/*/test/**/*.test.ts"],
    testTimeout: 60_000,
    // The JSON report feeds the per-task summary of .ci/run (scripts/task-report.mjs).
    reporters: ["default", "json"],
    outputFile: { json: "test-output/vitest.json" },
    hookTimeout: 120_000,
    env: {
      MINITORCH_SST2_DIR: existsSync(sst2) ? sst2 : "",
    },
  },
});
