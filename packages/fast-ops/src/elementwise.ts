/**
 * Module 3: which elementwise kernel runs a scalar function, on any thread.
 *
 * A kernel set is a module exporting three factories, `map(fn)`, `zip(fn)`
 * and `reduce(fn)` under the names of {@link ElementwiseLoops}: the course's
 * (kernelLoops.ts, Task 3.1) or the library's (this file's `fastMap`,
 * `fastZip`, `fastReduce`). A worker imports the set's module like any
 * other kernel module and calls the factory with the scalar function,
 * which reaches it by reference: a library operator by its name in
 * @minitorch/autodiff's `operators`, any other function as its source
 * text, rebuilt here with `new Function` (it was checked to be
 * self-contained by selfContained.ts).
 */
import { operators } from "@minitorch/autodiff";
import type { BinaryFn, UnaryFn } from "@minitorch/tensor-core";
import { mapWith, operatorKernels, reduceWith, zipWith, type MapKernel, type ReduceKernel, type ZipKernel } from "./operatorKernels.js";

export { broadcastStrides, sameLayout } from "./rowWalk.js";
export type { MapKernel, ReduceKernel, ZipKernel };

/** How a worker finds a scalar function: a library operator's name, or a user function's source. */
export type ScalarRef = { op: string } | { source: string };

/** A kernel set: a module and the names of its three factories there. */
export interface ElementwiseLoops {
  /** URL of the module a worker imports. */
  readonly module: string;
  readonly map: { readonly name: string; readonly make: (fn: UnaryFn) => MapKernel };
  readonly zip: { readonly name: string; readonly make: (fn: BinaryFn) => ZipKernel };
  readonly reduce: { readonly name: string; readonly make: (fn: BinaryFn) => ReduceKernel };
}

/** The library's scalar operators by name, so workers can find the same functions. */
export const namedOperators: ReadonlyMap<string, (...xs: number[]) => number> = new Map(
  Object.entries(operators).filter(([, f]) => typeof f === "function" && f.length >= 1 && f.length <= 2) as Array<
    [string, (...xs: number[]) => number]
  >,
);

/** The name under which `fn` is one of the library's operators, if it is. */
export function operatorName(fn: (...xs: number[]) => number): string | undefined {
  for (const [name, f] of namedOperators) if (f === fn) return name;
  return undefined;
}

/** The library's map kernel for `fn`: the operator's own kernel, or the shared loop for any other function. */
export function fastMap(fn: UnaryFn): MapKernel {
  const op = operatorName(fn);
  return (op === undefined ? undefined : operatorKernels.map[op]) ?? mapWith(fn);
}

/** The library's zip kernel for `fn`. */
export function fastZip(fn: BinaryFn): ZipKernel {
  const op = operatorName(fn);
  return (op === undefined ? undefined : operatorKernels.zip[op]) ?? zipWith(fn);
}

/** The library's reduce kernel for `fn`. */
export function fastReduce(fn: BinaryFn): ReduceKernel {
  const op = operatorName(fn);
  return (op === undefined ? undefined : operatorKernels.reduce[op]) ?? reduceWith(fn);
}

/**
 * Compiles a user function from its source, as a worker does: the source
 * must be a self-contained arrow or function expression. Throws a clear
 * error when it cannot be compiled alone.
 */
export function functionFromSource(source: string, op: string): (...xs: number[]) => number {
  let f: unknown;
  try {
    f = new Function(`"use strict"; return (${source});`)();
  } catch (e) {
    throw new Error(`${op}: function source cannot be compiled on its own (${(e as Error).message}): ${source}`);
  }
  if (typeof f !== "function") throw new Error(`${op}: source is not a function expression: ${source}`);
  return f as (...xs: number[]) => number;
}

/** The scalar function `ref` names, in this thread; `label` names the kernel in errors. */
export function scalarFunction(ref: ScalarRef, label: string): (...xs: number[]) => number {
  if ("source" in ref) return functionFromSource(ref.source, label);
  const fn = namedOperators.get(ref.op);
  if (fn === undefined) throw new Error(`${label}: "${ref.op}" is not one of @minitorch/autodiff's operators`);
  return fn;
}
