/**
 * The pool's job words, kept in the user slots of the runtime's control
 * block (runtime/control.ts), and the messages it posts; both the pool and
 * its workers import this file.
 *
 * A job is published by writing its arguments (transport.ts), posting its
 * shared buffers, writing these words and setting STATE to OPEN; then the
 * runtime wakes the workers. Participants (main thread included) claim
 * chunks with an atomic increment of NEXT until all are taken, so a slow or
 * descheduled thread never holds up the others. The main thread closes the
 * job and waits until no worker is inside it (the runtime's ACTIVE flags)
 * before it returns and the arguments can be overwritten.
 */
import { USER_BASE } from "./runtime/control.js";

export const STATE = USER_BASE;
export const NEXT = USER_BASE + 1;
export const NCHUNKS = USER_BASE + 2;
export const KERNEL = USER_BASE + 3;
export const WORK = USER_BASE + 4;
export const CHUNK = USER_BASE + 5;
export const NARGS = USER_BASE + 6;
/** Where workers count chunks they completed (for tests and profiles). */
export const WORKER_CHUNKS = USER_BASE + 7;

export const OPEN = 1;
export const CLOSED = 0;

/**
 * How a kernel is found in a worker: the export `name` of `module`; with
 * `fn`, that export is a factory (an elementwise kernel set's `map`, `zip`
 * or `reduce`) and the kernel is what it returns for the scalar function
 * `fn` names (elementwise.ts).
 */
export type KernelDef = { kind: "module"; name: string; module: string; fn?: { op: string } | { source: string } };

/** A message to the workers: new kernel definitions, and the shared buffers of the job it was posted for. */
export interface PoolMessage {
  defs?: Array<[number, KernelDef]>;
  buffers?: SharedArrayBuffer[];
}

/** What a worker starts with besides the runtime's data. */
export interface WorkerInit {
  shared: import("./transport.js").SharedBlock;
  defs: Array<[number, KernelDef]>;
}
