/**
 * Operand transport between the main thread and the GPU thread — a local
 * stand-in, with the same interface, for the one @minitorch/fast-ops exports
 * from its transport.ts once the shared-storage rewrite lands (then this file
 * goes and gpuThread.ts / gpuWorker.ts import from @minitorch/fast-ops).
 *
 * Storage of at least SHARE_MIN elements is its own SharedArrayBuffer and
 * travels by reference: (index into the job's buffer list, element offset,
 * length), the buffers themselves posted through a MessagePort right before
 * the job is published. Smaller arrays that are not shared are copied into
 * the block's scratch area and back after the job. Numbers and integer
 * vectors are copied into the block.
 */
import type { KernelArg } from "@minitorch/tensor-core";

/** Storage below this many elements is a plain array (it travels by copy). */
export const SHARE_MIN = 1024;

const ARG_INTS = 16384;
const ARG_DOUBLES = 4096;
const SCRATCH_DOUBLES = 256 * 1024;
const ERROR_BYTES = 4096;
const CONTROL_INTS = 64;

const TAG_NUMBER = 1;
const TAG_INTS = 2;
const TAG_SHARED = 3;
const TAG_SCRATCH = 4;

/** The shared buffers of one channel. */
export interface SharedBlock {
  control: SharedArrayBuffer;
  ints: SharedArrayBuffer;
  doubles: SharedArrayBuffer;
  scratch: SharedArrayBuffer;
  error: SharedArrayBuffer;
}

export function createSharedBlock(): SharedBlock {
  return {
    control: new SharedArrayBuffer(CONTROL_INTS * 4),
    ints: new SharedArrayBuffer(ARG_INTS * 4),
    doubles: new SharedArrayBuffer(ARG_DOUBLES * 8),
    scratch: new SharedArrayBuffer(SCRATCH_DOUBLES * 8),
    error: new SharedArrayBuffer(ERROR_BYTES),
  };
}

/** Storage with the library's sharing policy: its own SharedArrayBuffer from SHARE_MIN elements on. */
export function allocateStorage(size: number): Float64Array {
  return size >= SHARE_MIN ? new Float64Array(new SharedArrayBuffer(size * 8)) : new Float64Array(size);
}

/** The main thread's side: writes a job's arguments into the block. */
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

  /**
   * Writes `args`; returns them as the main thread would use them (small
   * copies replaced by their scratch views) and the buffers to post, or null
   * when an argument does not fit (the caller shares it first).
   */
  encode(args: readonly KernelArg[]): { local: KernelArg[]; buffers: SharedArrayBuffer[] } | null {
    const ints = this.ints;
    const buffers: SharedArrayBuffer[] = [];
    const local = args.slice();
    let ic = 0;
    let dc = 0;
    let sc = 0;
    this.copied = [];
    for (let i = 0; i < args.length; i++) {
      const arg = args[i]!;
      if (ic + 4 > ARG_INTS) return null;
      if (typeof arg === "number") {
        if (dc >= ARG_DOUBLES) return null;
        ints[ic++] = TAG_NUMBER;
        ints[ic++] = dc;
        this.doubles[dc++] = arg;
      } else if (arg instanceof Int32Array) {
        if (ic + 2 + arg.length > ARG_INTS) return null;
        ints[ic++] = TAG_INTS;
        ints[ic++] = arg.length;
        ints.set(arg, ic);
        ic += arg.length;
      } else if (arg.buffer instanceof SharedArrayBuffer) {
        let index = buffers.indexOf(arg.buffer);
        if (index < 0) index = buffers.push(arg.buffer) - 1;
        ints[ic++] = TAG_SHARED;
        ints[ic++] = index;
        ints[ic++] = arg.byteOffset / 8;
        ints[ic++] = arg.length;
      } else {
        const previous = this.copied.find(([a]) => a === arg);
        let offset: number;
        if (previous !== undefined) {
          offset = previous[1];
        } else {
          if (sc + arg.length > SCRATCH_DOUBLES) return null;
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

  /** Copies scratch arrays back to their owners (the job may have written them). */
  finish(): void {
    for (const [arr, offset] of this.copied) arr.set(this.scratch.subarray(offset, offset + arr.length));
    this.copied = [];
  }
}

/** The other thread's side: turns the block back into arguments. */
export class ArgReader {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly scratch: Float64Array;

  constructor(block: SharedBlock) {
    this.ints = new Int32Array(block.ints);
    this.doubles = new Float64Array(block.doubles);
    this.scratch = new Float64Array(block.scratch);
  }

  /** The current job's `count` arguments; shared storage becomes views on `buffers`. */
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
        if (buffer === undefined) throw new Error(`argument ${i}: its shared buffer was not posted with the job`);
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
