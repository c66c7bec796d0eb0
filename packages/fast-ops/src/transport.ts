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
 * job (kernels may write it). A Float32Array (float32 storage) travels with
 * its own tags, so the other thread views the same bytes as float32.
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
const TAG_SHARED32 = 5;
const TAG_SCRATCH32 = 6;

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
  private readonly scratch32: Float32Array;
  private copied: Array<[Float64Array | Float32Array, Float64Array | Float32Array]> = [];

  constructor(block: SharedBlock) {
    this.ints = new Int32Array(block.ints);
    this.doubles = new Float64Array(block.doubles);
    this.scratch = new Float64Array(block.scratch);
    this.scratch32 = new Float32Array(block.scratch);
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
        const f32 = arg instanceof Float32Array;
        ints[ic++] = f32 ? TAG_SHARED32 : TAG_SHARED;
        ints[ic++] = b;
        ints[ic++] = arg.byteOffset / arg.BYTES_PER_ELEMENT;
        ints[ic++] = arg.length;
      } else {
        const f32 = arg instanceof Float32Array;
        const previous = this.copied.find(([a]) => a === arg);
        let copy: Float64Array | Float32Array;
        if (previous !== undefined) {
          copy = previous[1];
        } else {
          // A float32 copy takes whole doubles of scratch, so every copy starts 8-byte aligned.
          const doubles = f32 ? Math.ceil(arg.length / 2) : arg.length;
          if (arg.length > SCRATCH_MAX_ARRAY || sc + doubles > SCRATCH_DOUBLES) return this.abandon();
          copy = f32 ? this.scratch32.subarray(2 * sc, 2 * sc + arg.length) : this.scratch.subarray(sc, sc + arg.length);
          copy.set(arg);
          sc += doubles;
          this.copied.push([arg, copy]);
        }
        ints[ic++] = f32 ? TAG_SCRATCH32 : TAG_SCRATCH;
        ints[ic++] = copy.byteOffset / copy.BYTES_PER_ELEMENT;
        ints[ic++] = arg.length;
        local[i] = copy;
      }
    }
    return { local, buffers };
  }

  /** Copies scratch arrays back to their owners (kernels may have written them). */
  finish(): void {
    for (const [arr, copy] of this.copied) arr.set(copy);
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
  private readonly scratch32: Float32Array;

  constructor(block: SharedBlock) {
    this.ints = new Int32Array(block.ints);
    this.doubles = new Float64Array(block.doubles);
    this.scratch = new Float64Array(block.scratch);
    this.scratch32 = new Float32Array(block.scratch);
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
      } else if (tag === TAG_SHARED || tag === TAG_SHARED32) {
        const buffer = buffers[ints[ic++]!];
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        if (buffer === undefined) throw new Error(`argument ${i} names shared buffer ${ints[ic - 3]} of ${buffers.length}`);
        out[i] = tag === TAG_SHARED ? new Float64Array(buffer, offset * 8, n) : new Float32Array(buffer, offset * 4, n);
      } else if (tag === TAG_SCRATCH || tag === TAG_SCRATCH32) {
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        out[i] = tag === TAG_SCRATCH ? this.scratch.subarray(offset, offset + n) : this.scratch32.subarray(offset, offset + n);
      } else {
        throw new Error(`corrupt argument block (tag ${tag} at ${ic - 1})`);
      }
    }
    return out;
  }
}
