/**
 * Section `matmul`: square float64 matrix products n × n · n × n at 64, 256
 * and 1024 — FastBackend (SIMD packed GEMM) on all threads and on one,
 * PlainBackend (the same GEMM in plain TypeScript), CourseBackend (Task
 * 3.2's kernel), SimpleBackend (the reference), tfjs-cpu and tfjs-wasm
 * (float32), with the fp64 peak loop sampled in the same rounds. GFLOP/s =
 * 2n³ / time.
 */
import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { GpuBackend } from "@minitorch/gpu-ops";
import { SimpleBackend, rand, type Dtype, type TensorBackend } from "@minitorch/tensor-core";
import type { BenchContext } from "../context.js";
import { timingFor } from "../config.js";
import { rowsFor, type Row, type SectionReport } from "../report.js";
import { peakVariants, readAgainstPeak } from "../peak.js";
import { tfVariants } from "../tfjs.js";
import { compare, type Variant } from "../timing.js";
import { COURSE, DEFAULT_THREADS, FAST, FAST_1T, PLAIN, SIMPLE, courseVariant, fastVariants, gpuVariant, plainVariant, restoreThreads } from "../variants.js";
import { RateGuard } from "./conv.js";

export const MATMUL_SIZES = [64, 256, 1024];

function product(backend: TensorBackend, n: number, dtype: Dtype = "float64"): () => void {
  const a = rand([n, n], { backend, dtype });
  const b = rand([n, n], { backend, dtype });
  return () => {
    a.matmul(b);
  };
}

export async function matmul(ctx: BenchContext): Promise<SectionReport> {
  const peers = await ctx.peers();
  const rows: Row[] = [];
  const notes: string[] = [];
  // A slow adapter (a software GPU) would take minutes at 1024: skipped by its rate at the smaller sizes.
  const guard = new RateGuard(ctx.config.quick ? 1000 : 20_000);
  for (const n of MATMUL_SIZES) {
    ctx.progress(`matmul: ${n}×${n}`);
    const big = n >= 1024;
    // Thread switches cost a worker restart, so variants take turns in a few blocks rather than sample by sample.
    const timing = timingFor(ctx.config, { rounds: 4, warmupMs: 300, targetSampleMs: 10, budgetMs: big ? 8000 : 2500, minSamples: big ? 2 : 3 });
    const simple: Variant = { name: SIMPLE, run: product(SimpleBackend, n) };
    if (big && ctx.config.quick) simple.unavailable = "skipped in --quick (seconds per call)";
    const variants: Variant[] = [
      simple,
      ...fastVariants(product(FastBackend, n)),
      // FastBackend's float32 (f32x4 kernels), named apart from the float64 rows.
      ...fastVariants(product(FastBackend, n, "float32")).map((v) => ({ ...v, name: `${v.name} float32` })),
      plainVariant(product(PlainBackend, n)),
      courseVariant(product(CourseBackend, n)),
      gpuVariant(product(GpuBackend, n)),
      ...tfVariants(peers, (tf) => {
        const a = tf.randomUniform([n, n]);
        const b = tf.randomUniform([n, n]);
        return { run: () => tf.matMul(a, b).dispose(), keep: [a, b] };
      }),
      ...peakVariants(),
    ];
    guard.apply(variants.filter((v) => v.name.startsWith("GPU")), "matmul", 2 * n ** 3);
    const outcomes = await compare(variants, timing);
    const caseRows = rowsFor(`${n}×${n}`, outcomes, SIMPLE, 2 * n ** 3);
    readAgainstPeak(caseRows, [FAST, FAST_1T, PLAIN, COURSE]);
    guard.record(caseRows, "matmul");
    for (const r of caseRows) {
      const over = r.outcome.ok ? r.outcome.stats.singleRunOverMs : undefined;
      if (r.variant === SIMPLE && over !== undefined) {
        notes.push(`SimpleBackend at ${n}×${n}: one call took more than ${over / 1000} s, so it ran once and was not repeated.`);
      }
    }
    rows.push(...caseRows);
  }
  await restoreThreads();
  return {
    name: "matmul",
    tables: [{ title: "Square matrix product n×n · n×n", reference: SIMPLE, rows, flops: true, extraColumns: ["of peak"] }],
    notes: [
      `Fast = FastBackend on ${DEFAULT_THREADS} threads (WebAssembly SIMD micro-kernel, f64x2); Fast 1-thread = setThreads(1) in the same run (restored after); ` +
        `Plain = PlainBackend on ${DEFAULT_THREADS} threads (the same packed GEMM in plain TypeScript); ` +
        `Course = CourseBackend on ${DEFAULT_THREADS} threads (Task 3.2's kernel: one dot product per output element).`,
      "minitorch: float64; tfjs-cpu and tfjs-wasm: float32 (twice the SIMD width and half the memory traffic of float64); GpuBackend: float32 on the GPU named in its row.",
      `GFLOP/s = 2n³ / median time. fp64 peak = the SIMD kernels' multiply-add mix on L1-resident operands and nothing else (fast-ops assembly/peak.ts), ` +
        `sampled in the same rounds as each case; "of peak" reads a float64 row against it (Fast 1-thread against the one-thread peak).`,
      ...notes,
    ],
  };
}
