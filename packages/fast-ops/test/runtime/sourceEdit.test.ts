/**
 * `vitest run` sees an edit to a kernel without a build: the workers import
 * the TypeScript source the test imported (through tsx's loader), helpers
 * included. A kernel module and the helper it imports are written as .ts
 * in a fresh directory (no built copy exists), a vitest run computes with
 * them on worker threads, the helper is edited, and a second run computes
 * with the edit.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../../", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "minitorch-source-edit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const kernelSource = `import { isMainThread } from "node:worker_threads";
import { stamp } from "./stamp.js";

/** Writes the helper's stamp into [start, end), on whichever thread runs it. */
export function stampKernel(out: Float64Array, start: number, end: number): void {
  // The main thread dawdles, so that a worker claims chunks too.
  const until: number = isMainThread ? Date.now() + 20 : 0;
  while (Date.now() < until);
  for (let i = start; i < end; i++) out[i] = stamp();
}
`;

/** Runs the fixture under vitest and returns the distinct values the kernel wrote. */
function runVitest(): number[] {
  const env: NodeJS.ProcessEnv = { ...process.env, SOURCE_EDIT_KERNEL: pathToFileURL(join(dir, "kernel.ts")).href };
  for (const key of Object.keys(env)) if (key.startsWith("VITEST") || key === "NODE_OPTIONS") delete env[key];
  const vitest = join(root, "node_modules/vitest/vitest.mjs");
  const r = spawnSync(process.execPath, [vitest, "run", "--config", "packages/fast-ops/test/fixtures/sourceEdit/vitest.config.ts"], {
    cwd: root,
    env,
    encoding: "utf8",
    timeout: 120_000,
  });
  const line = /STAMPS (\[.*\]) workerChunks>0/.exec(r.stdout);
  if (line === null) throw new Error(`the fixture run printed no stamps (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line[1]!) as number[];
}

describe("workers run the source under test", () => {
  it("a kernel helper edited between two vitest runs computes with the edit on the workers, with no build", () => {
    // An ES module package, as every package of the repository is.
    writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
    writeFileSync(join(dir, "kernel.ts"), kernelSource);
    writeFileSync(join(dir, "stamp.ts"), "export const stamp = (): number => 1;\n");
    expect(runVitest()).toEqual([1]);
    writeFileSync(join(dir, "stamp.ts"), "export const stamp = (): number => 2;\n");
    expect(runVitest()).toEqual([2]);
  }, 240_000);
});
