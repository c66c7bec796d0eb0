/**
 * Section `conv`: conv2d at LeNet's sizes and a heavier one, conv1d at
 * Kim-CNN's sizes; forward alone and forward + backward (input and weight
 * gradients). FastBackend (WebAssembly SIMD kernels; all threads, one
 * thread), PlainBackend (the implicit GEMM in plain TypeScript),
 * CourseBackend (Tasks 4.1/4.2's direct loops on the pool), SimpleBackend
 * (the same loops inline: the reference), tfjs-cpu and tfjs-wasm, with the
 * fp64 peak loop sampled in the same rounds.
 *
 * minitorch's convolution keeps the input size and reads zeros past the
 * bottom/right edge; tfjs gets the input padded by (k − 1) at the bottom
 * and right beforehand and convolves 'valid', so both do the same
 * multiply-adds: 2·B·Cout·H·W·Cin·KH·KW per forward, 3× that with backward.
 */
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { GpuBackend } from "@minitorch/gpu-ops";
import { SimpleBackend, rand, type Dtype, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import type { BenchContext } from "../context.js";
import { timingFor } from "../config.js";
import { peakVariants, readAgainstPeak } from "../peak.js";
import { rowsFor, type Row, type SectionReport } from "../report.js";
import { missingKernels, tfVariants, workaroundNote, type Tf, type TfTensor, type TfTensor3D, type TfTensor4D, type TfWork } from "../tfjs.js";
import { compare, type Variant } from "../timing.js";
import { COURSE, DEFAULT_THREADS, FAST, FAST_1T, PLAIN, SIMPLE, courseVariant, fastVariants, gpuVariant, plainVariant, restoreThreads } from "../variants.js";

/** A convolution case: conv2d when `height` is set, else conv1d. */
export interface ConvCase {
  name: string;
  batch: number;
  inChannels: number;
  outChannels: number;
  height?: number;
  width: number;
  kh?: number;
  kw: number;
}

export const CONV_CASES: ConvCase[] = [
  { name: "conv2d LeNet-1 B16 1→4 28×28 k3×3", batch: 16, inChannels: 1, outChannels: 4, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv2d LeNet-2 B16 4→8 28×28 k3×3", batch: 16, inChannels: 4, outChannels: 8, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv2d heavy B16 32→64 28×28 k3×3", batch: 16, inChannels: 32, outChannels: 64, height: 28, width: 28, kh: 3, kw: 3 },
  { name: "conv1d Kim B10 100→100 W52 k3", batch: 10, inChannels: 100, outChannels: 100, width: 52, kw: 3 },
  { name: "conv1d Kim B10 100→100 W52 k4", batch: 10, inChannels: 100, outChannels: 100, width: 52, kw: 4 },
  { name: "conv1d Kim B10 100→100 W52 k5", batch: 10, inChannels: 100, outChannels: 100, width: 52, kw: 5 },
];

/** Multiply-add flops of one forward pass (2 per multiply-add). */
export function forwardFlops(c: ConvCase): number {
  return 2 * c.batch * c.outChannels * (c.height ?? 1) * c.width * c.inChannels * (c.kh ?? 1) * c.kw;
}

function inputShape(c: ConvCase): number[] {
  return c.height === undefined ? [c.batch, c.inChannels, c.width] : [c.batch, c.inChannels, c.height, c.width];
}

function weightShape(c: ConvCase): number[] {
  return c.height === undefined ? [c.outChannels, c.inChannels, c.kw] : [c.outChannels, c.inChannels, c.kh!, c.kw];
}

function ours(backend: TensorBackend, c: ConvCase, backward: boolean, dtype: Dtype = "float64"): () => void {
  const conv = c.height === undefined ? conv1d : conv2d;
  const x = rand(inputShape(c), { backend, dtype });
  const w = rand(weightShape(c), { backend, dtype });
  if (!backward) {
    return () => {
      conv(x, w);
    };
  }
  x.requiresGrad_(true);
  w.requiresGrad_(true);
  const out = [c.batch, c.outChannels, ...(c.height === undefined ? [] : [c.height]), c.width];
  const grad: Tensor = rand(out, { backend, dtype });
  return () => {
    x.zeroGrad_();
    w.zeroGrad_();
    conv(x, w).backward(grad);
  };
}

/** The same convolution in tfjs: NHWC / NWC layouts, input pre-padded bottom/right, 'valid'. */
function peer(tf: Tf, c: ConvCase, backward: boolean): TfWork {
  let x: TfTensor;
  let f: TfTensor;
  let dy: TfTensor;
  let conv: (x: TfTensor, f: TfTensor) => TfTensor;
  if (c.height === undefined) {
    x = tf.randomUniform([c.batch, c.width + c.kw - 1, c.inChannels]);
    f = tf.randomUniform([c.kw, c.inChannels, c.outChannels]);
    dy = tf.randomUniform([c.batch, c.width, c.outChannels]);
    conv = (a, b) => tf.conv1d(a as TfTensor3D, b as TfTensor3D, 1, "valid");
  } else {
    x = tf.randomUniform([c.batch, c.height + c.kh! - 1, c.width + c.kw - 1, c.inChannels]);
    f = tf.randomUniform([c.kh!, c.kw, c.inChannels, c.outChannels]);
    dy = tf.randomUniform([c.batch, c.height, c.width, c.outChannels]);
    conv = (a, b) => tf.conv2d(a as TfTensor4D, b as TfTensor4D, 1, "valid");
  }
  if (!backward) return { run: () => conv(x, f).dispose(), keep: [x, f, dy] };
  const gradients = tf.grads((a: TfTensor, b: TfTensor) => conv(a, b));
  return {
    run: () => {
      for (const g of gradients([x, f], dy)) g.dispose();
    },
    keep: [x, f, dy],
  };
}

/**
 * Skips variants whose rate measured on an earlier case of this run
 * predicts a call longer than `limitMs` (tfjs-cpu's filter gradient runs at
 * a few MFLOP/s: the heavy case would take minutes per call).
 */
export class RateGuard {
  private best = new Map<string, { gflops: number; caseName: string }>();

  constructor(private readonly limitMs: number) {}

  apply(variants: Variant[], mode: string, flops: number): void {
    for (const v of variants) {
      const r = this.best.get(`${v.name} ${mode}`);
      if (r === undefined || v.unavailable !== undefined) continue;
      const ms = flops / (r.gflops * 1e6);
      if (ms > this.limitMs) {
        v.unavailable = `skipped: ≈ ${(ms / 1000).toFixed(0)} s per call expected from its ${r.gflops.toPrecision(2)} GFLOP/s on ${r.caseName}`;
      }
    }
  }

  record(rows: Row[], mode: string): void {
    for (const r of rows) {
      if (r.gflops === null) continue;
      const key = `${r.variant} ${mode}`;
      const known = this.best.get(key);
      if (known === undefined || r.gflops > known.gflops) this.best.set(key, { gflops: r.gflops, caseName: r.case });
    }
  }
}

export async function conv(ctx: BenchContext): Promise<SectionReport> {
  const peers = await ctx.peers();
  const rows: Row[] = [];
  const guard = new RateGuard(ctx.config.quick ? 1000 : 20_000);
  for (const backward of [false, true]) {
    for (const c of CONV_CASES) {
      const mode = backward ? "fwd+bwd" : "fwd";
      ctx.progress(`conv: ${c.name} ${mode}`);
      const flops = forwardFlops(c) * (backward ? 3 : 1);
      const timing = timingFor(ctx.config, { rounds: 4, warmupMs: 250, targetSampleMs: 10, budgetMs: 2500, slowMs: 4000 });
      const variants: Variant[] = [
        { name: SIMPLE, run: ours(SimpleBackend, c, backward) },
        ...fastVariants(ours(FastBackend, c, backward)),
        // FastBackend's float32 (f32x4 kernels), named apart from the float64 rows.
        ...fastVariants(ours(FastBackend, c, backward, "float32")).map((v) => ({ ...v, name: `${v.name} float32` })),
        plainVariant(ours(PlainBackend, c, backward)),
        courseVariant(ours(CourseBackend, c, backward)),
        gpuVariant(ours(GpuBackend, c, backward)),
        ...tfVariants(peers, (tf) => peer(tf, c, backward)),
        ...peakVariants(),
      ];
      guard.apply(variants, mode, flops);
      const caseRows = rowsFor(`${c.name} ${mode}`, await compare(variants, timing), SIMPLE, flops);
      readAgainstPeak(caseRows, [FAST, FAST_1T, PLAIN, COURSE]);
      guard.record(caseRows, mode);
      rows.push(...caseRows);
    }
  }
  await restoreThreads();
  const gradKernels = ["Conv2DBackpropInput", "Conv2DBackpropFilter"];
  const wasmMissing = missingKernels(peers, "wasm", gradKernels);
  const cpuMissing = missingKernels(peers, "cpu", gradKernels);
  return {
    name: "conv",
    tables: [{ title: "Convolution, forward and forward + backward", reference: SIMPLE, rows, flops: true, extraColumns: ["of peak"] }],
    notes: [
      `Fast = FastBackend (WebAssembly SIMD kernels, f64x2) on ${DEFAULT_THREADS} threads; Fast 1-thread = setThreads(1) in the same run; ` +
        `Plain = PlainBackend on ${DEFAULT_THREADS} threads (the implicit GEMM in plain TypeScript); ` +
        `Course = CourseBackend on ${DEFAULT_THREADS} threads (Tasks 4.1/4.2's direct loops); Simple runs those loops inline on one thread.`,
      "GFLOP/s: forward 2·B·Cout·H·W·Cin·KH·KW; fwd+bwd counts 3× that (input gradient and weight gradient each cost one forward).",
      `fp64 peak = the SIMD kernels' multiply-add mix on L1-resident operands and nothing else (fast-ops assembly/peak.ts), sampled in the same rounds as each case; ` +
        `"of peak" reads a float64 row against it (Fast 1-thread against the one-thread peak).`,
      "tfjs: NHWC (conv2d) / NWC (conv1d) layouts, input pre-padded by k−1 at the bottom/right (outside the timed call) and convolved 'valid', " +
        "so the multiply-adds match minitorch's top-left-anchored convolution; float32. fwd+bwd uses tf.grads for input and filter gradients.",
      ...workaroundNote(peers),
      ...(wasmMissing.length > 0 ? [`tfjs-wasm has no ${wasmMissing.join(", ")} kernel, so it can only do the forward pass (fwd+bwd rows are n/a).`] : []),
      ...(cpuMissing.length > 0 ? [`tfjs-cpu lacks ${cpuMissing.join(", ")}.`] : []),
      "GPU: GpuBackend (float32) on the adapter its row names; a software adapter such as SwiftShader emulates a GPU on these CPU cores and says nothing about a real GPU.",
      `A variant whose best rate so far in this run predicts more than ${ctx.config.quick ? 1 : 20} s per call is skipped (the note says so); one whose first call takes more than ${ctx.config.quick ? 1 : 4} s runs once.`,
    ],
  };
}
