#!/usr/bin/env node
/**
 * train-scalar: Task 1.5, minitorch's run_scalar.py — a network of Scalars
 * trained on a toy dataset.
 *
 *   train-scalar --dataset xor --hidden 10 --lr 0.5
 */
import { runMain, standardCli } from "@minitorch/app-common";
import { startToyRun, toyProgram, trainAndLog, type ToyOptions } from "./cli.js";
import { scalarTrainer } from "./networks/index.js";

const program = toyProgram("train-scalar", "Train minitorch's scalar network on a toy dataset (Task 1.5, run_scalar.py).", { hidden: 10, lr: 0.5 });
standardCli(program, import.meta.url);


runMain("train-scalar", async () => {
  program.parse();
  const o = program.opts<ToyOptions>();
  const run = startToyRun("train-scalar", o);
  const { log } = run;
  log.line(`Scalar network: dataset ${o.dataset}, ${o.pts} points, hidden ${o.hidden}, lr ${o.lr}, ${o.epochs} epochs, seed ${o.seed}`);
  trainAndLog(scalarTrainer(run.data, { hidden: o.hidden, lr: o.lr, random: run.random }), { epochs: o.epochs, N: run.data.N, log, timed: false });
  log.close();
});
