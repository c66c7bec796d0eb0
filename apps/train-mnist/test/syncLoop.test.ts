import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

interface Report {
  rssAfterWarmup: number;
  peakRss: number;
  steps: number;
  finite: boolean;
  medianMs: number;
  workerChunks: number;
}

describe("LeNet in a plain synchronous loop (no await, no event-loop turn)", () => {
  it("300 FastBackend steps with real workers: RSS grows by less than 150 MB after warm-up and stays under 600 MB", () => {
    const script = fileURLToPath(new URL("./fixtures/syncLoop.mjs", import.meta.url));
    const env = { ...process.env };
    delete env.MINITORCH_THREADS;
    const run = spawnSync(process.execPath, [script, "300"], { env: { ...env, MINITORCH_THREADS: "2" }, encoding: "utf8", timeout: 120_000 });
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    const report = JSON.parse(run.stdout) as Report;
    expect(report.finite).toBe(true);
    // The workers took part (before the storage rewrite, this loop reached 2.5 GB after 250 steps).
    expect(report.workerChunks).toBeGreaterThan(report.steps);
    expect((report.peakRss - report.rssAfterWarmup) / 2 ** 20).toBeLessThan(150);
    expect(report.peakRss / 2 ** 20).toBeLessThan(600);
  });
});
