/**
 * How a job's kernel arguments reach another thread (a FastOps worker, or
 * the GPU thread of gpu-ops).
 *
 * The calling thread writes numbers and integer vectors (shapes, strides)
 * into a shared argument block, and names each shared storage by its place
 * in the job's buffer list plus an element offset and length. It posts that
 * list of `SharedArrayBuffer`s to the other thread (the runtime's `post`)
 * before it wakes it; the other thread reads the list when it wakes
 * (runtime/platform.ts `receive`) and builds its views. A small storage that is not
 * shared is copied into the block's scratch area and copied back after the
 * job (kernels may write it).
 *
 * The receiving thread keeps the buffers only for the job, so a storage
 * that the program dropped is freed by garbage collection like any other.
 */
import type { KernelArg } from "@minitorch/tensor-core";

/** The argument memory of one channel: the argument block and scratch (control words and errors are the runtime's, runtime/control.ts). */
export interface SharedBlock {
  ints: SharedArrayBuffer;
  doubles: SharedArrayBuffer;
  scratch: SharedArrayBuffer;
}

/** Capacity of the argument block: ints for tags and vectors, doubles for numbers. */
export const ARG_INTS = 16384;
export const ARG_DOUBLES = 4096;
/** Doubles of the scratch area for small unshared arrays. */
export const SCRATCH_DOUBLES = 256 * 1024;
/** Unshared arrays larger than this never travel through scratch (the job runs inline instead). */
export const SCRATCH_MAX_ARRAY = 64 * 1024;

const TAG_NUMBER = 1;
const TAG_INTS = 2;
const TAG_SHARED = 3;
const TAG_SCRATCH = 4;

export function createSharedBlock(): SharedBlock {
  return {
    ints: new SharedArrayBuffer(ARG_INTS * 4),
    doubles: new SharedArrayBuffer(ARG_DOUBLES * 8),
    scratch: new SharedArrayBuffer(SCRATCH_DOUBLES * 8),
  };
}

/** A job's arguments as encoded: what the calling thread passes itself, and the buffers to post. */
export interface EncodedArgs {
  /** The arguments with small unshared arrays replaced by their scratch copies. */
  local: KernelArg[];
  /** The distinct shared buffers the job uses, in the order the block refers to them. */
  buffers: SharedArrayBuffer[];
}

/** The calling thread's side: encodes arguments into the block. */
export class ArgWriter {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly scratch: Float64Array;
  private copied: Array<[Float64Array, number]> = [];

  constructor(block: SharedBlock) {
    this.ints = new Int32Array(block.ints);
    this.doubles = new Float64Array(block.doubles);
    this.scratch = new Float64Array(block.scratch);
  }

  /** Writes `args` into the block; null when one of them cannot travel (the job must run on the calling thread). */
  encode(args: readonly KernelArg[]): EncodedArgs | null {
    const ints = this.ints;
    const buffers: SharedArrayBuffer[] = [];
    let ic = 0;
    let dc = 0;
    let sc = 0;
    this.copied = [];
    const local = args.slice();
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (ic + 4 > ARG_INTS) return this.abandon();
      if (typeof arg === "number") {
        if (dc >= ARG_DOUBLES) return this.abandon();
        ints[ic++] = TAG_NUMBER;
        ints[ic++] = dc;
        this.doubles[dc++] = arg;
      } else if (arg instanceof Int32Array) {
        if (ic + 2 + arg.length > ARG_INTS) return this.abandon();
        ints[ic++] = TAG_INTS;
        ints[ic++] = arg.length;
        ints.set(arg, ic);
        ic += arg.length;
      } else if (arg.buffer instanceof SharedArrayBuffer) {
        let b = buffers.indexOf(arg.buffer);
        if (b < 0) b = buffers.push(arg.buffer) - 1;
        ints[ic++] = TAG_SHARED;
        ints[ic++] = b;
        ints[ic++] = arg.byteOffset / 8;
        ints[ic++] = arg.length;
      } else {
        const previous = this.copied.find(([a]) => a === arg);
        let offset: number;
        if (previous !== undefined) {
          offset = previous[1];
        } else {
          if (arg.length > SCRATCH_MAX_ARRAY || sc + arg.length > SCRATCH_DOUBLES) return this.abandon();
          offset = sc;
          this.scratch.set(arg, sc);
          sc += arg.length;
          this.copied.push([arg, offset]);
        }
        ints[ic++] = TAG_SCRATCH;
        ints[ic++] = offset;
        ints[ic++] = arg.length;
        local[i] = this.scratch.subarray(offset, offset + arg.length);
      }
    }
    return { local, buffers };
  }

  /** Copies scratch arrays back to their owners (kernels may have written them). */
  finish(): void {
    for (const [arr, offset] of this.copied) arr.set(this.scratch.subarray(offset, offset + arr.length));
    this.copied = [];
  }

  private abandon(): null {
    this.copied = [];
    return null;
  }
}

/** The receiving thread's side: turns the block back into kernel arguments. */
export class ArgReader {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly scratch: Float64Array;

  constructor(block: SharedBlock) {
    this.ints = new Int32Array(block.ints);
    this.doubles = new Float64Array(block.doubles);
    this.scratch = new Float64Array(block.scratch);
  }

  /** The `count` arguments of the current job, over `buffers` (the list its caller posted). */
  decode(count: number, buffers: readonly SharedArrayBuffer[]): KernelArg[] {
    const ints = this.ints;
    const out: KernelArg[] = new Array(count);
    let ic = 0;
    for (let i = 0; i < count; i++) {
      const tag = ints[ic++];
      if (tag === TAG_NUMBER) {
        out[i] = this.doubles[ints[ic++]!]!;
      } else if (tag === TAG_INTS) {
        const n = ints[ic++]!;
        out[i] = ints.slice(ic, ic + n);
        ic += n;
      } else if (tag === TAG_SHARED) {
        const buffer = buffers[ints[ic++]!];
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        if (buffer === undefined) throw new Error(`argument ${i} names shared buffer ${ints[ic - 3]} of ${buffers.length}`);
        out[i] = new Float64Array(buffer, offset * 8, n);
      } else if (tag === TAG_SCRATCH) {
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        out[i] = this.scratch.subarray(offset, offset + n);
      } else {
        throw new Error(`corrupt argument block (tag ${tag} at ${ic - 1})`);
      }
    }
    return out;
  }
}
