/**
 * The control block of a thread group (threads.ts, serve.ts): Int32 slots
 * shared by the calling thread and its threads, and a message area for
 * errors and reports. Its first slots are the runtime's; a user of the
 * runtime (the pool, the GPU thread) keeps its own job words from
 * `USER_BASE` on; each thread has a few slots of its own from
 * `THREAD_BASE`.
 */

/** Bumped by the caller for every published job (and on stop); threads sleep on it. */
export const SEQ = 0;
/** Set to 1 to make every thread end. */
export const STOP = 1;
/** Messages posted to each thread so far. */
export const POSTED = 2;
/** 1 when a thread recorded an error for the current job (first error wins). */
export const ERROR = 3;
export const MESSAGE_LENGTH = 4;
/** The message (by POSTED count) that carries the open job's buffers; 0 when it needs none. */
export const JOB_MESSAGE = 5;
/** First of the slots a user of the runtime lays out itself. */
export const USER_BASE = 8;
export const USER_SLOTS = 24;
/** First per-thread slot group. */
export const THREAD_BASE = USER_BASE + USER_SLOTS;
const THREAD_SLOTS = 4;
export const MAX_THREADS = 64;
export const CONTROL_INTS = THREAD_BASE + THREAD_SLOTS * MAX_THREADS;
/** Bytes of the message area (errors, a thread's start report). */
export const MESSAGE_BYTES = 64 * 1024;

/**
 * 1 while thread `index` is looking at a job: raised before it reads the
 * job, lowered when done. Set to EXITED by a thread that ends inside a job,
 * from its exit handler, since the caller is blocked and cannot hear of it.
 */
export const active = (index: number): number => THREAD_BASE + THREAD_SLOTS * index;
/** The last SEQ thread `index` finished. */
export const done = (index: number): number => THREAD_BASE + THREAD_SLOTS * index + 1;
/** Thread `index`'s life: one of the states below. */
export const state = (index: number): number => THREAD_BASE + THREAD_SLOTS * index + 2;

/** ACTIVE value of a thread that ended inside a job. */
export const EXITED = -1;

/** Thread states. */
export const STARTING = 0;
export const READY = 1;
/** The thread could not start (no GPU); the message area says why. */
export const UNAVAILABLE = 2;
export const GONE = 3;
/** Ended after STOP, cleanly (the GPU thread has destroyed its device). */
export const SHUT = 4;
/** Asks to be replaced after the current job (a lost GPU device). */
export const RETIRING = 5;

/** The shared memory of a group. */
export interface ControlBlock {
  control: SharedArrayBuffer;
  message: SharedArrayBuffer;
}

export function createControlBlock(): ControlBlock {
  return { control: new SharedArrayBuffer(CONTROL_INTS * 4), message: new SharedArrayBuffer(MESSAGE_BYTES) };
}

/** Writes `text` (UTF-8, truncated to the area) as the current message. */
export function writeMessage(control: Int32Array, area: Uint8Array, text: string): void {
  const bytes = new TextEncoder().encode(text);
  const n = Math.min(bytes.length, area.length);
  area.set(bytes.subarray(0, n));
  Atomics.store(control, MESSAGE_LENGTH, n);
}

export function readMessage(control: Int32Array, area: Uint8Array): string {
  const n = Atomics.load(control, MESSAGE_LENGTH);
  return new TextDecoder().decode(area.slice(0, n));
}

/** Records a job's error message; the first error of a job wins. */
export function writeError(control: Int32Array, area: Uint8Array, text: string): void {
  if (Atomics.compareExchange(control, ERROR, 0, 1) !== 0) return;
  writeMessage(control, area, text);
}
