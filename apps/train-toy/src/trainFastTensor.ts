#!/usr/bin/env node
/**
 * train-fast-tensor: Task 3.5, minitorch's run_fast_tensor.py — the network
 * on a fast backend (the parallel CPU kernels, or the GPU), in shuffled
 * batches of 10, with the time per epoch.
 *
 *   train-fast-tensor --backend gpu --hidden 100 --dataset split --lr 0.05
 */
import { runMain, oneOf, positiveInt, standardCli, UsageError } from "@minitorch/app-common";
import { setThreads } from "@minitorch/fast-ops";
// Imported for what it registers: the gpu backend.
import "@minitorch/gpu-ops";
import { backendNamed, backendNames, type TensorBackend } from "@minitorch/tensor-core";
import { startToyRun, toyProgram, trainAndLog, type ToyOptions } from "./cli.js";
import { fastTrainer } from "./networks/index.js";

const program = toyProgram(
  "train-fast-tensor",
  "Train minitorch's network on a fast backend with the time per epoch (Task 3.5, run_fast_tensor.py).",
  { hidden: 10, lr: 0.05 },
)
  .option(
    "--backend <name>",
    "fast (parallel CPU), gpu (WebGPU, float32), or another registered backend (course: your Task 3.1 loops)",
    oneOf("--backend", backendNames()),
    "fast",
  )
  .option("--batch-size <n>", "points per batch", positiveInt("--batch-size"), 10)
  .option("--threads <n>", "threads for the CPU backends (1 = no workers)", positiveInt("--threads"));
standardCli(program, import.meta.url);

interface FastOptions extends ToyOptions {
  backend: string;
  batchSize: number;
  threads?: number;
}

runMain("train-fast-tensor", async () => {
  program.parse();
  const o = program.opts<FastOptions>();
  if (o.threads !== undefined) setThreads(o.threads);
  const chosen = backendNamed(o.backend);
  const unavailable = chosen.unavailable?.() ?? null;
  if (unavailable !== null) throw new UsageError(`--backend ${o.backend}: ${unavailable}`);
  const backend = chosen.backend as TensorBackend;
  const { log, data, random } = startToyRun("train-fast-tensor", o);
  log.line(
    `Fast network: dataset ${o.dataset}, ${o.pts} points, hidden ${o.hidden}, lr ${o.lr}, batch ${o.batchSize}, ${o.epochs} epochs, seed ${o.seed}; ` +
      `backend ${backend.name}, ${chosen.describe?.() ?? ""}`,
  );
  const trainer = fastTrainer(data, { hidden: o.hidden, lr: o.lr, random, backend, batchSize: o.batchSize });
  trainAndLog(trainer, { epochs: o.epochs, N: data.N, log, timed: true });
  log.close();
});
