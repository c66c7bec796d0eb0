/**
 * The session worker: the library runs here, not on the page, because its
 * operations are synchronous and block in `Atomics.wait` while the pool's
 * workers (or the GPU thread) compute, which a page's main thread may not.
 * It trains the toy networks and LeNet and runs the GPU comparison, and
 * posts progress for the page to draw.
 */
import { Random, manualSeed } from "@minitorch/autodiff";
import { toyDatasets } from "@minitorch/datasets";
import { conv1d, conv2d } from "@minitorch/fast-conv";
import { FastBackend, poolStats } from "@minitorch/fast-ops";
import { GpuBackend, gpuAvailable } from "@minitorch/gpu-ops";
import { SGD, bceLoss, nllLoss, type StateDict } from "@minitorch/nn";
import { SimpleBackend, fromArray, rand, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { LeNet } from "@minitorch/train-mnist/model";
import { prestartThreads } from "minitorch-web-platform";
import { TRAIN_DIGITS, VALIDATION_DIGITS, decodeDigits, type Digits } from "../digits.js";
import { walkGraph, type Graph } from "./graph.js";
import { FastNetwork } from "@minitorch/train-toy/networks";
import { GRID, type BackendName, type CheckpointRequest, type Done, type MnistRequest, type Reply, type Request, type ToyProgress, type ToyRequest } from "./protocol.js";

const POOL_THREAD = "minitorch:/fast-ops/dist/worker.js";
const GPU_THREAD = "minitorch:/gpu-ops/dist/gpuWorker.js";

// The project type-checks web code against the DOM library, which lacks a worker scope of its own.
const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((event: MessageEvent<Request>) => void) | null };
function reply(message: Reply): void {
  scope.postMessage(message);
}

let stopRequested = false;
let lenet: LeNet | null = null;
let digits: Digits | null = null;

/** Lets messages (stop) in between slices of a run. */
const turn = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

async function backendFor(name: BackendName): Promise<TensorBackend> {
  if (name === "simple") return SimpleBackend;
  if (name === "fast") {
    // The pool's workers must be running before a loop blocks on them.
    await prestartThreads(POOL_THREAD, poolStats().threads - 1);
    return FastBackend;
  }
  await prestartThreads(GPU_THREAD, 1);
  const status = gpuAvailable();
  if (!status.ok) throw new Error(`backend gpu: ${status.reason}`);
  return GpuBackend;
}

/** Chunks the pool's workers had taken when the current run started. */
let chunksBefore = 0;

/** Threads that computed during this run: the session's own, plus the pool's workers if they took any chunk. */
function workersUsed(name: BackendName): number {
  const stats = poolStats();
  return name === "fast" && stats.workerChunks > chunksBefore ? stats.workersAlive + 1 : 1;
}

/** Points per training step of the toy sets (minitorch's BATCH). */
const TOY_BATCH = 10;

/** 0..n-1 in a random order (Fisher–Yates). */
function shuffled(n: number, random: Random): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.random() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

function grid(): Tensor {
  const xs = new Float64Array(GRID * GRID * 2);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      xs[(j * GRID + i) * 2] = (i + 0.5) / GRID;
      xs[(j * GRID + i) * 2 + 1] = (j + 0.5) / GRID;
    }
  }
  return fromArray(xs, [GRID * GRID, 2]);
}

async function trainToy(r: ToyRequest): Promise<void> {
  const make = Object.entries(toyDatasets).find(([name]) => name.toLowerCase() === r.dataset.toLowerCase())?.[1];
  if (make === undefined) throw new Error(`run: dataset must be one of ${Object.keys(toyDatasets).join(", ")}, got "${r.dataset}"`);
  const backend = await backendFor(r.backend);
  manualSeed(1);
  const data = make(r.points);
  const model = new FastNetwork(r.hidden, backend);
  const optim = new SGD(model.parameters(), r.lr);
  const x = fromArray(data.X.flat(), [data.N, 2], backend);
  const plane = grid().to(backend);
  const order = new Random(1);
  const started = performance.now();
  let accuracy = 0;
  for (let epoch = 1; epoch <= r.epochs && !stopRequested; epoch++) {
    // Shuffled batches of TOY_BATCH points, as minitorch's run_fast_tensor.py trains.
    const perm = shuffled(data.N, order);
    let loss = 0;
    for (let b = 0; b < data.N; b += TOY_BATCH) {
      const rows = perm.slice(b, b + TOY_BATCH);
      const xb = fromArray(rows.flatMap((i) => data.X[i]!), [rows.length, 2], backend);
      const yb = fromArray(rows.map((i) => data.y[i]!), [rows.length], backend);
      const batchLoss = bceLoss(model.forward(xb).view(rows.length), yb);
      optim.zeroGrad();
      batchLoss.backward();
      optim.step();
      loss += batchLoss.item() * rows.length;
    }
    const probs = model.forward(x).toFloat64Array();
    accuracy = data.y.reduce((n, label, i) => n + ((probs[i]! > 0.5 ? 1 : 0) === label ? 1 : 0), 0) / data.N;
    const last = epoch === r.epochs;
    if (epoch % 10 === 0 || epoch === 1 || last) {
      const progress = toyProgress(model, plane, epoch, loss / data.N, accuracy, data.X, data.y);
      if (epoch === 1) progress.graph = forwardGraph(model, backend);
      reply(progress);
      await turn();
    }
  }
  finish({ run: "toy", backend: r.backend, accuracy, seconds: (performance.now() - started) / 1000, workers: workersUsed(r.backend) });
}

/** The graph of the network's forward pass on one point, parameters named. */
function forwardGraph(model: FastNetwork, backend: TensorBackend): Graph {
  for (const [name, p] of model.namedParameters()) (p.value as Tensor).name = name;
  const x = fromArray([0.5, 0.5], [1, 2], backend);
  x.name = "x";
  return walkGraph(model.forward(x), {
    fn: (t) => t.history?.lastFn?.name ?? null,
    inputs: (t) => t.history?.inputs ?? [],
    label: (t) => `${t.name ?? ""}\n[${t.shape.join(", ")}]`,
    constant: (t) => t.isConstant(),
  });
}

function toyProgress(model: FastNetwork, plane: Tensor, epoch: number, loss: number, accuracy: number, points: Array<[number, number]>, labels: number[]): ToyProgress {
  const boundary = Float32Array.from(model.forward(plane).toFloat64Array());
  // The first hidden layer over the plane, one heatmap per unit.
  const firstHidden = model.layer1.forward(plane).relu();
  const hiddenValues = firstHidden.toFloat64Array();
  const units = firstHidden.shape[1]!;
  const hidden: Float32Array[] = [];
  for (let u = 0; u < units; u++) {
    const g = new Float32Array(GRID * GRID);
    let top = 0;
    for (let p = 0; p < g.length; p++) top = Math.max(top, (g[p] = hiddenValues[p * units + u]!));
    if (top > 0) for (let p = 0; p < g.length; p++) g[p] = g[p]! / top;
    hidden.push(g);
  }
  const parameters = model.namedParameters().map(([name, p]) => {
    const t = p.value as Tensor;
    return { name, shape: [...t.shape], values: [...t.toFloat64Array()] };
  });
  return { kind: "toy-progress", epoch, loss, accuracy, boundary, hidden, parameters, points, labels };
}

async function loadDigits(): Promise<Digits> {
  if (digits !== null) return digits;
  const response = await fetch(new URL("../data/mnist.bin", self.location.href));
  if (!response.ok) throw new Error(`mnist: data/mnist.bin answered ${response.status}`);
  digits = decodeDigits(new Uint8Array(await response.arrayBuffer()));
  return digits;
}

/** Shipped digits in the form train-mnist's helpers take. */
interface Split {
  bytes: Uint8Array;
  labels: Int32Array;
  count: number;
}

/** A batch [count, 1, 28, 28] of pixel values 0..255 (the scale minitorch feeds LeNet) and its one-hot labels, as train-mnist makes it. */
function makeBatch(split: Split, start: number, count: number, backend: TensorBackend): { x: Tensor; y: Tensor } {
  const x = fromArray(split.bytes.subarray(start * 784, (start + count) * 784), [count, 1, 28, 28], backend);
  const oneHot = new Float64Array(count * 10);
  for (let i = 0; i < count; i++) oneHot[i * 10 + split.labels[start + i]!] = 1;
  return { x, y: fromArray(oneHot, [count, 10], backend) };
}

/** Rows of log-probabilities `out` whose largest entry is the label. */
function countCorrect(out: Tensor, labels: ArrayLike<number>, start: number): number {
  const values = out.toFloat64Array();
  const rows = out.shape[0]!;
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    let best = 0;
    for (let j = 1; j < 10; j++) if (values[i * 10 + j]! > values[i * 10 + best]!) best = j;
    if (best === labels[start + i]) correct++;
  }
  return correct;
}

/** A split of the shipped digits in train-mnist's form. */
function split(d: Digits, start: number, count: number): Split {
  const bytes = d.bytes.subarray(start * 784, (start + count) * 784);
  return { bytes, labels: Int32Array.from(d.labels.subarray(start, start + count)), count };
}

const BATCH = 16;

async function trainMnist(r: MnistRequest): Promise<void> {
  const backend = await backendFor(r.backend);
  const d = await loadDigits();
  const train = split(d, 0, TRAIN_DIGITS);
  const validation = split(d, TRAIN_DIGITS, VALIDATION_DIGITS);
  manualSeed(42);
  const model = new LeNet({ backend });
  const optim = new SGD(model.parameters(), r.lr);
  const batches = Math.floor(train.count / BATCH);
  const started = performance.now();
  let stepMs = 0;
  let steps = 0;
  let lossSum = 0;
  // Plain synchronous slices of 10 steps, timed as a whole; the page hears from us between slices.
  for (let step = 0; step < r.steps && !stopRequested; ) {
    const sliceEnd = Math.min(r.steps, step + 10);
    const t0 = performance.now();
    for (; step < sliceEnd; step++) {
      const { x, y } = makeBatch(train, (step % batches) * BATCH, BATCH, backend);
      const loss = nllLoss(model.forward(x), y);
      optim.zeroGrad();
      loss.backward();
      optim.step();
      lossSum += loss.item();
    }
    stepMs += performance.now() - t0;
    steps = step;
    model.eval();
    const { x } = makeBatch(validation, 0, BATCH, backend);
    const batchAccuracy = countCorrect(model.forward(x), validation.labels, 0) / BATCH;
    model.train();
    reply({ kind: "mnist-progress", step, loss: lossSum / 10, batchAccuracy });
    lossSum = 0;
    await turn();
  }
  scoreLenet(model, backend, validation, { run: "mnist", backend: r.backend, started, stepMs: steps > 0 ? stepMs / steps : 0 });
}

/** Scores `model` on the validation digits, keeps it for `inspect`, and reports the run done. */
function scoreLenet(model: LeNet, backend: TensorBackend, validation: Split, d: { run: "mnist"; backend: BackendName; started: number; stepMs?: number }): void {
  model.eval();
  let correct = 0;
  const wrong: NonNullable<Done["wrong"]> = [];
  for (let i = 0; i < validation.count; i += BATCH) {
    const n = Math.min(BATCH, validation.count - i);
    const values = model.forward(makeBatch(validation, i, n, backend).x).toFloat64Array();
    for (let k = 0; k < n; k++) {
      let best = 0;
      for (let c = 1; c < 10; c++) if (values[k * 10 + c]! > values[k * 10 + best]!) best = c;
      const label = validation.labels[i + k]!;
      if (best === label) correct++;
      else wrong.push({ index: TRAIN_DIGITS + i + k, label, predicted: best, pixels: validation.bytes.slice((i + k) * 784, (i + k + 1) * 784) });
    }
  }
  lenet = model;
  finish({
    run: d.run,
    backend: d.backend,
    accuracy: correct / validation.count,
    ...(d.stepMs !== undefined ? { stepMs: d.stepMs } : {}),
    seconds: (performance.now() - d.started) / 1000,
    workers: workersUsed(d.backend),
    wrong: wrong.slice(0, 60),
  });
}

/** Loads a train-mnist checkpoint (its `model` state dict) into LeNet and scores it. */
async function openCheckpoint(r: CheckpointRequest): Promise<void> {
  const started = performance.now();
  const backend = await backendFor(r.backend);
  const checkpoint = JSON.parse(r.text) as { format?: string; app?: string; model?: StateDict };
  if (checkpoint.format !== "minitorch-ts-checkpoint" || checkpoint.app !== "train-mnist" || checkpoint.model === undefined) {
    throw new Error(`checkpoint: expected a train-mnist minitorch-ts-checkpoint, got format ${String(checkpoint.format)}, app ${String(checkpoint.app)}`);
  }
  const model = new LeNet({ backend });
  model.loadStateDict(checkpoint.model);
  const d = await loadDigits();
  scoreLenet(model, backend, split(d, TRAIN_DIGITS, VALIDATION_DIGITS), { run: "mnist", backend: r.backend, started });
}

/** Every layer's output for shipped digit `index`, from the last trained LeNet. */
function inspect(index: number): void {
  if (lenet === null || digits === null) throw new Error("inspect: train LeNet first");
  const d = split(digits, index, 1);
  const backend = lenet.conv1.weights.value.backend;
  lenet.eval();
  const out = lenet.forward(makeBatch(d, 0, 1, backend).x);
  const maps = (t: Tensor, n: number): Float32Array[] => {
    const v = t.toFloat64Array();
    return Array.from({ length: n }, (_, c) => Float32Array.from(v.subarray(c * 784, (c + 1) * 784)));
  };
  const pooled = lenet.out!;
  const hidden = lenet.linear1.forward(avgpool(pooled)).relu();
  reply({
    kind: "mnist-inspect",
    index,
    label: d.labels[0]!,
    pixels: d.bytes.slice(),
    conv1: maps(lenet.mid!, 4),
    conv2: maps(lenet.out!, 8),
    hidden: Float32Array.from(hidden.toFloat64Array()),
    probabilities: Float32Array.from(out.exp().toFloat64Array()),
  });
}

function avgpool(t: Tensor): Tensor {
  // The LeNet's own pooling step between conv2 and linear1, repeated to read the 64 units.
  const pooled = t.view(1, 8, 7, 4, 7, 4).permute(0, 1, 2, 4, 3, 5).contiguous().view(1, 8, 7, 7, 16).mean(4);
  return pooled.view(1, 392);
}

async function gpuConv(): Promise<void> {
  const started = performance.now();
  const gpu = await backendFor("gpu");
  const cpu = await backendFor("fast");
  manualSeed(3);
  const cases: Array<{ name: string; input: number[]; weight: number[]; run: (a: Tensor, b: Tensor) => Tensor }> = [
    { name: "conv1d", input: [8, 16, 256], weight: [16, 16, 5], run: conv1d },
    { name: "conv2d", input: [8, 4, 28, 28], weight: [8, 4, 3, 3], run: conv2d },
    { name: "conv2d", input: [4, 16, 32, 32], weight: [32, 16, 5, 5], run: conv2d },
  ];
  const ops: NonNullable<Done["gpu"]>["ops"] = [];
  for (const c of cases) {
    const a = rand(c.input, cpu);
    const b = rand(c.weight, cpu);
    c.run(a.to(gpu), b.to(gpu)).toFloat64Array(); // compiles the kernel
    let t = performance.now();
    const want = c.run(a, b).toFloat64Array();
    const cpuMs = performance.now() - t;
    const ga = a.to(gpu);
    const gb = b.to(gpu);
    t = performance.now();
    const got = c.run(ga, gb).toFloat64Array();
    const gpuMs = performance.now() - t;
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(want[i]! - got[i]!) / Math.max(1, Math.abs(want[i]!)));
    ops.push({ name: c.name, shape: `[${c.input.join(", ")}] * [${c.weight.join(", ")}]`, cpuMs, gpuMs, maxDiff });
  }
  finish({
    run: "gpu-conv",
    backend: "gpu",
    seconds: (performance.now() - started) / 1000,
    workers: workersUsed("fast"),
    gpu: { adapter: gpuAvailable().adapter ?? "unknown", maxDiff: Math.max(...ops.map((o) => o.maxDiff)), ops },
  });
}

function finish(d: Omit<Done, "kind" | "crossOriginIsolated" | "pool">): void {
  const { parallelJobs, inlineJobs, workerChunks } = poolStats();
  reply({ kind: "done", crossOriginIsolated: self.crossOriginIsolated, pool: { parallelJobs, inlineJobs, workerChunks }, ...d });
}

let running = false;

scope.onmessage = (event: MessageEvent<Request>) => {
  const r = event.data;
  if (r.kind === "stop") {
    stopRequested = true;
    return;
  }
  const work = async (): Promise<void> => {
    if (r.kind === "inspect") return inspect(r.index);
    if (running) throw new Error("run: a run is already in progress; stop it first");
    running = true;
    stopRequested = false;
    chunksBefore = poolStats().workerChunks;
    try {
      if (r.kind === "toy") await trainToy(r);
      else if (r.kind === "mnist") await trainMnist(r);
      else if (r.kind === "checkpoint") await openCheckpoint(r);
      else await gpuConv();
    } finally {
      running = false;
    }
  };
  work().catch((e: unknown) => reply({ kind: "error", message: e instanceof Error ? e.message : String(e) }));
};
