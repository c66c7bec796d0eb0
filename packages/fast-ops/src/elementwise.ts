/**
 * Module 3 (task 3.1): the parallel map, zip and reduce kernels.
 *
 * A kernel is compiled once per scalar function, with the function bound as
 * a constant, so V8 sees a single call target in the loop and inlines it —
 * the JavaScript counterpart of Numba compiling `fn` into the loop. Each
 * kernel takes minitorch's arguments plus a range [start, end) of output
 * positions, so the pool can hand ranges to different threads.
 *
 * Inner loops run along the last output dimension with positions stepped by
 * strides; index arithmetic happens only when a row ends. Inputs that are
 * contiguous and have the output's shape take a flat loop.
 */
import { operators } from "@minitorch/autodiff";
import type { BinaryFn, UnaryFn } from "@minitorch/tensor-core";

/** Kernel bodies, compiled per function (`fn` is the bound scalar function). */
const MAP_BODY = `
return function NAME(out, outShape, outStrides, a, aShape, aStrides, start, end) {
  if (start >= end) return;
  const dims = outShape.length;
  if (sameLayout(outShape, outStrides, aShape, aStrides)) {
    for (let i = start; i < end; i++) out[i] = fn(a[i]);
    return;
  }
  if (dims === 0) { out[0] = fn(a[0]); return; }
  const as = broadcastStrides(outShape, aShape, aStrides);
  const idx = new Int32Array(dims);
  let rest = start;
  for (let d = dims - 1; d >= 0; d--) { const s = outShape[d]; const q = Math.floor(rest / s); idx[d] = rest - q * s; rest = q; }
  let po = 0, pa = 0;
  for (let d = 0; d < dims; d++) { po += idx[d] * outStrides[d]; pa += idx[d] * as[d]; }
  const last = dims - 1, nLast = outShape[last], os = outStrides[last], sa = as[last];
  let remaining = end - start;
  for (;;) {
    const n = Math.min(nLast - idx[last], remaining);
    if (os === 1 && sa === 1) { for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k]); }
    else { for (let k = 0; k < n; k++) out[po + k * os] = fn(a[pa + k * sa]); }
    remaining -= n;
    if (remaining <= 0) return;
    idx[last] += n; po += n * os; pa += n * sa;
    let d = last;
    while (idx[d] >= outShape[d]) { po -= idx[d] * outStrides[d]; pa -= idx[d] * as[d]; idx[d] = 0; d--; idx[d]++; po += outStrides[d]; pa += as[d]; }
  }
};`;

const ZIP_BODY = `
return function NAME(out, outShape, outStrides, a, aShape, aStrides, b, bShape, bStrides, start, end) {
  if (start >= end) return;
  const dims = outShape.length;
  if (sameLayout(outShape, outStrides, aShape, aStrides) && sameLayout(outShape, outStrides, bShape, bStrides)) {
    for (let i = start; i < end; i++) out[i] = fn(a[i], b[i]);
    return;
  }
  if (dims === 0) { out[0] = fn(a[0], b[0]); return; }
  const as = broadcastStrides(outShape, aShape, aStrides);
  const bs = broadcastStrides(outShape, bShape, bStrides);
  const idx = new Int32Array(dims);
  let rest = start;
  for (let d = dims - 1; d >= 0; d--) { const s = outShape[d]; const q = Math.floor(rest / s); idx[d] = rest - q * s; rest = q; }
  let po = 0, pa = 0, pb = 0;
  for (let d = 0; d < dims; d++) { po += idx[d] * outStrides[d]; pa += idx[d] * as[d]; pb += idx[d] * bs[d]; }
  const last = dims - 1, nLast = outShape[last], os = outStrides[last], sa = as[last], sb = bs[last];
  let remaining = end - start;
  for (;;) {
    const n = Math.min(nLast - idx[last], remaining);
    if (os === 1 && sa === 1 && sb === 1) { for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k], b[pb + k]); }
    else if (os === 1 && sa === 1 && sb === 0) { const y = b[pb]; for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k], y); }
    else if (os === 1 && sa === 0 && sb === 1) { const x = a[pa]; for (let k = 0; k < n; k++) out[po + k] = fn(x, b[pb + k]); }
    else { for (let k = 0; k < n; k++) out[po + k * os] = fn(a[pa + k * sa], b[pb + k * sb]); }
    remaining -= n;
    if (remaining <= 0) return;
    idx[last] += n; po += n * os; pa += n * sa; pb += n * sb;
    let d = last;
    while (idx[d] >= outShape[d]) {
      po -= idx[d] * outStrides[d]; pa -= idx[d] * as[d]; pb -= idx[d] * bs[d]; idx[d] = 0;
      d--; idx[d]++; po += outStrides[d]; pa += as[d]; pb += bs[d];
    }
  }
};`;

const REDUCE_BODY = `
return function NAME(out, outShape, outStrides, a, aShape, aStrides, reduceDim, init, start, end) {
  if (start >= end) return;
  const dims = outShape.length;
  const n = aShape[reduceDim], rs = aStrides[reduceDim];
  const idx = new Int32Array(dims);
  let rest = start;
  for (let d = dims - 1; d >= 0; d--) { const s = outShape[d]; const q = Math.floor(rest / s); idx[d] = rest - q * s; rest = q; }
  let po = 0, pa = 0;
  for (let d = 0; d < dims; d++) { po += idx[d] * outStrides[d]; pa += idx[d] * aStrides[d]; }
  const last = dims - 1;
  for (let i = start; i < end; i++) {
    let acc = init;
    if (rs === 1) { for (let r = 0; r < n; r++) acc = fn(acc, a[pa + r]); }
    else { for (let r = 0, j = pa; r < n; r++, j += rs) acc = fn(acc, a[j]); }
    out[po] = acc;
    if (i + 1 === end) return;
    let d = last;
    idx[d]++; po += outStrides[d]; pa += aStrides[d];
    while (idx[d] >= outShape[d]) {
      po -= idx[d] * outStrides[d]; pa -= idx[d] * aStrides[d]; idx[d] = 0;
      d--; idx[d]++; po += outStrides[d]; pa += aStrides[d];
    }
  }
};`;

/** True when both tensors are contiguous with equal shapes, so position i is element i of both. */
export function sameLayout(shapeA: Int32Array, stridesA: Int32Array, shapeB: Int32Array, stridesB: Int32Array): boolean {
  if (shapeA.length !== shapeB.length) return false;
  let expected = 1;
  for (let d = shapeA.length - 1; d >= 0; d--) {
    const s = shapeA[d]!;
    if (s !== shapeB[d]) return false;
    if (s !== 1 && (stridesA[d] !== expected || stridesB[d] !== expected)) return false;
    expected *= s;
  }
  return true;
}

/** Strides of an input aligned to the output's dimensions, 0 along broadcast ones. */
export function broadcastStrides(outShape: Int32Array, shape: Int32Array, strides: Int32Array): Int32Array {
  const dims = outShape.length;
  const lead = dims - shape.length;
  const out = new Int32Array(dims);
  for (let d = lead; d < dims; d++) out[d] = shape[d - lead] === 1 ? 0 : strides[d - lead]!;
  return out;
}

export type MapKernel = (
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  start: number,
  end: number,
) => void;

export type ZipKernel = (
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  b: Float64Array,
  bShape: Int32Array,
  bStrides: Int32Array,
  start: number,
  end: number,
) => void;

export type ReduceKernel = (
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  reduceDim: number,
  init: number,
  start: number,
  end: number,
) => void;

function compile<K>(body: string, name: string, fn: (...xs: number[]) => number): K {
  const safeName = name.replace(/[^A-Za-z0-9_$]/g, "_");
  // A new Function per kernel gives V8 a fresh call site for `fn`, which it can inline.
  const factory = new Function("fn", "sameLayout", "broadcastStrides", body.replace("NAME", safeName)) as (
    f: (...xs: number[]) => number,
    s: typeof sameLayout,
    b: typeof broadcastStrides,
  ) => K;
  return factory(fn, sameLayout, broadcastStrides);
}

/** A map kernel for `fn`. */
export function compileMap(fn: UnaryFn, name = `${fn.name || "fn"}Map`): MapKernel {
  // BEGIN ASSIGN3.1
  return compile<MapKernel>(MAP_BODY, name, fn as (...xs: number[]) => number);
  // END ASSIGN3.1
}

/** A zip kernel for `fn`. */
export function compileZip(fn: BinaryFn, name = `${fn.name || "fn"}Zip`): ZipKernel {
  // BEGIN ASSIGN3.1
  return compile<ZipKernel>(ZIP_BODY, name, fn as (...xs: number[]) => number);
  // END ASSIGN3.1
}

/** A reduce kernel for `fn`. */
export function compileReduce(fn: BinaryFn, name = `${fn.name || "fn"}Reduce`): ReduceKernel {
  // BEGIN ASSIGN3.1
  return compile<ReduceKernel>(REDUCE_BODY, name, fn as (...xs: number[]) => number);
  // END ASSIGN3.1
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
