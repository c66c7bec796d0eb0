/**
 * Section `inline`: what an op on a tiny tensor costs on FastBackend
 * compared with SimpleBackend (the requirement: on 16 elements, no more than
 * 2× SimpleOps), and the threshold sweep that justifies PARALLEL_MIN_COST:
 * the same addZip forced inline and forced parallel in child processes
 * (MINITORCH_PARALLEL_MIN=2^53 − 1 / 0), from 1e3 to 1e6 elements.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { FastBackend, PARALLEL_MIN_COST, SHARE_MIN } from "@minitorch/fast-ops";
import { SimpleBackend, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import type { BenchContext } from "../context.js";
import { timingFor } from "../config.js";
import { fmtMs, fmtRatio, rowsFor, type PlainTable, type Row, type SectionReport } from "../report.js";
import { SWEEP_KERNELS, type SweepKernel, type SweepRequest, type SweepResult } from "../sweepProtocol.js";
import { compare, median } from "../timing.js";
import { DEFAULT_THREADS, FAST, SIMPLE, fastVariant, restoreThreads } from "../variants.js";

const TINY_SIZES = [16, 64, 256, 1024, 4096, 16384];
const SWEEP_SIZES = [1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6];
/** The bound: an op on 16 elements costs at most this many times SimpleOps. */
const TINY_BOUND = 2;

interface TinyOp {
  name: string;
  shape: (n: number) => number[];
  run: (backend: TensorBackend, a: Tensor, b: Tensor) => unknown;
}

const TINY_OPS: TinyOp[] = [
  { name: "map exp", shape: (n) => [n], run: (k, a) => k.expMap(a) },
  { name: "zip add", shape: (n) => [n], run: (k, a, b) => k.addZip(a, b) },
  { name: "reduce sum(dim 1)", shape: (n) => [n / 16, 16], run: (k, a) => k.addReduce(a, 1) },
  { name: "Tensor a.add(b)", shape: (n) => [n], run: (_k, a, b) => a.add(b) },
];

function tinyRun(backend: TensorBackend, op: TinyOp, n: number): () => void {
  const a = rand(op.shape(n), backend);
  const b = rand(op.shape(n), backend);
  return () => {
    op.run(backend, a, b);
  };
}

async function tinyOps(ctx: BenchContext): Promise<{ rows: Row[]; worst16: Array<[string, number]> }> {
  const timing = timingFor(ctx.config, { warmupMs: 150, targetSampleMs: 3, budgetMs: 600 });
  const rows: Row[] = [];
  const worst16: Array<[string, number]> = [];
  for (const n of TINY_SIZES) {
    for (const op of TINY_OPS) {
      ctx.progress(`inline: ${op.name} n=${n}`);
      const outcomes = await compare(
        [{ name: SIMPLE, run: tinyRun(SimpleBackend, op, n) }, fastVariant(DEFAULT_THREADS, tinyRun(FastBackend, op, n))],
        timing,
      );
      const caseRows = rowsFor(`${op.name} n=${n}`, outcomes, SIMPLE);
      for (const r of caseRows) {
        if (r.variant !== FAST || r.ratio === null) continue;
        const cost = 1 / r.ratio;
        r.extra = { "cost / Simple": fmtRatio(cost), [`≤ ${TINY_BOUND}×`]: cost <= TINY_BOUND ? "yes" : "NO" };
        if (n === 16) worst16.push([op.name, cost]);
      }
      rows.push(...caseRows);
    }
  }
  return { rows, worst16 };
}

const execFileAsync = promisify(execFile);

async function runChild(parallelMin: string, request: SweepRequest): Promise<SweepResult> {
  const script = fileURLToPath(new URL("../sweepChild.js", import.meta.url));
  const { stdout } = await execFileAsync(process.execPath, [script, JSON.stringify(request)], {
    env: { ...process.env, MINITORCH_PARALLEL_MIN: parallelMin },
    maxBuffer: 16 * 2 ** 20,
  });
  const line = stdout.trim().split("\n").pop() ?? "";
  return JSON.parse(line) as SweepResult;
}

export interface Crossover {
  /** Smallest swept size from which forced-parallel is faster at every larger size, or null. */
  from: number | null;
  /** Largest swept size below it (where inline was still faster), or null. */
  below: number | null;
  /** Where inline/parallel crosses 1, interpolated on log scales between the two, or null. */
  interpolated: number | null;
}

export function crossover(sizes: readonly number[], speedup: readonly number[]): Crossover {
  let k = sizes.length;
  while (k > 0 && speedup[k - 1]! > 1) k--;
  if (k === sizes.length) return { from: null, below: sizes[sizes.length - 1]!, interpolated: null };
  if (k === 0) return { from: sizes[0]!, below: null, interpolated: null };
  const [s0, s1, r0, r1] = [sizes[k - 1]!, sizes[k]!, speedup[k - 1]!, speedup[k]!];
  const t = (0 - Math.log(r0)) / (Math.log(r1) - Math.log(r0));
  return { from: s1, below: s0, interpolated: Math.exp(Math.log(s0) + t * (Math.log(s1) - Math.log(s0))) };
}

const KERNEL_LABELS: Record<SweepKernel, string> = { zip: "addZip (allocates)", mapInto: "idMap into out" };

async function thresholdSweep(ctx: BenchContext): Promise<{ table: PlainTable; notes: string[]; data: Record<string, unknown> }> {
  const quick = ctx.config.quick;
  // Many short child processes rather than a few long ones: a burst of load from other processes then spoils few samples per size.
  const rounds = quick ? 1 : 6;
  const request: SweepRequest = { sizes: SWEEP_SIZES, samples: quick ? 3 : 4, warmupMs: quick ? 20 : 80, targetSampleMs: quick ? 1 : 3 };
  const modes = { inline: String(Number.MAX_SAFE_INTEGER), parallel: "0" } as const;
  type Mode = keyof typeof modes;
  const pooled: Record<Mode, Record<SweepKernel, Record<string, number[]>>> = {
    inline: { zip: {}, mapInto: {} },
    parallel: { zip: {}, mapInto: {} },
  };
  const jobs: Record<Mode, { parallelJobs: number; workerChunks: number; threads: number }> = {
    inline: { parallelJobs: 0, workerChunks: 0, threads: 0 },
    parallel: { parallelJobs: 0, workerChunks: 0, threads: 0 },
  };
  for (let r = 0; r < rounds; r++) {
    // A B B A …: neither mode always runs first.
    const order: Mode[] = r % 2 === 0 ? ["inline", "parallel"] : ["parallel", "inline"];
    for (const mode of order) {
      ctx.progress(`inline: threshold sweep, round ${r + 1}/${rounds}, ${mode} (MINITORCH_PARALLEL_MIN=${modes[mode]})`);
      const result = await runChild(modes[mode], request);
      for (const kernel of SWEEP_KERNELS) {
        for (const [size, times] of Object.entries(result.samples[kernel])) (pooled[mode][kernel][size] ??= []).push(...times);
      }
      jobs[mode].parallelJobs += result.parallelJobs;
      jobs[mode].workerChunks += result.workerChunks;
      jobs[mode].threads = result.threads;
    }
  }
  const rows: string[][] = [];
  const data: Array<Record<string, number>> = [];
  const speedups: Record<SweepKernel, number[]> = { zip: [], mapInto: [] };
  for (const n of SWEEP_SIZES) {
    const row = [String(n)];
    const record: Record<string, number> = { size: n };
    for (const kernel of SWEEP_KERNELS) {
      const inl = pooled.inline[kernel][String(n)]!;
      const par = pooled.parallel[kernel][String(n)]!;
      const [mi, mp] = [median(inl), median(par)];
      speedups[kernel].push(mi / mp);
      Object.assign(record, {
        [`${kernel}InlineMedianMs`]: mi,
        [`${kernel}InlineMinMs`]: Math.min(...inl),
        [`${kernel}ParallelMedianMs`]: mp,
        [`${kernel}ParallelMinMs`]: Math.min(...par),
        [`${kernel}Samples`]: inl.length,
      });
      row.push(fmtMs(mi), fmtMs(mp), fmtRatio(mi / mp));
    }
    rows.push(row);
    data.push(record);
  }
  const crossovers = { zip: crossover(SWEEP_SIZES, speedups.zip), mapInto: crossover(SWEEP_SIZES, speedups.mapInto) };
  const describe = (c: Crossover): string =>
    c.from === null
      ? `forced parallel was not faster at any swept size up to ${SWEEP_SIZES.at(-1)}`
      : c.below === null
        ? `forced parallel was faster at every swept size (from ${c.from})`
        : `crossover between ${c.below} and ${c.from} elements (log-interpolated ≈ ${Math.round(c.interpolated!)})`;
  const notes = [
    `Threshold sweep, ${KERNEL_LABELS.mapInto}: ${describe(crossovers.mapInto)}; ${KERNEL_LABELS.zip}: ${describe(crossovers.zip)}. ` +
      `Both ops count 1 cost unit per element, so the crossover size is the PARALLEL_MIN_COST this run suggests ` +
      `(the idMap-into-out one isolates dispatch against compute; addZip adds the allocation of a fresh output). ` +
      `The library's current PARALLEL_MIN_COST is ${PARALLEL_MIN_COST}.`,
    `Crossover = smallest swept size from which forced parallel has the lower median at every larger size; each cell is a median over ${rounds} ` +
      `round(s) × ${request.samples} samples from alternating child processes (${jobs.parallel.threads} threads); ` +
      `the forced-parallel children ran ${jobs.parallel.parallelJobs} pool jobs (${jobs.parallel.workerChunks} chunks done by workers), the forced-inline ones ${jobs.inline.parallelJobs}.`,
    `Below SHARE_MIN (${SHARE_MIN} elements) storage is a plain array that workers cannot see; forced parallel then copies it into shared memory first.`,
  ];
  const columns = ["elements"];
  for (const kernel of SWEEP_KERNELS) columns.push(`${KERNEL_LABELS[kernel]} inline ms`, "parallel ms", "inline / parallel");
  return {
    table: { title: "Threshold sweep: FastBackend forced inline vs forced parallel (child processes), median ms per call", columns, rows },
    notes,
    data: { sizes: data, crossovers, parallelMinCost: PARALLEL_MIN_COST, rounds, request, jobs },
  };
}

export async function inline(ctx: BenchContext): Promise<SectionReport> {
  await restoreThreads();
  const { rows, worst16 } = await tinyOps(ctx);
  const sweep = await thresholdSweep(ctx);
  const over = worst16.filter(([, c]) => c > TINY_BOUND);
  const summary = worst16.map(([name, c]) => `${name} ${fmtRatio(c)}×`).join(", ");
  return {
    name: "inline",
    tables: [{ title: "Tiny tensors: FastBackend vs SimpleBackend (ops run inline below the threshold)", reference: SIMPLE, rows, extraColumns: ["cost / Simple", `≤ ${TINY_BOUND}×`] }, sweep.table],
    notes: [
      `Requirement "an op on a 16-element tensor costs no more than ${TINY_BOUND}× SimpleOps": ${over.length === 0 ? "met" : "NOT met"} (Fast cost / Simple cost at 16 elements: ${summary}).`,
      "Ops are called on the backend (`backend.addZip(a, b)`); `Tensor a.add(b)` adds the autodiff Function overhead, the same for both backends.",
      ...sweep.notes,
    ],
    data: { tinyBound: TINY_BOUND, sixteen: Object.fromEntries(worst16), sweep: sweep.data },
  };
}
