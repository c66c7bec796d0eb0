/**
 * Issue 26, row 14: GpuBackend inside a user's worker thread printed Mesa's
 * "error: XDG_RUNTIME_DIR is invalid or not set" on every run. Each case
 * runs a fresh Node process on the BUILT package, as a user's program would,
 * with no display session in its environment, and reads everything it prints.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import { describeGpu } from "./helpers.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const gpuOps = resolve(root, "dist/index.js");
const tensorCore = resolve(root, "../tensor-core/dist/index.js");

/** The user's worker: sums a tensor on the GPU and prints the result. */
const workerBody = `
const { tensor } = await import(${JSON.stringify(tensorCore)});
const { GpuBackend } = await import(${JSON.stringify(gpuOps)});
console.log("sum " + tensor([1, 2, 3.5], GpuBackend).sum().toArray()[0]);
`;

// Programs are files: a worker started from a `node -e` program never starts.
const dir = mkdtempSync(join(tmpdir(), "minitorch-row14-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let programs = 0;

function runUserProgram(main: string): { output: string; status: number | null } {
  const file = join(dir, `program${programs++}.mjs`);
  writeFileSync(file, main);
  const env = { ...process.env };
  delete env.XDG_RUNTIME_DIR;
  delete env.NODEVICE_SELECT;
  const run = spawnSync(process.execPath, [file], { env, encoding: "utf8", timeout: 60_000 });
  return { output: `${run.stdout}${run.stderr}`, status: run.status };
}

describeGpu("row 14: GpuBackend in a user's worker thread is quiet", () => {
  it("a worker started with env: SHARE_ENV, the library never imported on the main thread", () => {
    const { output, status } = runUserProgram(`
      import { Worker, SHARE_ENV } from "node:worker_threads";
      new Worker(${JSON.stringify(workerBody)}, { eval: true, env: SHARE_ENV });
    `);
    expect(status).toBe(0);
    expect(output.trim()).toBe("sum 6.5");
  });

  it("an ordinary worker, started by a program that imports the library on its main thread", () => {
    const { output, status } = runUserProgram(`
      import { Worker } from "node:worker_threads";
      await import(${JSON.stringify(gpuOps)});
      new Worker(${JSON.stringify(workerBody)}, { eval: true });
    `);
    expect(status).toBe(0);
    expect(output.trim()).toBe("sum 6.5");
  });

  it("importing the library leaves a display session's environment alone", () => {
    const run = spawnSync(
      process.execPath,
      ["--input-type=module", "-e", `await import(${JSON.stringify(gpuOps)}); console.log(process.env.NODEVICE_SELECT ?? "unset");`],
      { env: { ...process.env, XDG_RUNTIME_DIR: "/run/user/1000", NODEVICE_SELECT: undefined }, encoding: "utf8" },
    );
    expect(run.stdout.trim()).toBe("unset");
  });
});
