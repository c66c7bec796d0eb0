/**
 * How the Task 3.1 kernels reach the threads: CourseBackend's workers import
 * kernelLoops.ts and build its kernels there, so an error in a loop names
 * that file; MINITORCH_INLINE=1 keeps every kernel on the calling thread.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rand } from "@minitorch/tensor-core";
import { CourseBackend, CourseOps, FastBackend, courseLoops, fastLoops, poolStats, setThreads } from "../src/index.js";
import { onWorkers } from "./helpers.js";

describe("task3_1 kernels as modules", () => {
  it("CourseBackend's kernels come from kernelLoops, FastBackend's from the library's elementwise module", () => {
    // The module the test imported: the source .ts here, the built .js for a program.
    expect(courseLoops.module).toMatch(/\/kernelLoops\.(ts|js)$/);
    expect(courseLoops.map.name).toBe("tensorMap");
    expect(fastLoops.module).toMatch(/\/elementwise\.(ts|js)$/);
  });

  it("an error thrown inside a course map, on a worker or inline, names kernelLoops and a line", async () => {
    if (poolStats().threads < 2) setThreads(2);
    const explode = CourseOps.map((x) => {
      if (x > 0.25) throw new Error("too big");
      return x;
    });
    const small = rand([200_000], CourseBackend).mul(0.1);
    await onWorkers(() => explode(small), poolStats);
    let caught: unknown = null;
    try {
      explode(rand([200_000], CourseBackend));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    const error = caught as Error;
    expect(error.message).toMatch(/^fnMap: too big/);
    const where = `${error.message}\n${(error.cause as Error | undefined)?.stack ?? ""}`;
    expect(where).toMatch(/kernelLoops\.(ts|js):\d+:\d+/);
  });

  it("MINITORCH_INLINE=1 runs a 200,000-element zip on the calling thread: no parallel job", () => {
    const dist = new URL("../dist/index.js", import.meta.url).href;
    const script = `const m = await import(${JSON.stringify(dist)}); const a = m.FastBackend.ops.zeros(200000);
      const t = (await import("@minitorch/tensor-core")).fromArray(a, [200000], m.FastBackend);
      m.FastBackend.addZip(t, t); console.log(JSON.stringify({ inline: m.INLINE, jobs: m.poolStats().parallelJobs }));`;
    for (const [value, inline, jobs] of [["1", true, 0], ["0", false, 1]] as const) {
      const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: fileURLToPath(new URL("..", import.meta.url)),
        env: { ...process.env, MINITORCH_INLINE: value, MINITORCH_THREADS: "2" },
        encoding: "utf8",
      });
      expect(child.stderr).toBe("");
      expect(JSON.parse(child.stdout)).toEqual({ inline, jobs });
    }
    expect(FastBackend.ops.name).toBe("fast");
  });
});

describe("operatorKernels.ts", () => {
  it("is what scripts/gen-operator-kernels.mjs makes from autodiff's operators (rerun it after adding an operator)", () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const check = spawnSync(process.execPath, ["scripts/gen-operator-kernels.mjs", "--check"], { cwd: root, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});
