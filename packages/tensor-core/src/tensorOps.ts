/**
 * Module 2: the interface every tensor backend implements, and
 * `TensorBackend`, which builds the named kernels the tensor functions use
 * (`negMap`, `addZip`, `addReduce`, …) from one ops object.
 */
import { operators } from "@minitorch/autodiff";
import { kernelFor } from "./registry.js";
import type { Dtype, Storage } from "./tensorData.js";
import type { Tensor } from "./tensor.js";

/** A scalar function of one number, such as `operators.neg`. */
export type UnaryFn = (x: number) => number;
/** A scalar function of two numbers, such as `operators.add`. */
export type BinaryFn = (x: number, y: number) => number;

/**
 * Applies a unary function elementwise. With `out`, `a` is broadcast into
 * `out`'s shape and the result written there.
 */
export type MapFn = (a: Tensor, out?: Tensor) => Tensor;
/** Applies a binary function elementwise over the broadcast of `a` and `b`. */
export type ZipFn = (a: Tensor, b: Tensor) => Tensor;
/** Folds dimension `dim` of `a`, keeping it with size 1. */
export type ReduceFn = (a: Tensor, dim: number) => Tensor;

/** An argument of a kernel: storage, an integer vector (shape, strides) or a number. */
export type KernelArg = Float64Array | Float32Array | Int32Array | number;

/**
 * A kernel on plain arrays that a backend can run inline or split across
 * threads. `fn(...args, start, end)` does work units [start, end); units must
 * be independent (each writes its own part of the output).
 */
export interface Kernel {
  /** Name shown in errors and profiles, and how workers find the function. */
  readonly name: string;
  /**
   * Module that exports `fn` under `name`, for backends that run kernels in
   * worker threads: the defining module's own `import.meta.url` (a `.ts`
   * source under test, which workers run through a TypeScript loader, or
   * the built `.js`).
   */
  readonly module: string;
  readonly fn: (...args: KernelArg[]) => void;
}

/** What a backend must provide. */
export interface TensorOps {
  /** Backend name, for messages. */
  readonly name: string;
  /** Threads `runKernel` splits work across, the calling one included; 1 when absent. */
  readonly threads?: () => number;
  /**
   * Fresh storage of `size` elements of `dtype` (float64 when absent), all
   * 0. A backend that stores only float64 ignores `dtype`; creating a
   * float32 tensor on it is then an error (opShapes.ts `emptyTensor`).
   */
  zeros(size: number, dtype?: Dtype): Storage;
  /** Fresh storage of `size` elements of `dtype` that the caller overwrites entirely. */
  empty(size: number, dtype?: Dtype): Storage;
  map(fn: UnaryFn): MapFn;
  zip(fn: BinaryFn): ZipFn;
  reduce(fn: BinaryFn, start: number): ReduceFn;
  /**
   * Runs `kernel` over work units [0, work). `cost` estimates the work per
   * unit in floating-point operations, so a parallel backend can decide
   * whether splitting pays.
   */
  runKernel(kernel: Kernel, args: readonly KernelArg[], work: number, cost: number): void;
}

/** The named kernels of one backend, built once from its ops. */
export class TensorBackend {
  readonly negMap: MapFn;
  readonly sigmoidMap: MapFn;
  readonly reluMap: MapFn;
  readonly logMap: MapFn;
  readonly expMap: MapFn;
  readonly idMap: MapFn;
  readonly invMap: MapFn;

  readonly addZip: ZipFn;
  readonly mulZip: ZipFn;
  readonly ltZip: ZipFn;
  readonly eqZip: ZipFn;
  /** eq that counts NaN equal to NaN: finds a reduction's result again in its input. */
  readonly sameValueZip: ZipFn;
  readonly isCloseZip: ZipFn;
  readonly reluBackZip: ZipFn;
  readonly sigmoidBackZip: ZipFn;
  readonly logBackZip: ZipFn;
  readonly invBackZip: ZipFn;

  readonly addReduce: ReduceFn;
  readonly mulReduce: ReduceFn;
  readonly maxReduce: ReduceFn;

  constructor(readonly ops: TensorOps) {
    this.negMap = ops.map(operators.neg);
    this.sigmoidMap = ops.map(operators.sigmoid);
    this.reluMap = ops.map(operators.relu);
    this.logMap = ops.map(operators.log);
    this.expMap = ops.map(operators.exp);
    this.idMap = ops.map(operators.id);
    this.invMap = ops.map(operators.inv);

    this.addZip = ops.zip(operators.add);
    this.mulZip = ops.zip(operators.mul);
    this.ltZip = ops.zip(operators.lt);
    this.eqZip = ops.zip(operators.eq);
    this.sameValueZip = ops.zip(operators.sameValue);
    this.isCloseZip = ops.zip(operators.isClose);
    this.reluBackZip = ops.zip(operators.reluBack);
    this.sigmoidBackZip = ops.zip(operators.sigmoidBack);
    this.logBackZip = ops.zip(operators.logBack);
    this.invBackZip = ops.zip(operators.invBack);

    this.addReduce = ops.reduce(operators.add, 0.0);
    this.mulReduce = ops.reduce(operators.mul, 1.0);
    this.maxReduce = ops.reduce(operators.max, -Infinity);
  }

  get name(): string {
    return this.ops.name;
  }

  /** `a @ b` with the "matmul" kernel registered for this backend and `a`'s dtype. */
  matrixMultiply(a: Tensor, b: Tensor): Tensor {
    return kernelFor("matmul", this, a.dtype)(a, b);
  }

  runKernel(kernel: Kernel, args: readonly KernelArg[], work: number, cost: number): void {
    this.ops.runKernel(kernel, args, work, cost);
  }
}
