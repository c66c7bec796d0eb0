/**
 * The shared control block between the main thread and the workers, and the
 * encoding of a job's arguments. Both sides import this file.
 *
 * A job is published by writing its arguments, resetting the chunk counter,
 * bumping GEN and setting STATE to OPEN. Participants (main thread included)
 * claim chunks with an atomic increment of NEXT until all are taken, so a
 * slow or descheduled thread never holds up the others. A worker raises its
 * ACTIVE flag before looking at a job and lowers it when done; the main
 * thread closes the job and waits for every flag to fall before it returns
 * (and before the arguments can be overwritten by the next job).
 */

/** Int32 slots of the control block. */
export const GEN = 0;
export const STATE = 1;
export const NEXT = 2;
export const NCHUNKS = 3;
export const KERNEL = 4;
export const WORK = 5;
export const CHUNK = 6;
export const ERROR = 7;
export const POSTED = 8;
export const STOP = 9;
export const NARGS = 10;
export const ERROR_LENGTH = 11;
export const SCRATCH_USED = 12;
/** First of one ACTIVE flag per worker. */
export const ACTIVE_BASE = 16;
/**
 * Value of an ACTIVE flag whose worker exited inside a job. The worker sets
 * it from its exit handler, because the main thread, blocked in the job,
 * cannot run the event loop that would tell it the worker is gone.
 */
export const EXITED = -1;
export const MAX_WORKERS = 64;
/** Slot where workers count chunks they completed (for tests and profiles). */
export const WORKER_CHUNKS = ACTIVE_BASE + MAX_WORKERS;
export const CONTROL_INTS = WORKER_CHUNKS + 1;

export const OPEN = 1;
export const CLOSED = 0;

/** Bytes of the error-message area (UTF-8). */
export const ERROR_BYTES = 4096;

/** Argument tags. */
export const TAG_NUMBER = 1;
export const TAG_INTS = 2;
export const TAG_ARENA = 3;
export const TAG_SCRATCH = 4;

/** Capacity of the argument block: ints for tags and vectors, doubles for numbers and small arrays. */
export const ARG_INTS = 16384;
export const ARG_DOUBLES = 4096;
export const SCRATCH_DOUBLES = 256 * 1024;

/** The shared buffers of a pool, created by the main thread and handed to every worker. */
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

/** How a kernel is found in a worker. */
export type KernelDef =
  | { kind: "module"; name: string; module: string }
  | { kind: "map" | "zip" | "reduce"; name: string; op: string }
  | { kind: "map" | "zip" | "reduce"; name: string; source: string };

/** A message to the workers, pulled synchronously from their port before a job. */
export interface PoolMessage {
  defs?: Array<[number, KernelDef]>;
  slabs?: Array<[number, SharedArrayBuffer]>;
}

/** Writes a job's error message (first error wins) into the shared error area. */
export function writeError(control: Int32Array, errorBytes: Uint8Array, message: string): void {
  if (Atomics.compareExchange(control, ERROR, 0, 1) !== 0) return;
  const encoded = new TextEncoder().encode(message).subarray(0, ERROR_BYTES);
  errorBytes.set(encoded);
  Atomics.store(control, ERROR_LENGTH, encoded.length);
}

export function readError(control: Int32Array, errorBytes: Uint8Array): string {
  const n = Atomics.load(control, ERROR_LENGTH);
  return new TextDecoder().decode(errorBytes.slice(0, n));
}
