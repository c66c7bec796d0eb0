/**
 * Section `train`: one SGD training step of each app's network, exactly as
 * the apps' loops do it — make the batch, input requiring a gradient,
 * forward, loss, backward, loss value, SGD step — timed one by one with an
 * event-loop turn between steps (untimed); then FastBackend's step and
 * tfjs-wasm's in plain synchronous loops with no turn at all (syncLoop.ts),
 * with RSS. LeNet: batch 16 of 28×28 images (pixels 0..255), NLL loss.
 * Kim-CNN: batch 10 of 52 × 100-d embeddings, BCE loss. FastBackend (SIMD
 * kernels, all threads), PlainBackend (plain-TypeScript
 * kernels), SimpleBackend (the reference, fewer steps), tfjs-cpu and
 * tfjs-wasm running the same networks. Last, FastBackend in float64 and
 * float32 against torch (float64 and float32, one and two threads) in
 * alternating blocks of one run (sameRun.ts), when /usr/bin/python3 has torch.
 */
import { FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { SGD, bceLoss, nllLoss } from "@minitorch/nn";
import { SimpleBackend, type Dtype, type TensorBackend } from "@minitorch/tensor-core";
import { LeNet, makeBatch } from "@minitorch/train-mnist";
import { KimCNN, sentimentBatch } from "@minitorch/train-sentiment";
import type { BenchContext } from "../context.js";
import { timingFor } from "../config.js";
import { rowsFor, type Row, type SectionReport } from "../report.js";
import { missingKernels, peerName, tfVariant, workaroundNote, type Peers, type Tf, type TfWork } from "../tfjs.js";
import { compare, type Variant } from "../timing.js";
import { DEFAULT_THREADS, FAST, SIMPLE, fastVariant, plainVariant, restoreThreads } from "../variants.js";
import { startTorch } from "../torchPeer.js";
import { sameRunTable, type SameRunCase } from "./sameRun.js";
import { syncLoopTable, type LoopCase } from "./syncLoop.js";
import { kimData, mnistData, type KimData, type MnistData } from "./trainData.js";
import { tfKim, tfLeNet } from "./trainTf.js";

/** The apps' learning rate. */
const LR = 0.01;

interface Network {
  name: string;
  /** Why tfjs-cpu does not run this network in --quick (seconds per step), if it does not. */
  quickSkipsCpu?: string;
  /** Steps in one epoch of the app (for seconds per epoch). */
  stepsPerEpoch: number;
  /** Steps timed for FastBackend and tfjs, and at most for SimpleBackend. */
  steps: number;
  /** Steps of each plain-loop measurement (sync loop, turn per step). */
  loopSteps: number;
  /** Steps of each variant in the same-run table against torch, and torch's name for the network. */
  torchSteps: number;
  torchNet: SameRunCase["net"];
  simpleSteps: number;
  ours: (backend: TensorBackend, dtype?: Dtype) => () => void;
  peer: (tf: Tf) => TfWork;
}

function leNetStep(data: MnistData): (backend: TensorBackend, dtype?: Dtype) => () => void {
  return (backend, dtype = "float64") => {
    const model = new LeNet({ backend, dtype });
    const optim = new SGD(model.parameters(), LR);
    let step = 0;
    return () => {
      const { x, y } = makeBatch(data.split, (step++ % data.batches) * data.batch, data.batch, { backend, dtype });
      x.requiresGrad_(true);
      const loss = nllLoss(model.forward(x), y);
      loss.backward();
      loss.item();
      optim.step();
    };
  };
}

function kimStep(data: KimData): (backend: TensorBackend, dtype?: Dtype) => () => void {
  return (backend, dtype = "float64") => {
    const model = new KimCNN({ backend, dtype, embeddingSize: data.dim, featureMapSize: data.features });
    const optim = new SGD(model.parameters(), LR);
    let step = 0;
    return () => {
      const { x, y } = sentimentBatch(data.split, (step++ % data.batches) * data.batch, data.batch, { backend, dtype });
      x.requiresGrad_(true);
      const loss = bceLoss(model.forward(x), y);
      loss.backward();
      loss.item();
      optim.step();
    };
  };
}

function networks(ctx: BenchContext): Network[] {
  const { quick, reps, repsGiven } = ctx.config;
  const mnist = mnistData(16, 8);
  const kim = kimData(10, 6);
  return [
    {
      name: "LeNet step (B16, 1×28×28, NLL)",
      stepsPerEpoch: 312,
      steps: repsGiven ? reps : quick ? 10 : 200,
      simpleSteps: quick ? 3 : 30,
      loopSteps: quick ? 100 : 1500,
      torchSteps: quick ? 40 : 300,
      torchNet: "lenet",
      ours: leNetStep(mnist),
      peer: (tf) => tfLeNet(tf, mnist, LR),
    },
    {
      name: "Kim-CNN step (B10, 52×100, BCE)",
      stepsPerEpoch: 45,
      steps: repsGiven ? reps : quick ? 4 : 60,
      simpleSteps: quick ? 2 : 12,
      loopSteps: quick ? 20 : 200,
      torchSteps: quick ? 20 : 200,
      torchNet: "kim",
      quickSkipsCpu: "skipped in --quick (several seconds per step: tfjs-cpu's conv filter gradient)",
      ours: kimStep(kim),
      peer: (tf) => tfKim(tf, kim, LR),
    },
  ];
}

function peerVariants(peers: Peers, net: Network, quick: boolean): Variant[] {
  const cpu = tfVariant(peers, "cpu", net.peer);
  if (quick && net.quickSkipsCpu !== undefined) cpu.unavailable ??= net.quickSkipsCpu;
  return [cpu, tfVariant(peers, "wasm", net.peer)];
}

export async function train(ctx: BenchContext): Promise<SectionReport> {
  const peers = await ctx.peers();
  const rows: Row[] = [];
  const nets = networks(ctx);
  for (const net of nets) {
    ctx.progress(`train: ${net.name}`);
    const timing = timingFor(ctx.config, {
      samples: net.steps,
      rounds: 4,
      warmupMs: 800,
      budgetMs: 12_000,
      minSamples: 5,
      slowMs: 5000,
      singleCalls: true,
    });
    const variants: Variant[] = [
      { name: SIMPLE, run: net.ours(SimpleBackend), maxSamples: net.simpleSteps },
      fastVariant(DEFAULT_THREADS, net.ours(FastBackend)),
      { ...fastVariant(DEFAULT_THREADS, net.ours(FastBackend, "float32")), name: `${FAST} float32` },
      plainVariant(net.ours(PlainBackend)),
      ...peerVariants(peers, net, ctx.config.quick),
    ];
    const caseRows = rowsFor(net.name, await compare(variants, timing), SIMPLE);
    for (const r of caseRows) {
      if (r.outcome.ok) r.extra = { "s / epoch": ((r.outcome.stats.medianMs * net.stepsPerEpoch) / 1000).toFixed(1) };
    }
    rows.push(...caseRows);
  }
  await restoreThreads();
  const loops: LoopCase[] = nets.map((net) => ({ name: net.name, step: net.ours(FastBackend), peer: loopPeer(peers, net), steps: net.loopSteps }));
  const loopTable = await syncLoopTable(loops, ctx.progress);
  const torch = await startTorch();
  let torchTable = null;
  if ("unavailable" in torch) {
    ctx.progress(`train: no torch rows: ${torch.unavailable}`);
  } else {
    try {
      const cases = nets.map((net) => ({
        name: net.name,
        net: net.torchNet,
        ours: { float64: net.ours(FastBackend), float32: net.ours(FastBackend, "float32") },
        steps: net.torchSteps,
      }));
      torchTable = await sameRunTable(cases, torch, ctx.progress);
    } finally {
      torch.close();
    }
  }
  const wasmMissing = missingKernels(peers, "wasm", ["Conv2DBackpropFilter", "Conv2DBackpropInput", "AvgPoolGrad", "MaxPoolGrad"]);
  return {
    name: "train",
    tables: [
      { title: "One training step (median ms per step) and the epoch it implies", reference: SIMPLE, rows, extraColumns: ["s / epoch"] },
      loopTable,
      ...(torchTable === null ? [] : [torchTable]),
    ],
    notes: [
      `${FAST} = FastBackend (WebAssembly SIMD kernels) on ${DEFAULT_THREADS} threads; Plain = PlainBackend on ${DEFAULT_THREADS} threads (plain-TypeScript kernels). ` +
        "Steps are timed one by one with an event-loop turn between them (untimed), as in the apps. No one-thread row here: switching the thread count " +
        "replaces the workers, and fresh workers recompile every kernel they meet — the next few hundred steps run 10–50 % slower — so a one-thread variant " +
        "interleaved with the others would slow theirs (the matmul and conv sections show one thread against two, kernel by kernel).",
      `Sync loops: the steps in one plain \`for\` loop with no await, as a user writes it, FastBackend's and ${peerName(peers, "wasm")}'s alternating in ${4} blocks each; ` +
        "turn per step: FastBackend's steps with `await setImmediate` after each (untimed), run before and after the sync loops (its median is the mean of the two). " +
        "RSS is the process's after the loop (tfjs and SimpleBackend ran in the same process earlier).",
      "unavailable" in torch
        ? `No torch rows: ${torch.unavailable}.`
        : `Same run: FastBackend on ${DEFAULT_THREADS} threads (float64, float32) and torch ${torch.version} (BLAS: ${torch.blas}) in ${4} alternating blocks ` +
          "of plain synchronous loops; torch runs bench/torch/train_step.py (the same networks, minitorch's padding, losses and SGD) in a child process that waits while ours run.",
      "Seconds per epoch = median step × 312 steps (LeNet) or × 45 steps (Kim-CNN), the apps' epochs.",
      "Synthetic data of the real shapes (pixels 0..255; 100-d embeddings); training speed does not depend on the values.",
      "tfjs: the same layers and shapes (NHWC / NWC, pad bottom/right by k−1, 'valid'), float32, tf.variableGrads over the parameters and the input " +
        "(a trainable variable, as the apps' input requires a gradient), SGD lr 0.01 on the parameters.",
      ...workaroundNote(peers),
      ...(wasmMissing.length > 0
        ? [`tfjs-wasm has no ${wasmMissing.join(", ")} kernel${wasmMissing.length > 1 ? "s" : ""}, so it cannot train these networks (its rows are n/a with the error tfjs raised).`]
        : []),
    ],
  };
}

/** tfjs-wasm's step of `net` for the synchronous-loop table, built on the wasm backend when its blocks start. */
function loopPeer(peers: Peers, net: Network): LoopCase["peer"] {
  const name = peerName(peers, "wasm");
  const tf = peers.tf;
  if (tf === null || !peers.wasm.ok) return { name, unavailable: peers.wasm.detail };
  let work: TfWork | null = null;
  return {
    name,
    enter: async () => {
      await tf.setBackend("wasm");
      work ??= net.peer(tf);
    },
    step: () => work!.run(),
    leave: () => {
      for (const t of work?.keep ?? []) t.dispose();
      work = null;
    },
  };
}
