/**
 * The pool's control words (in the control area of a transport.ts block),
 * shared by the main thread and the workers. Both sides import this file.
 *
 * A job is published by writing its arguments (transport.ts), posting its
 * shared buffers on every worker's port, resetting the chunk counter,
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
/** The message (by POSTED count) that carries the open job's buffers; 0 when it uses none. */
export const JOB_MESSAGE = 12;
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

export const OPEN = 1;
export const CLOSED = 0;

/**
 * How a kernel is found in a worker: the export `name` of `module`; with
 * `fn`, that export is a factory (an elementwise kernel set's `map`, `zip`
 * or `reduce`) and the kernel is what it returns for the scalar function
 * `fn` names (elementwise.ts).
 */
export type KernelDef = { kind: "module"; name: string; module: string; fn?: { op: string } | { source: string } };

/**
 * A message to the workers, pulled synchronously from their port when they
 * wake: new kernel definitions, and the shared buffers of the job it was
 * posted for.
 */
export interface PoolMessage {
  defs?: Array<[number, KernelDef]>;
  buffers?: SharedArrayBuffer[];
}

/** Writes a job's error message (first error wins) into the shared error area. */
export function writeError(control: Int32Array, errorBytes: Uint8Array, message: string): void {
  if (Atomics.compareExchange(control, ERROR, 0, 1) !== 0) return;
  const encoded = new TextEncoder().encode(message).subarray(0, errorBytes.length);
  errorBytes.set(encoded);
  Atomics.store(control, ERROR_LENGTH, encoded.length);
}

export function readError(control: Int32Array, errorBytes: Uint8Array): string {
  const n = Atomics.load(control, ERROR_LENGTH);
  return new TextDecoder().decode(errorBytes.slice(0, n));
}
