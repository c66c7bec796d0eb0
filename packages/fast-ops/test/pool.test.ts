import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, rand, type Kernel, type KernelArg } from "@minitorch/tensor-core";
import { FastBackend, FastOps, pool, poolStats, setThreads } from "../src/index.js";
import { expectSameTensor, onWorkers } from "./helpers.js";

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A kernel from a fixture module: the main thread calls its export, workers import it. */
async function fixtureKernel(file: string, name: string): Promise<Kernel> {
  const module = fixture(file).href;
  const exports = (await import(module)) as Record<string, (...args: KernelArg[]) => void>;
  return { name, module, fn: exports[name]! };
}

/** Runs `kernel` over 1000 units until a run throws (the workers import the module first); returns that error. */
async function firstFailure(kernel: Kernel, out: Float64Array | Float32Array): Promise<Error> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline; await sleep(20)) {
    try {
      pool.run(kernel, [out], 1000);
    } catch (e) {
      return e as Error;
    }
  }
  throw new Error(`${kernel.name} never failed on a worker within 5 s: ${JSON.stringify(poolStats())}`);
}

/** A big op whose result is checked, run until workers take part: the pool works. */
async function expectPoolWorks(): Promise<void> {
  const values = rand([200_000]).toFloat64Array();
  const fast = fromArray(values, [200_000], FastBackend);
  const out = await onWorkers(() => FastBackend.expMap(fast), poolStats);
  expectSameTensor(out, SimpleBackend.expMap(fromArray(values, [200_000])));
}

/** Runs a fixture script in a fresh `node`; FastOps settings come from `env` only. */
function runScript(file: string, env: Record<string, string> = {}) {
  const base = { ...process.env };
  delete base.MINITORCH_THREADS;
  const started = Date.now();
  const result = spawnSync(process.execPath, [fileURLToPath(fixture(file))], {
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: 10_000,
  });
  return { ...result, ms: Date.now() - started };
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("fast-ops faults", () => {
  it("a kernel that throws makes the op throw an Error naming the kernel, and the pool still works", async () => {
    const explode = (x: number): number => {
      if (x > 0.5) throw new Error("boom");
      return x;
    };
    const explodeMap = FastOps.map(explode);
    const big = rand([200_000], FastBackend);
    await expectPoolWorks();
    expect(() => explodeMap(big)).toThrow(/^explodeMap: boom(\n\s+at .*)*$/);
    expect(() => explodeMap(big.permute(0))).toThrow(/^explodeMap: boom(\n\s+at .*)*$/);
    // Values at most 0.5 never throw: the same kernel works again.
    const halves = big.mul(0.5);
    expectSameTensor(explodeMap(halves), halves);
    await expectPoolWorks();
  });

  it("a kernel that throws in a worker: the error crosses to the main thread with the kernel's name and its file and line", async () => {
    const kernel = await fixtureKernel("throwKernel.mjs", "throwKernel");
    await expectPoolWorks();
    const error = await firstFailure(kernel, FastOps.zeros(4096));
    expect(error.message).toMatch(/^throwKernel: boom in a worker at \[\d+, \d+\)\n\s+at throwKernel \(\S*\/throwKernel\.mjs:\d+:\d+\)\n/);
    await expectPoolWorks();
  });

  it("a worker that exits during an op makes it throw (no hang), the pool restarts and the next op works", async () => {
    const kernel = await fixtureKernel("exitKernel.mjs", "exitKernel");
    await expectPoolWorks();
    expect(poolStats().workersAlive).toBeGreaterThan(0);
    const restarts = poolStats().restarts;
    const error = await firstFailure(kernel, FastOps.zeros(4096));
    expect(error.message).toBe("exitKernel: a FastOps worker exited during the operation; the pool was restarted");
    expect(poolStats().restarts).toBe(restarts + 1);
    await expectPoolWorks();
    expect(poolStats().workersAlive).toBeGreaterThan(0);
  });

  it("a program that runs parallel ops and never calls shutdown() exits by itself with code 0", () => {
    const run = runScript("runOps.mjs");
    expect(run.error).toBeUndefined();
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    const report = JSON.parse(run.stdout) as { ok: boolean; stats: { workerChunks: number; parallelJobs: number } };
    expect(report.ok).toBe(true);
    expect(report.stats.parallelJobs).toBeGreaterThan(0);
    expect(report.stats.workerChunks).toBeGreaterThan(0);
    expect(run.ms).toBeLessThan(10_000);
  });

  it("a program in which a worker died exits by itself with code 0, after a correct op on the restarted pool", () => {
    const run = runScript("workerDies.mjs");
    expect(run.error).toBeUndefined();
    expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
    const report = JSON.parse(run.stdout) as { message: string | null; ok: boolean; stats: { restarts: number } };
    expect(report.message).toMatch(/^exitKernel: a FastOps worker exited during the operation/);
    expect(report.ok).toBe(true);
    expect(report.stats.restarts).toBe(1);
  });

  it("MINITORCH_THREADS=1 means no workers: every op runs on the main thread, with correct results", () => {
    const run = runScript("runOps.mjs", { MINITORCH_THREADS: "1" });
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      stats: { threads: number; workersAlive: number; parallelJobs: number; inlineJobs: number; workerChunks: number };
    };
    expect(report.ok).toBe(true);
    expect(report.stats).toMatchObject({ threads: 1, workersAlive: 0, parallelJobs: 0, workerChunks: 0 });
    // Ops big enough for the pool went to it and ran inline.
    expect(report.stats.inlineJobs).toBeGreaterThan(0);
  });

  it('MINITORCH_THREADS=abc fails at import with a message naming the variable, the range and the value', () => {
    for (const bad of ["abc", "0", "2.5"]) {
      const run = runScript("runOps.mjs", { MINITORCH_THREADS: bad });
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain(`RangeError: MINITORCH_THREADS must be an integer in [1, 65], got "${bad}"`);
      expect(run.stdout).toBe("");
    }
  });

  it("setThreads rejects a thread count that is not an integer in [1, 65]", () => {
    expect(() => setThreads(0)).toThrow(/^setThreads: threads must be an integer in \[1, 65\], got 0$/);
    expect(() => setThreads(1.5)).toThrow(/got 1\.5$/);
    expect(poolStats().threads).toBeGreaterThanOrEqual(2);
  });

  it("bad input is rejected at the op boundary, naming the op and the shapes, before any worker wakes", () => {
    const a = rand([1000, 300], FastBackend);
    const b = rand([1000, 200], FastBackend);
    const before = poolStats();
    expect(() => FastBackend.addZip(a, b)).toThrow(/^add: cannot broadcast shapes \[1000, 300\] and \[1000, 200\]$/);
    expect(() => a.mul(b)).toThrow(/cannot broadcast shapes \[1000, 300\] and \[1000, 200\]/);
    expect(() => FastBackend.negMap(a, b)).toThrow(/^neg: cannot broadcast shapes \[1000, 300\] and \[1000, 200\]$/);
    expect(() => FastBackend.addReduce(a, 2)).toThrow(/^add reduce: dim must be an integer in \[0, 2\) for shape \[1000, 300\], got 2$/);
    expect(() => a.matmul(b)).toThrow(/^matmul: inner dimensions must match, got \[1000, 300\] @ \[1000, 200\] \(300 vs 1000\)$/);
    const after = poolStats();
    expect(after.parallelJobs).toBe(before.parallelJobs);
    expect(after.inlineJobs).toBe(before.inlineJobs);
    expect(after.workerChunks).toBe(before.workerChunks);
  });
});

describe("fast-ops faults (inline)", () => {
  it("a kernel that throws on a tensor too small for the pool names the kernel too", () => {
    const tinyBoom = FastOps.map(function tinyBoom(x: number) {
      if (x >= 0) throw new Error("small boom");
      return x;
    });
    expect(() => tinyBoom(fromArray([1, 2, 3], [3], FastBackend))).toThrow(/^tinyBoomMap: small boom$/);
  });
});
