/**
 * Child process of the `inline` section's threshold sweep. The parent sets
 * MINITORCH_PARALLEL_MIN before this process starts (1e18: every op inline;
 * 0: every op that can be split goes to the pool) and passes the sizes and
 * sample counts as one JSON argument; this prints one JSON line with the
 * per-call times, at each size, of two FastBackend ops of cost 1 per element:
 *
 * - `zip`: addZip(a, b), which allocates its output (as every op does);
 * - `mapInto`: idMap(a, out) into a preallocated output, the kernel and its
 *   dispatch without allocation (fresh output pages cost page faults, which
 *   would otherwise weigh on both modes).
 */
import { FastBackend, PARALLEL_MIN_COST, poolStats } from "@minitorch/fast-ops";
import { rand, zeros } from "@minitorch/tensor-core";
import { SWEEP_KERNELS, type SweepKernel, type SweepRequest, type SweepResult } from "./sweepProtocol.js";
import { compare } from "./timing.js";

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2] ?? "{}") as SweepRequest;
  const result: SweepResult = {
    parallelMinCost: PARALLEL_MIN_COST,
    threads: poolStats().threads,
    samples: { zip: {}, mapInto: {} },
    parallelJobs: 0,
    workerChunks: 0,
  };
  for (const n of request.sizes) {
    const a = rand([n], FastBackend);
    const b = rand([n], FastBackend);
    const out = zeros([n], FastBackend);
    const runs: Record<SweepKernel, () => void> = {
      zip: () => {
        FastBackend.addZip(a, b);
      },
      mapInto: () => {
        FastBackend.idMap(a, out);
      },
    };
    const times: Record<SweepKernel, number[]> = { zip: [], mapInto: [] };
    const outcomes = await compare(
      SWEEP_KERNELS.map((kernel) => ({ name: kernel, run: runs[kernel] })),
      {
        samples: request.samples,
        warmupMs: request.warmupMs,
        targetSampleMs: request.targetSampleMs,
        budgetMs: Infinity,
        minSamples: request.samples,
        onSample: (t, kernel) => times[kernel as SweepKernel].push(t),
      },
    );
    for (const kernel of SWEEP_KERNELS) {
      const o = outcomes.get(kernel)!;
      if (!o.ok) throw new Error(`${kernel} n=${n}: ${o.reason}`);
      result.samples[kernel][String(n)] = times[kernel];
    }
  }
  const s = poolStats();
  result.parallelJobs = s.parallelJobs;
  result.workerChunks = s.workerChunks;
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

await main();
