import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { Tensor, type Kernel, type KernelArg } from "@minitorch/tensor-core";
import { FastBackend, FastOps, SHARE_MIN, allocateStorage, isShared, pool, poolStats, setThreads, weigh, weighAll } from "../src/index.js";
import { onWorkers } from "./helpers.js";

const fixture = (name: string): URL => new URL(`./fixtures/${name}`, import.meta.url);

/** Runs a fixture script on the built packages in a fresh `node` and parses the JSON it prints. */
function runFixture<T>(file: string, args: string[] = [], env: Record<string, string> = {}, nodeFlags: string[] = []): T {
  const base = { ...process.env };
  delete base.MINITORCH_THREADS;
  delete base.MINITORCH_POISON;
  const run = spawnSync(process.execPath, [...nodeFlags, fileURLToPath(fixture(file)), ...args], {
    env: { ...base, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect({ status: run.status, signal: run.signal, stderr: run.stderr }).toEqual({ status: 0, signal: null, stderr: "" });
  return JSON.parse(run.stdout) as T;
}

async function sharedKernel(name: string): Promise<Kernel> {
  const module = fixture("sharedKernels.mjs").href;
  const exports = (await import(module)) as Record<string, (...args: KernelArg[]) => void>;
  return { name, module, fn: exports[name]! };
}

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("fast-ops storage", () => {
  it(`storage of at least SHARE_MIN (${SHARE_MIN}) elements is its own SharedArrayBuffer; smaller storage is a plain array`, () => {
    const big = allocateStorage(SHARE_MIN, true);
    const small = allocateStorage(SHARE_MIN - 1, true);
    expect(isShared(big)).toBe(true);
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(SHARE_MIN * 8);
    expect(isShared(small)).toBe(false);
    expect(isShared(FastOps.empty(5000))).toBe(true);
    expect(FastOps.zeros(5000).every((x) => x === 0)).toBe(true);
    // Two storages never share memory (nothing is pooled).
    const a = FastOps.zeros(4096);
    const b = FastOps.zeros(4096);
    expect(a.buffer).not.toBe(b.buffer);
  });

  it("workers see what the main thread wrote, and the main thread sees what workers wrote, in shared and copied storage", async () => {
    const kernel = await sharedKernel("plusOneKernel");
    const n = 100_000;
    const input = FastOps.empty(n);
    for (let i = 0; i < n; i++) input[i] = i * 0.5;
    const { out, owner } = await onWorkers(() => {
      const out = FastOps.empty(n);
      const owner = FastOps.zeros(n);
      pool.run(kernel, [out, owner, input], n);
      return { out, owner };
    }, poolStats);
    for (let i = 0; i < n; i++) if (out[i] !== i * 0.5 + 1) expect.fail(`element ${i}: got ${out[i]}, expected ${i * 0.5 + 1}`);
    expect(owner.some((x) => x === 1)).toBe(true);
    // A small unshared output travels through scratch and is copied back.
    const smallIn = Float64Array.from({ length: 100 }, (_, i) => i);
    const smallOut = new Float64Array(100);
    const smallOwner = new Float64Array(100);
    pool.run(kernel, [smallOut, smallOwner, smallIn], 100);
    expect(Array.from(smallOut)).toEqual(Array.from(smallIn, (x) => x + 1));
  });

  it("a storage that a worker used is not kept alive by the pool once the program drops it (collected by GC)", () => {
    const report = runFixture<{ collected: boolean; workerChunks: number }>("storageRelease.mjs", [], {}, ["--expose-gc"]);
    expect(report.workerChunks).toBeGreaterThan(0);
    expect(report.collected).toBe(true);
  });

  it("weigh hangs an ordinary buffer of the same length on a shared one; weighAll one of the summed length on a job's list (none on an empty list)", () => {
    const a = new SharedArrayBuffer(8 * 1024);
    const b = new SharedArrayBuffer(8 * 3000);
    const weight = (o: object): ArrayBufferLike | undefined => (o as { weight?: ArrayBufferLike }).weight;
    expect(weight(weigh(a))?.byteLength).toBe(8 * 1024);
    expect(weight(a)).toBeInstanceOf(ArrayBuffer);
    const job = [a, b];
    weighAll(job);
    expect(weight(job)?.byteLength).toBe(8 * 4024);
    const empty: SharedArrayBuffer[] = [];
    weighAll(empty);
    expect(weight(empty)).toBeUndefined();
  });

  it("a plain synchronous loop over 8 MB tensors that workers use stays lean: 150 steps (2.4 GB allocated) peak under 700 MB RSS", () => {
    const report = runFixture<{ peakRss: number; steps: number; check: number; workerChunks: number }>("bigTensorLoop.mjs", ["150"]);
    expect(report.check).toBe(150);
    expect(report.workerChunks).toBeGreaterThan(150);
    expect(report.peakRss / 2 ** 20).toBeLessThan(700);
  });

  it("MINITORCH_POISON=1 fills empty() storage with NaN (zeros() stays 0), so a kernel that skips an element shows NaN", () => {
    const report = runFixture<Record<string, boolean>>("poison.mjs", [], { MINITORCH_POISON: "1" });
    expect(report).toEqual({ poison: true, emptyLargeNaN: true, emptySmallNaN: true, zerosLarge: true, zerosSmall: true, skippedAreNaN: true });
    const plain = runFixture<Record<string, boolean>>("poison.mjs");
    expect(plain).toMatchObject({ poison: false, emptyLargeNaN: false, zerosLarge: true, skippedAreNaN: false });
  });

  it('MINITORCH_POISON=yes fails at import with a message naming the variable and the value', () => {
    const run = spawnSync(process.execPath, [fileURLToPath(fixture("poison.mjs"))], {
      env: { ...process.env, MINITORCH_POISON: "yes" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('RangeError: MINITORCH_POISON must be 1 or 0 (true or false), got "yes"');
  });

  it("a storage tensor over a view at an offset of a shared buffer reaches workers at that offset", async () => {
    const n = 50_000;
    const backing = FastOps.zeros(3 * n);
    for (let i = 0; i < 3 * n; i++) backing[i] = i;
    const middle = Tensor.fromStorage(backing.subarray(n, 2 * n), [n], undefined, FastBackend);
    const out = await onWorkers(() => FastBackend.negMap(middle), poolStats);
    expect(out.storage[0]).toBe(-n);
    expect(out.storage[n - 1]).toBe(-(2 * n - 1));
  });
});
