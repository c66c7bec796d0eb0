#!/usr/bin/env node
/**
 * train-tensor: Task 2.5, minitorch's run_tensor.py — the network on
 * tensors (SimpleBackend), the whole dataset as one batch.
 *
 *   train-tensor --dataset split --hidden 10 --lr 0.5
 */
import { runMain, standardCli } from "@minitorch/app-common";
import { startToyRun, toyProgram, trainAndLog, type ToyOptions } from "./cli.js";
import { tensorTrainer } from "./networks/index.js";

const program = toyProgram("train-tensor", "Train minitorch's tensor network on a toy dataset (Task 2.5, run_tensor.py).", { hidden: 10, lr: 0.5 });
standardCli(program, import.meta.url);

runMain("train-tensor", async () => {
  program.parse();
  const o = program.opts<ToyOptions>();
  const { log, data, random } = startToyRun("train-tensor", o);
  log.line(`Tensor network: dataset ${o.dataset}, ${o.pts} points, hidden ${o.hidden}, lr ${o.lr}, ${o.epochs} epochs, seed ${o.seed}`);
  trainAndLog(tensorTrainer(data, { hidden: o.hidden, lr: o.lr, random }), { epochs: o.epochs, N: data.N, log, timed: false });
  log.close();
});
