/**
 * Module 2: SimpleOps, the single-threaded reference backend. Its kernels
 * follow minitorch's `tensor_ops.py` literally — one index conversion per
 * element — so they are easy to check; FastOps must give identical results.
 */
import { broadcastIndex, indexToPosition, newStorage, toIndex, type Dtype, type Storage } from "./tensorData.js";
import { mapOutput, planMatmul, reduceOutput, zipOutput } from "./opShapes.js";
import { checkScalarFunction, scalarOpLabel } from "./scalarFunction.js";
import type { Tensor } from "./tensor.js";
import { registerBackend, registerKernel } from "./registry.js";
import {
  TensorBackend,
  type BinaryFn,
  type Kernel,
  type KernelArg,
  type MapFn,
  type ReduceFn,
  type TensorOps,
  type UnaryFn,
  type ZipFn,
} from "./tensorOps.js";

/** Largest number of dimensions the reference kernels' index buffers hold. */
export const MAX_DIMS = 32;

/**
 * Low-level map: out[i] = fn(in[j]) where j is i's index broadcast into the
 * input's shape.
 */
export function tensorMap(fn: UnaryFn) {
  return (
    out: Storage,
    outShape: Int32Array,
    outStrides: Int32Array,
    inStorage: Storage,
    inShape: Int32Array,
    inStrides: Int32Array,
  ): void => {
    // BEGIN ASSIGN2.3
    const outIndex = new Int32Array(MAX_DIMS);
    const inIndex = new Int32Array(MAX_DIMS);
    const size = shapeProduct(outShape);
    for (let i = 0; i < size; i++) {
      toIndex(i, outShape, outIndex);
      broadcastIndex(outIndex, outShape, inShape, inIndex);
      const o = indexToPosition(outIndex, outStrides);
      const j = indexToPosition(inIndex, inStrides);
      out[o] = fn(inStorage[j]!);
    }
    // END ASSIGN2.3
  };
}

/** Low-level zip: out[i] = fn(a[ja], b[jb]) with i broadcast into both inputs. */
export function tensorZip(fn: BinaryFn) {
  return (
    out: Storage,
    outShape: Int32Array,
    outStrides: Int32Array,
    aStorage: Storage,
    aShape: Int32Array,
    aStrides: Int32Array,
    bStorage: Storage,
    bShape: Int32Array,
    bStrides: Int32Array,
  ): void => {
    // BEGIN ASSIGN2.3
    const outIndex = new Int32Array(MAX_DIMS);
    const aIndex = new Int32Array(MAX_DIMS);
    const bIndex = new Int32Array(MAX_DIMS);
    const size = shapeProduct(outShape);
    for (let i = 0; i < size; i++) {
      toIndex(i, outShape, outIndex);
      broadcastIndex(outIndex, outShape, aShape, aIndex);
      broadcastIndex(outIndex, outShape, bShape, bIndex);
      const o = indexToPosition(outIndex, outStrides);
      out[o] = fn(aStorage[indexToPosition(aIndex, aStrides)]!, bStorage[indexToPosition(bIndex, bStrides)]!);
    }
    // END ASSIGN2.3
  };
}

/**
 * Low-level reduce: out[i] = fn(…fn(fn(start, a[i₀]), a[i₁])…) over the
 * positions of `reduceDim`, where `out` has size 1 in that dimension.
 */
export function tensorReduce(fn: BinaryFn) {
  return (
    out: Storage,
    outShape: Int32Array,
    outStrides: Int32Array,
    aStorage: Storage,
    aShape: Int32Array,
    aStrides: Int32Array,
    reduceDim: number,
    start: number,
  ): void => {
    // BEGIN ASSIGN2.3
    const outIndex = new Int32Array(MAX_DIMS);
    const size = shapeProduct(outShape);
    const reduceSize = aShape[reduceDim]!;
    const reduceStride = aStrides[reduceDim]!;
    for (let i = 0; i < size; i++) {
      toIndex(i, outShape, outIndex);
      const o = indexToPosition(outIndex, outStrides);
      let j = indexToPosition(outIndex, aStrides);
      let acc = start;
      for (let s = 0; s < reduceSize; s++) {
        acc = fn(acc, aStorage[j]!);
        j += reduceStride;
      }
      out[o] = acc;
    }
    // END ASSIGN2.3
  };
}

/** Reference batched matrix product: a plain triple loop through the strides. */
function simpleMatrixMultiply(a: Tensor, b: Tensor): Tensor {
  const p = planMatmul(a, b);
  const out = p.out.storage;
  const as = a.storage;
  const bs = b.storage;
  let o = 0;
  for (let batch = 0; batch < p.batch; batch++) {
    const aBase = p.aOffsets[batch]!;
    const bBase = p.bOffsets[batch]!;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let acc = 0;
        let ai = aBase + i * p.aRow;
        let bj = bBase + j * p.bCol;
        for (let t = 0; t < p.k; t++) {
          acc += as[ai]! * bs[bj]!;
          ai += p.aCol;
          bj += p.bRow;
        }
        out[o++] = acc;
      }
    }
  }
  return p.out;
}

function shapeProduct(shape: Int32Array): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** The reference backend's ops. */
export const SimpleOps: TensorOps = {
  name: "simple",

  zeros(size: number, dtype: Dtype = "float64"): Storage {
    return newStorage(size, dtype);
  },

  empty(size: number, dtype: Dtype = "float64"): Storage {
    return newStorage(size, dtype);
  },

  map(fn: UnaryFn): MapFn {
    checkScalarFunction(fn, scalarOpLabel("map", fn));
    const kernel = tensorMap(fn);
    return (a, out) => {
      const o = mapOutput(a, out, fn.name || "map");
      kernel(o.storage, o.data.shapeArray, o.data.stridesArray, a.storage, a.data.shapeArray, a.data.stridesArray);
      return o;
    };
  },

  zip(fn: BinaryFn): ZipFn {
    checkScalarFunction(fn, scalarOpLabel("zip", fn));
    const kernel = tensorZip(fn);
    return (a, b) => {
      const o = zipOutput(a, b, fn.name || "zip");
      kernel(
        o.storage,
        o.data.shapeArray,
        o.data.stridesArray,
        a.storage,
        a.data.shapeArray,
        a.data.stridesArray,
        b.storage,
        b.data.shapeArray,
        b.data.stridesArray,
      );
      return o;
    };
  },

  reduce(fn: BinaryFn, start: number): ReduceFn {
    checkScalarFunction(fn, scalarOpLabel("reduce", fn));
    const kernel = tensorReduce(fn);
    return (a, dim) => {
      const o = reduceOutput(a, dim, fn.name ? `${fn.name} reduce` : "reduce");
      kernel(o.storage, o.data.shapeArray, o.data.stridesArray, a.storage, a.data.shapeArray, a.data.stridesArray, dim, start);
      return o;
    };
  },

  runKernel(kernel: Kernel, args: readonly KernelArg[], work: number): void {
    kernel.fn(...args, 0, work);
  },
};

/** The reference backend. Its convolutions are the course's direct loops, registered for every backend ("*"), run inline. */
export const SimpleBackend = new TensorBackend(SimpleOps);
// The triple loop reads and writes through the storage's own element type, so it serves both dtypes.
registerKernel("matmul", SimpleOps.name, simpleMatrixMultiply, ["float64", "float32"]);
registerBackend(SimpleBackend, { describe: () => "1 thread" });
