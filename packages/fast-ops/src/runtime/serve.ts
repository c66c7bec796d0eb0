/**
 * The thread side of the runtime (the calling side is threads.ts): a
 * thread sleeps in `Atomics.wait` on SEQ between jobs — blocked, not in an
 * event loop, so an idle thread costs no CPU — wakes for each published
 * job, reads the messages posted for it, runs it, records an error if it
 * threw, and reports done. A thread that ends inside a job says so in the
 * control block from its exit handler, since its caller is blocked.
 */
import { EXITED, GONE, POSTED, READY, RETIRING, SEQ, SHUT, STOP, UNAVAILABLE, active, done, state, writeError, writeMessage } from "./control.js";
import { closeThread, idleWait, onThreadExit, receive, threadInit } from "./platform.js";
import type { ThreadStart } from "./threads.js";

/** What a thread does; `serve` runs it. */
export interface ThreadRole {
  /** Polls of SEQ before sleeping between jobs (a pool worker spins briefly; the GPU thread not at all). */
  spin: number;
  /** True when this thread must run every job (the GPU thread); false when it may leave one to others (a pool worker). */
  everyJob: boolean;
  /** Starts the thread's resources; returns a report for the caller (the message area), or throws why it cannot serve. */
  start?(): Promise<string>;
  /** Takes message number `n` posted by the caller (kernel definitions, a job's buffers). */
  message(message: unknown, n: number): void;
  /** Runs the published job; what it throws becomes the job's error. */
  job(): void | Promise<void>;
  /** Work that needs the event loop (module imports), done before the thread sleeps again. */
  beforeSleep?(): Promise<void> | undefined;
  /** Runs on STOP even while a job is stuck, before the thread reports SHUT (the GPU thread destroys its device). */
  stop?(): Promise<void>;
}

const start = threadInit<ThreadStart>();

/** This thread's view of its group: the control block, its index and its user data. */
export const thread = {
  control: new Int32Array(start.block.control),
  messageArea: new Uint8Array(start.block.message),
  index: start.index,
  user: start.user,
};

const { control, index } = thread;

/** Asks the caller to replace this thread after the current job (a lost device). */
export function retire(): void {
  setState(RETIRING);
}

function setState(s: number): void {
  Atomics.store(control, state(index), s);
  Atomics.notify(control, state(index));
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs `role` until STOP. */
export async function serve(role: ThreadRole): Promise<void> {
  onThreadExit(() => {
    if (Atomics.load(control, state(index)) !== SHUT) Atomics.store(control, state(index), GONE);
    Atomics.compareExchange(control, active(index), 1, EXITED);
    Atomics.notify(control, active(index));
    Atomics.notify(control, done(index));
    Atomics.notify(control, state(index));
  });
  // Keeps the thread alive while a job awaits (the caller unrefs it, so the process can still exit).
  const keepAlive = setInterval(() => {}, 1 << 30);
  const end = (s: number): void => {
    clearInterval(keepAlive);
    setState(s);
    closeThread();
  };
  if (role.start !== undefined) {
    try {
      writeMessage(control, thread.messageArea, await role.start());
    } catch (e) {
      writeMessage(control, thread.messageArea, describe(e));
      end(UNAVAILABLE);
      return;
    }
  }
  const stopped = role.stop === undefined ? null : watchStop(role.stop);
  setState(READY);
  let consumed = start.posted;
  const catchUp = (): boolean => {
    const posted = Atomics.load(control, POSTED);
    while (consumed < posted) {
      const m = receive();
      if (m === undefined) return false;
      role.message(m, ++consumed);
    }
    return true;
  };
  // A thread that must run every job starts from the first; a pool worker joins from the next.
  let seen = role.everyJob ? 0 : Atomics.load(control, SEQ);
  for (;;) {
    const pending = role.beforeSleep?.();
    if (pending !== undefined) await pending;
    for (let spins = 0; Atomics.load(control, SEQ) === seen && spins < role.spin; spins++);
    if (Atomics.load(control, SEQ) === seen && Atomics.load(control, STOP) === 0) {
      const wait = idleWait(control, SEQ, seen) as void | Promise<void>;
      if (wait !== undefined) await wait;
    }
    if (Atomics.load(control, STOP) !== 0) break;
    // Raise the flag before looking at the job: the caller waits for every raised flag.
    Atomics.store(control, active(index), 1);
    const seq = Atomics.load(control, SEQ);
    if (seq !== seen) {
      seen = seq;
      let ready = catchUp();
      while (!ready && role.everyJob && Atomics.load(control, STOP) === 0) {
        // The job's message is on its way (a platform that delivers through the event loop).
        await new Promise((resolve) => setTimeout(resolve, 0));
        ready = catchUp();
      }
      if (ready) {
        try {
          const r = role.job();
          if (r !== undefined) await r;
        } catch (e) {
          writeError(control, thread.messageArea, Atomics.load(control, STOP) !== 0 ? "the thread was stopped during the operation" : describe(e));
        }
      }
      Atomics.store(control, done(index), seq);
    }
    Atomics.store(control, active(index), 0);
    Atomics.notify(control, active(index));
    Atomics.notify(control, done(index));
  }
  if (stopped !== null) await stopped;
  end(SHUT);
}

/** Waits for STOP on its own, so that a stuck job cannot keep the thread's resources alive. */
async function watchStop(stop: () => Promise<void>): Promise<void> {
  const wait = Atomics.waitAsync(control, STOP, 0);
  if (wait.async) await wait.value;
  await stop();
  setState(SHUT);
}
