/**
 * Module 3: compiling the parallel map, zip and reduce kernels.
 *
 * A kernel is a copy of one of the loops of kernelLoops.ts (Task 3.1)
 * compiled once per scalar function, with the function bound as a constant,
 * so V8 sees a single call target in the loop and inlines it — the
 * JavaScript counterpart of Numba compiling `fn` into the loop. Library
 * operators are known to workers by name; other functions travel as source.
 */
import { operators } from "@minitorch/autodiff";
import type { BinaryFn, UnaryFn } from "@minitorch/tensor-core";

import { broadcastStrides, mapLoop, ordinalIndex, reduceLoop, sameLayout, zipLoop } from "./kernelLoops.js";

export { broadcastStrides, sameLayout };

/** A compiled map kernel: `mapLoop` with its scalar function bound. */
export type MapKernel = typeof mapLoop;
/** A compiled zip kernel: `zipLoop` with its scalar function bound. */
export type ZipKernel = typeof zipLoop;
/** A compiled reduce kernel: `reduceLoop` with its scalar function bound. */
export type ReduceKernel = typeof reduceLoop;

/** A copy of `loop` compiled with `fn` bound, named `name` (for profiles). */
function compile<K>(loop: (...args: never[]) => void, name: string, fn: (...xs: number[]) => number): K {
  const safeName = name.replace(/[^A-Za-z0-9_$]/g, "_");
  const source = loop.toString().replace(/^function\s*[A-Za-z0-9_$]*/, `function ${safeName}`);
  // A new Function per kernel gives V8 a fresh call site for `fn`, which it can inline.
  const factory = new Function("fn", "sameLayout", "broadcastStrides", "ordinalIndex", `"use strict"; return (${source});`) as (
    f: (...xs: number[]) => number,
    s: typeof sameLayout,
    b: typeof broadcastStrides,
    o: typeof ordinalIndex,
  ) => K;
  return factory(fn, sameLayout, broadcastStrides, ordinalIndex);
}

/** A map kernel for `fn`. */
export function compileMap(fn: UnaryFn, name = `${fn.name || "fn"}Map`): MapKernel {
  return compile<MapKernel>(mapLoop, name, fn as (...xs: number[]) => number);
}

/** A zip kernel for `fn`. */
export function compileZip(fn: BinaryFn, name = `${fn.name || "fn"}Zip`): ZipKernel {
  return compile<ZipKernel>(zipLoop, name, fn as (...xs: number[]) => number);
}

/** A reduce kernel for `fn`. */
export function compileReduce(fn: BinaryFn, name = `${fn.name || "fn"}Reduce`): ReduceKernel {
  return compile<ReduceKernel>(reduceLoop, name, fn as (...xs: number[]) => number);
}

/** The library's scalar operators by name, so workers can build the same kernels. */
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
