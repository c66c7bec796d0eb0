/**
 * Task 3.1: the parallel map, zip and reduce — minitorch's `tensor_map`,
 * `tensor_zip` and `tensor_reduce`.
 *
 * Each takes a scalar function and returns the kernel that applies it:
 * minitorch's arguments plus a range [start, end) of output positions, so
 * the pool can hand different ranges to different threads (the `prange` of
 * minitorch's loops). The kernels are ordinary functions: CourseBackend's
 * workers import this file and call `tensorMap(fn)` themselves, with `fn`
 * a library operator found by name or a user's function rebuilt from its
 * source. So a loop may use anything it imports — Module 2's `toIndex`,
 * `broadcastIndex` and `indexToPosition` included — and a breakpoint or a
 * `console.log` in it works under MINITORCH_INLINE=1 (docs/module-3.md).
 *
 * FastBackend and PlainBackend run the library's version of these loops
 * (operatorKernels.ts, rowWalk.ts), which walk rows instead of converting
 * every position to an index.
 */
import type { BinaryFn, UnaryFn } from "@minitorch/tensor-core";
import { broadcastIndex, indexToPosition, toIndex } from "@minitorch/tensor-core";
import type { MapKernel, ReduceKernel, ZipKernel } from "./operatorKernels.js";
import { sameLayout } from "./rowWalk.js";

/**
 * The map kernel for `fn`: out[i] = fn(in[j]) for output positions
 * [start, end), j being the output index i broadcast into the input's shape.
 */
export function tensorMap(fn: UnaryFn): MapKernel {
  return (out, outShape, outStrides, inStorage, inShape, inStrides, start, end) => {
    // BEGIN ASSIGN3.1
    if (sameLayout(outShape, outStrides, inShape, inStrides)) {
      // Stride-aligned: position i is element i of both.
      for (let i = start; i < end; i++) out[i] = fn(inStorage[i]!);
      return;
    }
    const outIndex = new Int32Array(outShape.length);
    const inIndex = new Int32Array(inShape.length);
    for (let i = start; i < end; i++) {
      toIndex(i, outShape, outIndex);
      broadcastIndex(outIndex, outShape, inShape, inIndex);
      const o = indexToPosition(outIndex, outStrides);
      const j = indexToPosition(inIndex, inStrides);
      out[o] = fn(inStorage[j]!);
    }
    // END ASSIGN3.1
  };
}

/**
 * The zip kernel for `fn`: out[i] = fn(a[ja], b[jb]) for output positions
 * [start, end), ja and jb being the output index broadcast into each input.
 */
export function tensorZip(fn: BinaryFn): ZipKernel {
  return (out, outShape, outStrides, aStorage, aShape, aStrides, bStorage, bShape, bStrides, start, end) => {
    // BEGIN ASSIGN3.1
    if (sameLayout(outShape, outStrides, aShape, aStrides) && sameLayout(outShape, outStrides, bShape, bStrides)) {
      for (let i = start; i < end; i++) out[i] = fn(aStorage[i]!, bStorage[i]!);
      return;
    }
    const outIndex = new Int32Array(outShape.length);
    const aIndex = new Int32Array(aShape.length);
    const bIndex = new Int32Array(bShape.length);
    for (let i = start; i < end; i++) {
      toIndex(i, outShape, outIndex);
      broadcastIndex(outIndex, outShape, aShape, aIndex);
      broadcastIndex(outIndex, outShape, bShape, bIndex);
      const o = indexToPosition(outIndex, outStrides);
      const j = indexToPosition(aIndex, aStrides);
      const k = indexToPosition(bIndex, bStrides);
      out[o] = fn(aStorage[j]!, bStorage[k]!);
    }
    // END ASSIGN3.1
  };
}

/**
 * The reduce kernel for `fn`: out[i] = fn(…fn(fn(init, a[i₀]), a[i₁])…)
 * along dimension `reduceDim` of a, for output positions [start, end) (the
 * output has size 1 along reduceDim, so a position owns its whole fold).
 */
export function tensorReduce(fn: BinaryFn): ReduceKernel {
  return (out, outShape, outStrides, aStorage, aShape, aStrides, reduceDim, init, start, end) => {
    // BEGIN ASSIGN3.1
    const outIndex = new Int32Array(outShape.length);
    const reduceSize = aShape[reduceDim]!;
    const step = aStrides[reduceDim]!;
    for (let i = start; i < end; i++) {
      toIndex(i, outShape, outIndex);
      const o = indexToPosition(outIndex, outStrides);
      // outIndex is 0 along reduceDim: it is also the index of the fold's first element in a.
      let j = indexToPosition(outIndex, aStrides);
      let acc = init;
      for (let s = 0; s < reduceSize; s++) {
        acc = fn(acc, aStorage[j]!);
        j += step;
      }
      out[o] = acc;
    }
    // END ASSIGN3.1
  };
}
