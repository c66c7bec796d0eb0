#!/usr/bin/env node
/**
 * `node bench/dist/simd/micro.js [--only peak,matmul,conv] [--match text] [--reps n]`:
 * the WebAssembly SIMD kernels against the plain-TypeScript kernels,
 * kernel by kernel, on all threads and on one. Each comparison runs its
 * variants interleaved in one process (bench/src/timing.ts) and reports
 * medians as GFLOP/s and as a fraction of the fp64 peak loop, which is
 * sampled in the same rounds (the machine is shared: load changes).
 *
 * Convolution passes: forward (input ⋆ weight), input gradient (grad ⋆
 * reverse-anchored weightᵀ) and weight gradient; the plain-TS weight
 * gradient is minitorch's formulation (a convolution with in_channels as
 * its batch), the SIMD one a batch-split GEMM (fast-conv src/simd/).
 */
import os from "node:os";
import { convolveKernel, type Operand4 } from "@minitorch/fast-conv";
import { convWeightGradSimd, convolveSimd, weightGradSplit } from "@minitorch/fast-conv/simd";
import { FastBackend, PlainBackend, poolStats, shutdown } from "@minitorch/fast-ops";
import { PEAK_FLOPS_PER_ITERATION, peakKernel, simdMatrixMultiply } from "@minitorch/fast-ops/simd";
import { emptyTensor, rand, type Tensor } from "@minitorch/tensor-core";
import { compare, type CompareOptions, type Variant } from "../timing.js";
import { DEFAULT_THREADS, fastVariant, restoreThreads } from "../variants.js";

type Strides4 = [number, number, number, number];

interface ConvCase {
  name: string;
  batch: number;
  inChannels: number;
  outChannels: number;
  height: number;
  width: number;
  kh: number;
  kw: number;
}

const CONV_CASES: ConvCase[] = [
  { name: "conv2d LeNet-1 B16 1→4 28×28 k3×3", batch: 16, inChannels: 1, outChannels: 4, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv2d LeNet-2 B16 4→8 28×28 k3×3", batch: 16, inChannels: 4, outChannels: 8, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv2d heavy B16 32→64 28×28 k3×3", batch: 16, inChannels: 32, outChannels: 64, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv1d Kim B10 100→100 W52 k3", batch: 10, inChannels: 100, outChannels: 100, height: 1, width: 52, kh: 1, kw: 3 },
  { name: "conv1d Kim B10 100→100 W52 k4", batch: 10, inChannels: 100, outChannels: 100, height: 1, width: 52, kh: 1, kw: 4 },
  { name: "conv1d Kim B10 100→100 W52 k5", batch: 10, inChannels: 100, outChannels: 100, height: 1, width: 52, kh: 1, kw: 5 },
];

const MATMUL_SIZES = [64, 256, 1024];

function operand(t: Tensor, order: readonly [number, number, number, number] = [0, 1, 2, 3]): Operand4 {
  const s = t.strides;
  return { storage: t.storage, strides: order.map((i) => s[i]!) as Strides4 };
}

function geometry(c: ConvCase, batch: number, inChannels: number, outChannels: number, outHeight: number, outWidth: number, kh: number, kw: number) {
  return { batch, inChannels, height: c.height, width: c.width, outChannels, kh, kw, outHeight, outWidth };
}

/** The three passes of one case, each as TS and SIMD closures. */
function convPasses(c: ConvCase): Array<{ pass: string; ts: () => void; simd: () => void }> {
  const B = FastBackend;
  const { batch, inChannels: C, outChannels: O, height: H, width: W, kh: KH, kw: KW } = c;
  const x = rand([batch, C, H, W], B);
  const w = rand([O, C, KH, KW], B);
  const dy = rand([batch, O, H, W], B);
  const out = emptyTensor([batch, O, H, W], B, "float64");
  const dx = emptyTensor([batch, C, H, W], B, "float64");
  const dwT = emptyTensor([C, O, KH, KW], B, "float64");
  const dw = emptyTensor([O, C, KH, KW], B, "float64");
  const fwd = geometry(c, batch, C, O, H, W, KH, KW);
  // The split is chosen for the pool's size when the pass runs (all threads or one).
  const partials = emptyTensor([2 * DEFAULT_THREADS * O * C * KH * KW], B, "float64").storage as Float64Array;
  const bwd = geometry(c, batch, O, C, H, W, KH, KW);
  // minitorch's weight gradient: conv of inputᵀ [C, B, H, W] with gradᵀ [O, B, H, W] into [C, O, KH, KW].
  const wgTs = { batch: C, inChannels: batch, height: H, width: W, outChannels: O, kh: H, kw: W, outHeight: KH, outWidth: KW };
  const run = (k: typeof convolveKernel, args: ReturnType<typeof tsArgs>, work: number, cost: number) => B.runKernel(k, args, work, cost);
  const tsArgs = (o: Operand4, i: Operand4, wt: Operand4, g: typeof fwd, reverse: boolean) => [
    o.storage,
    Int32Array.from(o.strides),
    i.storage,
    Int32Array.from(i.strides),
    wt.storage,
    Int32Array.from(wt.strides),
    Int32Array.of(g.batch, g.inChannels, g.height, g.width, g.outChannels, g.kh, g.kw, g.outHeight, g.outWidth, reverse ? 1 : 0),
  ];
  const flopsPerBatch = (g: typeof fwd) => 2 * g.outChannels * g.outHeight * g.outWidth * g.inChannels * g.kh * g.kw;
  return [
    {
      pass: "forward",
      ts: () => run(convolveKernel, tsArgs(operand(out), operand(x), operand(w), fwd, false), batch, flopsPerBatch(fwd)),
      simd: () => convolveSimd(B, operand(out), operand(x), operand(w), fwd, false, poolStats().threads),
    },
    {
      pass: "input grad",
      ts: () => run(convolveKernel, tsArgs(operand(dx), operand(dy), operand(w, [1, 0, 2, 3]), bwd, true), batch, flopsPerBatch(bwd)),
      simd: () => convolveSimd(B, operand(dx), operand(dy), operand(w, [1, 0, 2, 3]), bwd, true, poolStats().threads),
    },
    {
      pass: "weight grad",
      ts: () => run(convolveKernel, tsArgs(operand(dwT), operand(x, [1, 0, 2, 3]), operand(dy, [1, 0, 2, 3]), wgTs, false), C, flopsPerBatch(wgTs)),
      simd: () => convWeightGradSimd(B, operand(dw), operand(x), operand(dy), fwd, weightGradSplit(fwd, poolStats().threads), partials),
    },
  ];
}

function convFlops(c: ConvCase): number {
  return 2 * c.batch * c.outChannels * c.height * c.width * c.inChannels * c.kh * c.kw;
}

interface Options {
  only: Set<string>;
  reps: number;
  /** Only cases whose name contains this (e.g. "heavy", "Kim", "1024"). */
  match: string;
}

function parse(argv: readonly string[]): Options {
  const o: Options = { only: new Set(["peak", "matmul", "conv"]), reps: 15, match: "" };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--only") o.only = new Set(argv[++i]!.split(","));
    else if (argv[i] === "--reps") o.reps = Number(argv[++i]);
    else if (argv[i] === "--match") o.match = argv[++i]!;
    else throw new Error(`micro: unknown option ${argv[i]} (use --only peak,matmul,conv, --match <text in a case name> and --reps n)`);
  }
  return o;
}

const fmt = (x: number): string => x.toFixed(1);

async function timeVariants(variants: Variant[], o: Options): Promise<Map<string, number>> {
  const opts: CompareOptions = { samples: o.reps, rounds: o.reps, warmupMs: 200, targetSampleMs: 20, budgetMs: 1500 };
  const results = await compare(variants, opts);
  const ms = new Map<string, number>();
  for (const [name, r] of results) {
    if (!r.ok) throw new Error(`${name}: ${r.reason}`);
    ms.set(name, r.stats.medianMs);
    ms.set(`best ${name}`, r.stats.minMs);
  }
  return ms;
}

/** Passes of one peak-loop unit (a few milliseconds: long enough for every worker to wake and take its share). */
const PEAK_ITERATIONS = 9000;
/** Peak-loop units per thread. */
const PEAK_UNITS = 4;

/** The peak loop on `threads` threads (PEAK_UNITS units per thread), as a variant named `peak <threads>`. */
function peakVariant(threads: number): Variant {
  const units = PEAK_UNITS * threads;
  return fastVariant(threads, () => FastBackend.runKernel(peakKernel, [PEAK_ITERATIONS], units, PEAK_ITERATIONS * PEAK_FLOPS_PER_ITERATION), {
    name: `peak ${threads}`,
  });
}

/** GFLOP/s of a peak variant's median time (`best` = its fastest sample). */
function peakRate(ms: Map<string, number>, threads: number, best = false): number {
  return (PEAK_UNITS * threads * PEAK_ITERATIONS * PEAK_FLOPS_PER_ITERATION) / ms.get(`${best ? "best " : ""}peak ${threads}`)! / 1e6;
}

/**
 * TS and SIMD variants of one piece of work on all threads and on one,
 * with the peak loop on the same thread counts sampled in the same rounds
 * (so "of peak" compares numbers taken under the same load).
 */
function variantsOf(ts: () => void, simd: () => void): Variant[] {
  const variants: Variant[] = [];
  for (const threads of DEFAULT_THREADS > 1 ? [DEFAULT_THREADS, 1] : [1]) {
    variants.push(fastVariant(threads, ts, { name: `ts ${threads}` }));
    variants.push(fastVariant(threads, simd, { name: `simd ${threads}` }));
    variants.push(peakVariant(threads));
  }
  return variants;
}

async function main(): Promise<void> {
  const o = parse(process.argv.slice(2));
  const lines: string[] = [];
  const print = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  print(`# SIMD kernels vs plain-TS kernels (GFLOP/s, medians; ${DEFAULT_THREADS} threads and 1)`);
  print(`\n${new Date().toISOString()}, node ${process.version}, ${os.cpus()[0]?.model ?? "cpu"}, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const T = DEFAULT_THREADS;
  print(
    `\nPeak = the fp64 peak loop (the micro-kernels' f64x2 multiplies and adds on L1-resident operands, nothing else: fast-ops assembly/peak.ts), sampled in the same rounds as each row, so "of peak" compares numbers taken under the same load.\n`,
  );
  print(`Medians, and the fastest sample ("best", the least disturbed by other processes) for SIMD on ${T} threads and its peak.\n`);
  const header = `| case | pass | TS ${T}t | SIMD ${T}t | SIMD/TS | TS 1t | SIMD 1t | SIMD 1t of peak 1t | SIMD ${T}t best | peak ${T}t best | best of peak |`;
  const rule = "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  /** One table row from the times of variantsOf(...) for work of `flops`. */
  const row = (name: string, pass: string, flops: number, ms: Map<string, number>): string => {
    const g = (v: string) => flops / ms.get(v)! / 1e6;
    const bestSimd = g(`best simd ${T}`);
    const bestPeak = peakRate(ms, T, true);
    return (
      `| ${name} | ${pass} | ${fmt(g(`ts ${T}`))} | ${fmt(g(`simd ${T}`))} | ${(g(`simd ${T}`) / g(`ts ${T}`)).toFixed(1)}× | ${fmt(g("ts 1"))} | ${fmt(g("simd 1"))} | ` +
      `${Math.round((100 * g("simd 1")) / peakRate(ms, 1))}% | ${fmt(bestSimd)} | ${fmt(bestPeak)} | ${Math.round((100 * bestSimd) / bestPeak)}% |`
    );
  };
  if (o.only.has("peak")) {
    const ms = await timeVariants([peakVariant(T), peakVariant(1)], o);
    print(`fp64 peak: ${fmt(peakRate(ms, 1))} GFLOP/s on one thread, ${fmt(peakRate(ms, T))} on ${T} (best samples ${fmt(peakRate(ms, 1, true))} and ${fmt(peakRate(ms, T, true))})\n`);
  }
  if (o.only.has("matmul")) {
    print(header);
    print(rule);
    for (const n of MATMUL_SIZES) {
      if (!`matmul ${n}×${n}`.includes(o.match)) continue;
      const a = rand([n, n], FastBackend);
      const b = rand([n, n], FastBackend);
      const [pa, pb] = [rand([n, n], PlainBackend), rand([n, n], PlainBackend)];
      const ms = await timeVariants(
        variantsOf(
          () => void pa.matmul(pb),
          () => void simdMatrixMultiply(a, b),
        ),
        o,
      );
      print(row(`matmul ${n}×${n}`, "—", 2 * n ** 3, ms));
    }
    print("");
  }
  if (o.only.has("conv")) {
    print(header);
    print(rule);
    for (const c of CONV_CASES) {
      if (!c.name.includes(o.match)) continue;
      const totals = new Map<string, number>();
      for (const p of convPasses(c)) {
        const ms = await timeVariants(variantsOf(p.ts, p.simd), o);
        for (const [k, v] of ms) totals.set(k, (totals.get(k) ?? 0) + (k.includes("peak") ? v / 3 : v));
        print(row(c.name, p.pass, convFlops(c), ms));
      }
      print(row(c.name, "**fwd+bwd**", 3 * convFlops(c), totals));
    }
  }
  print(`\nload average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  await restoreThreads();
  console.error(`pool: ${JSON.stringify(poolStats())}`);
  await shutdown();
}

await main();
