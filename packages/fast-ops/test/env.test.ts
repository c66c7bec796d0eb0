/**
 * The kernel modules and the inline switch (env.ts): given code, not the
 * student's, so outside the task3_1 tag, whose tests all fail on Task 3.1's
 * stubs. The inline test runs the built package in a child process.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { FastBackend, courseLoops, fastLoops } from "../src/index.js";

describe("kernel modules", () => {
  it("CourseBackend's kernels come from kernelLoops, FastBackend's from the library's elementwise module", () => {
    // The module the test imported: the source .ts here, the built .js for a program.
    expect(courseLoops.module).toMatch(/\/kernelLoops\.(ts|js)$/);
    expect(courseLoops.map.name).toBe("tensorMap");
    expect(fastLoops.module).toMatch(/\/elementwise\.(ts|js)$/);
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
