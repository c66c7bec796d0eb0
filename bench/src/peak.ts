/**
 * The machine's float64 limit for the SIMD kernels, sampled beside the
 * kernels it judges: `peakLoop` (fast-ops assembly/peak.ts) runs the
 * micro-kernels' f64x2 multiplies and adds on L1-resident operands and
 * nothing else. Its variants join a comparison's rounds, so a kernel's
 * GFLOP/s and the peak it is read against are measured under the same load.
 */
import { FastBackend } from "@minitorch/fast-ops";
import { PEAK_FLOPS_PER_ITERATION, peakKernel } from "@minitorch/fast-ops/simd";
import type { BenchContext } from "./context.js";
import { timingFor } from "./config.js";
import { rowsFor, type Row, type SectionReport } from "./report.js";
import { compare, type Variant } from "./timing.js";
import { DEFAULT_THREADS, FAST, FAST_1T, fastVariant, restoreThreads } from "./variants.js";

/** Passes of one unit of the peak loop: a few milliseconds, long enough for every worker to wake and take its share. */
const PASSES = 9000;
/** Units per thread. */
const UNITS_PER_THREAD = 4;

export const PEAK = "fp64 peak";
export const PEAK_1T = "fp64 peak 1-thread";

/** Flops of one call of the peak variant on `threads` threads. */
export function peakFlops(threads: number): number {
  return UNITS_PER_THREAD * threads * PASSES * PEAK_FLOPS_PER_ITERATION;
}

function peakVariant(threads: number, name: string): Variant {
  const units = UNITS_PER_THREAD * threads;
  const run = (): void => FastBackend.runKernel(peakKernel, [PASSES], units, PASSES * PEAK_FLOPS_PER_ITERATION);
  return fastVariant(threads, run, { name, maxSamples: 8 });
}

/** The peak loop on all threads and on one (when the pool has more), as variants of a comparison. */
export function peakVariants(): Variant[] {
  const out = [peakVariant(DEFAULT_THREADS, PEAK)];
  if (DEFAULT_THREADS > 1) out.push(peakVariant(1, PEAK_1T));
  return out;
}

/** The peak variant a row is read against: one thread for "Fast 1-thread", all threads for the rest. */
function peakOf(variant: string): string {
  return variant === FAST_1T ? PEAK_1T : PEAK;
}

/**
 * Sets the peak rows' GFLOP/s (their own flops, not the case's) and gives
 * every float64 row of minitorch's an "of peak" column: its GFLOP/s over
 * the peak measured in the same comparison. tfjs rows (float32, whose
 * SIMD lanes hold twice as many values) and the reference get none.
 */
export function readAgainstPeak(rows: Row[], float64: readonly string[] = [FAST, FAST_1T]): void {
  const peaks = new Map<string, number>();
  for (const r of rows) {
    if (r.variant !== PEAK && r.variant !== PEAK_1T) continue;
    const threads = r.variant === PEAK ? DEFAULT_THREADS : 1;
    r.gflops = r.outcome.ok ? peakFlops(threads) / (r.outcome.stats.medianMs * 1e6) : null;
    r.ratio = null;
    if (r.gflops !== null) peaks.set(r.variant, r.gflops);
  }
  for (const r of rows) {
    const peak = peaks.get(peakOf(r.variant));
    if (!float64.includes(r.variant) || r.gflops === null || peak === undefined) continue;
    r.extra = { ...r.extra, "of peak": `${Math.round((100 * r.gflops) / peak)}%` };
  }
}

/** Section `peak`: the fp64 peak loop alone, on all threads and on one. */
export async function peak(ctx: BenchContext): Promise<SectionReport> {
  ctx.progress("peak: fp64 SIMD loop");
  const timing = timingFor(ctx.config, { rounds: 4, warmupMs: 200, targetSampleMs: 10, budgetMs: 1500 });
  const variants = peakVariants().map((v) => ({ ...v, maxSamples: undefined }));
  const rows = rowsFor("fp64 peak loop", await compare(variants, timing), PEAK);
  readAgainstPeak(rows);
  await restoreThreads();
  const perThread = rows.map((r) => (r.gflops === null ? "–" : (r.gflops / (r.variant === PEAK ? DEFAULT_THREADS : 1)).toFixed(1)));
  for (const [i, r] of rows.entries()) r.extra = { "GFLOP/s per thread": perThread[i]! };
  return {
    name: "peak",
    tables: [{ title: "The float64 limit of the SIMD kernels' instruction mix", reference: PEAK, rows, flops: true, extraColumns: ["GFLOP/s per thread"] }],
    notes: [
      "peakLoop (fast-ops assembly/peak.ts): the 4×4 micro-kernel's f64x2 multiplies and adds (Node 20's WebAssembly has no FMA) on operands loaded from L1, " +
        "with no store, no cache miss and no bookkeeping — the most these kernels' instruction mix can do on this machine, measured.",
      `${PEAK} runs ${4} units per thread on all ${DEFAULT_THREADS} threads of the pool; ${PEAK_1T} on the main thread alone. The matmul and conv sections sample both again beside every case.`,
    ],
  };
}
