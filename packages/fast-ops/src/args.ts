/**
 * Encoding of a job's kernel arguments into the shared argument block.
 *
 * Storage in the arena travels as (slab, offset, length). A small array that
 * is not shared (a bias, a little weight tensor) is copied into the scratch
 * area before the job and copied back after it, so kernels may write it.
 * Integer vectors (shapes, strides) and numbers are copied in.
 */
import type { KernelArg } from "@minitorch/tensor-core";
import type { Arena } from "./arena.js";
import {
  ARG_DOUBLES,
  ARG_INTS,
  SCRATCH_DOUBLES,
  TAG_ARENA,
  TAG_INTS,
  TAG_NUMBER,
  TAG_SCRATCH,
  type SharedBlock,
} from "./protocol.js";

/** Arrays larger than this are never copied through scratch. */
const SCRATCH_MAX_ARRAY = 64 * 1024;

export class ArgWriter {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly scratch: Float64Array;
  private copied: Array<[Float64Array, number]> = [];

  constructor(
    shared: SharedBlock,
    private readonly arena: Arena,
  ) {
    this.ints = new Int32Array(shared.ints);
    this.doubles = new Float64Array(shared.doubles);
    this.scratch = new Float64Array(shared.scratch);
  }

  /**
   * Writes `args` and returns them as the main thread must pass them (small
   * unshared arrays replaced by their scratch copies); null when one of them
   * cannot reach the workers, so the job must run inline.
   */
  encode(args: readonly KernelArg[]): KernelArg[] | null {
    const ints = this.ints;
    let ic = 0;
    let dc = 0;
    let sc = 0;
    this.copied = [];
    const local = args.slice();
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
      } else {
        const slab = this.arena.slabOf(arg);
        if (slab >= 0) {
          ints[ic++] = TAG_ARENA;
          ints[ic++] = slab;
          ints[ic++] = arg.byteOffset / 8;
          ints[ic++] = arg.length;
          continue;
        }
        const previous = this.copied.find(([a]) => a === arg);
        let offset: number;
        if (previous !== undefined) {
          offset = previous[1];
        } else {
          if (arg.length > SCRATCH_MAX_ARRAY || sc + arg.length > SCRATCH_DOUBLES) return null;
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
    return local;
  }

  /** Copies scratch arrays back to their owners (kernels may have written them). */
  finish(): void {
    for (const [arr, offset] of this.copied) arr.set(this.scratch.subarray(offset, offset + arr.length));
    this.copied = [];
  }
}

/** The worker side: turns the argument block back into kernel arguments. */
export class ArgReader {
  private readonly ints: Int32Array;
  private readonly doubles: Float64Array;
  private readonly scratch: Float64Array;

  constructor(
    shared: SharedBlock,
    private readonly slabs: Float64Array[],
  ) {
    this.ints = new Int32Array(shared.ints);
    this.doubles = new Float64Array(shared.doubles);
    this.scratch = new Float64Array(shared.scratch);
  }

  /** The arguments of the current job, or null if a slab is missing. */
  decode(count: number): KernelArg[] | null {
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
      } else if (tag === TAG_ARENA) {
        const slab = this.slabs[ints[ic++]!];
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        if (slab === undefined) return null;
        out[i] = slab.subarray(offset, offset + n);
      } else if (tag === TAG_SCRATCH) {
        const offset = ints[ic++]!;
        const n = ints[ic++]!;
        out[i] = this.scratch.subarray(offset, offset + n);
      } else {
        throw new Error(`FastOps worker: corrupt argument block (tag ${tag} at ${ic - 1})`);
      }
    }
    return out;
  }
}
