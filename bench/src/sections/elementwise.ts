/**
 * Section `elementwise`: one map (exp), one zip (add) and one reduce (sum
 * over the last dimension) on contiguous [n/100, 100] tensors of 1e3, 1e5
 * and 1e6 elements — FastBackend (all threads) against SimpleBackend, with
 * tfjs-cpu and tfjs-wasm on the same ops. Backend kernels are called
 * directly (`backend.expMap(a)`), so the numbers are the ops' own cost
 * without autodiff bookkeeping.
 */
import { FastBackend } from "@minitorch/fast-ops";
import { GpuBackend } from "@minitorch/gpu-ops";
import { SimpleBackend, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import type { BenchContext } from "../context.js";
import { timingFor } from "../config.js";
import { rowsFor, type Row, type SectionReport } from "../report.js";
import { tfVariants, type Tf, type TfTensor } from "../tfjs.js";
import { compare, type Variant } from "../timing.js";
import { FAST, SIMPLE, fastVariant, gpuVariant, restoreThreads, DEFAULT_THREADS } from "../variants.js";

export const SIZES = [1e3, 1e5, 1e6];

interface Op {
  name: string;
  /** Floating-point operations per element, where the op has a natural count. */
  flopsPerElement?: number;
  ours: (backend: TensorBackend, a: Tensor, b: Tensor) => Tensor;
  tf: (tf: Tf, a: TfTensor, b: TfTensor) => TfTensor;
}

export const OPS: Op[] = [
  { name: "map exp", ours: (k, a) => k.expMap(a), tf: (tf, a) => tf.exp(a) },
  { name: "zip add", flopsPerElement: 1, ours: (k, a, b) => k.addZip(a, b), tf: (tf, a, b) => tf.add(a, b) },
  { name: "reduce sum(dim 1)", flopsPerElement: 1, ours: (k, a) => k.addReduce(a, 1), tf: (tf, a) => tf.sum(a, 1, true) },
];

/** The [n/100, 100] shape every op here runs on. */
export function shapeOf(n: number): [number, number] {
  return [n / 100, 100];
}

function oursVariant(backend: TensorBackend, op: Op, n: number): () => void {
  const a = rand(shapeOf(n), backend);
  const b = rand(shapeOf(n), backend);
  return () => {
    op.ours(backend, a, b);
  };
}

export async function elementwise(ctx: BenchContext): Promise<SectionReport> {
  const peers = await ctx.peers();
  await restoreThreads();
  const timing = timingFor(ctx.config, { warmupMs: 200, targetSampleMs: 4, budgetMs: 1500 });
  const rows: Row[] = [];
  for (const n of SIZES) {
    for (const op of OPS) {
      ctx.progress(`elementwise: ${op.name} n=${n.toExponential(0)}`);
      const variants: Variant[] = [
        { name: SIMPLE, run: oursVariant(SimpleBackend, op, n) },
        fastVariant(DEFAULT_THREADS, oursVariant(FastBackend, op, n)),
        gpuVariant(oursVariant(GpuBackend, op, n)),
        ...tfVariants(peers, (tf) => {
          const a = tf.randomUniform(shapeOf(n));
          const b = tf.randomUniform(shapeOf(n));
          return {
            run: () => op.tf(tf, a, b).dispose(),
            keep: [a, b],
          };
        }),
      ];
      const outcomes = await compare(variants, timing);
      const flops = op.flopsPerElement === undefined ? undefined : op.flopsPerElement * n;
      rows.push(...rowsFor(`${op.name} n=${n.toExponential(0)}`, outcomes, SIMPLE, flops));
    }
  }
  return {
    name: "elementwise",
    tables: [{ title: "Elementwise ops on contiguous [n/100, 100] tensors", reference: SIMPLE, rows, flops: true }],
    notes: [
      `${FAST} = FastBackend on ${DEFAULT_THREADS} threads; ratio column = Simple median / variant median (higher is faster).`,
      "minitorch computes in float64, tfjs in float32 (half the memory traffic); GpuBackend computes in float32 and converts from and to float64 storage on every op.",
      "GFLOP/s only for add and sum (1 flop per element); exp has no meaningful flop count.",
    ],
  };
}
