/**
 * The accuracies the module guides state for the toy sets (docs/module-1.md,
 * module-2.md, module-3.md), reached from the CLIs' defaults with seed 0:
 * 50 points, 500 epochs; hidden 10 and lr 0.5 for the scalar and tensor
 * networks, hidden 10, lr 0.05 and batches of 10 for the fast one. The
 * scalar and tensor tasks' tests check them on a smaller run.
 */
import type { Random } from "@minitorch/autodiff";
import { diag, simple, split, xor, type Graph } from "@minitorch/datasets";

export const TOY_TARGETS: ReadonlyArray<[string, (N: number, r: Random) => Graph, number]> = [
  ["simple", simple, 0.96],
  ["diag", diag, 0.96],
  ["split", split, 0.96],
  ["xor", xor, 0.9],
];
