/**
 * The calling side of the synchronous thread runtime, shared by FastOps'
 * worker pool and gpu-ops' GPU thread: it starts threads, posts them
 * messages, publishes a job in the control block (bump SEQ, then
 * `Atomics.notify`), and blocks in `Atomics.wait` in short slices until the
 * job is done — so a thread that died or hung turns into an Error naming
 * the operation (and a restart), never a hang. No Promise is involved: the
 * caller's event loop does not turn during a job. The thread side is
 * serve.ts; everything Node-specific is in platform.ts.
 */
import {
  ERROR,
  EXITED,
  GONE,
  JOB_MESSAGE,
  POSTED,
  SEQ,
  SHUT,
  STOP,
  UNAVAILABLE,
  active,
  createControlBlock,
  done,
  readMessage,
  state,
  type ControlBlock,
} from "./control.js";
import { onProcessExit, spawnThread, type ThreadHandle } from "./platform.js";

/** What a thread starts with (serve.ts reads it). */
export interface ThreadStart<T = unknown> {
  block: ControlBlock;
  index: number;
  /** Messages posted before it started (it must not wait for them). */
  posted: number;
  user: T;
}

export interface ThreadGroupOptions {
  /** URL of the threads' module (its own `import.meta.url`-relative URL: .ts from source, .js when built). */
  entry: string;
  /** The user data thread `index` starts with. */
  init: (index: number) => unknown;
  /** The error text after "op: " when a thread exits inside a job. */
  exited: string;
  /** The error text after "op: " when a job takes longer than `timeoutMs` (given in seconds). */
  timedOut: (seconds: number) => string;
  /** Stop threads by asking first (STOP), waiting for them to report SHUT, as the GPU thread must destroy its device. */
  graceful: boolean;
  /** Milliseconds a job may take before its threads are declared hung. */
  timeoutMs: number;
}

/** Polls of a flag before the caller sleeps on it: most jobs end within them. */
const SPIN = 20000;
/** Slice of `Atomics.wait` between checks for a dead thread or a timeout. */
const SLICE_MS = 5;
/** How long a graceful stop waits for a thread to report SHUT. */
const STOP_WAIT_MS = 5000;

export class ThreadGroup {
  /** Milliseconds a job may take; see `ThreadGroupOptions.timeoutMs`. */
  timeoutMs: number;
  /** Times the group was restarted after a thread died, hung or asked to retire. */
  restarts = 0;
  private block: ControlBlock = createControlBlock();
  /** The control words (control.ts; users keep their own from USER_BASE). */
  control = new Int32Array(this.block.control);
  /** The message area (errors, start reports). */
  messageArea = new Uint8Array(this.block.message);
  private threads: Array<ThreadHandle | null> = [];
  private posted = 0;
  private seq = 0;
  private exitHook = false;

  constructor(private readonly options: ThreadGroupOptions) {
    this.timeoutMs = options.timeoutMs;
  }

  /** Starts threads [0, count) that are not running (lazily, on a job's first need). */
  ensure(count: number): void {
    for (let i = 0; i < count; i++) {
      const t = this.threads[i];
      if (t === null || t === undefined || !t.alive) this.spawn(i);
    }
    if (this.options.graceful && !this.exitHook) {
      this.exitHook = true;
      onProcessExit(() => this.stop());
    }
  }

  private spawn(index: number): void {
    // A slot reused after its thread died: clear what the dead thread left.
    Atomics.store(this.control, active(index), 0);
    Atomics.store(this.control, state(index), 0);
    Atomics.store(this.control, done(index), Atomics.load(this.control, SEQ));
    const start: ThreadStart = { block: this.block, index, posted: this.posted, user: this.options.init(index) };
    this.threads[index] = spawnThread(this.options.entry, start);
  }

  /** Threads currently running. */
  aliveCount(): number {
    return this.threads.filter((t) => t !== null && t.alive).length;
  }

  /** Whether thread `index` runs. */
  isAlive(index: number): boolean {
    const t = this.threads[index];
    return t !== null && t !== undefined && t.alive;
  }

  /** The life state of thread `index` (control.ts). */
  stateOf(index: number): number {
    return Atomics.load(this.control, state(index));
  }

  /**
   * Posts `message` to every thread (before the job that needs it is
   * published); `forJob` says it carries the next job's buffers.
   */
  post(message: unknown, forJob: boolean): void {
    for (const t of this.threads) t?.post(message);
    this.posted++;
    Atomics.store(this.control, POSTED, this.posted);
    Atomics.store(this.control, JOB_MESSAGE, forJob ? this.posted : 0);
  }

  /** Says the next job needs no message. */
  noMessage(): void {
    Atomics.store(this.control, JOB_MESSAGE, 0);
  }

  /** Publishes the job whose words are in the control block and wakes the threads. */
  publish(): void {
    Atomics.store(this.control, ERROR, 0);
    this.seq = Atomics.add(this.control, SEQ, 1) + 1;
    Atomics.notify(this.control, SEQ);
  }

  /**
   * For jobs shared by whoever joins (the pool): returns once no thread is
   * inside the job. A thread that died there, or one still inside after
   * `timeoutMs`, restarts the group and throws.
   */
  waitJoined(op: string): void {
    const c = this.control;
    let deadline = 0;
    for (let i = 0; i < this.threads.length; i++) {
      const flag = active(i);
      let spins = 0;
      for (;;) {
        const s = Atomics.load(c, flag);
        if (s === 0) break;
        if (s === EXITED) this.fail(op, this.options.exited);
        if (++spins < SPIN) continue;
        Atomics.wait(c, flag, s, SLICE_MS);
        if (!this.isAlive(i) && Atomics.load(c, flag) !== 0) this.fail(op, this.options.exited);
        if (deadline === 0) deadline = Date.now() + this.timeoutMs;
        else if (Date.now() > deadline) this.fail(op, this.options.timedOut(this.timeoutMs / 1000));
      }
    }
  }

  /**
   * For jobs thread `index` must run itself (the GPU thread): returns once
   * it has finished the job last published; a death or timeout restarts
   * the group and throws.
   */
  waitDone(op: string, index = 0): void {
    const c = this.control;
    const slot = done(index);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const d = Atomics.load(c, slot);
      if (d === this.seq) return;
      Atomics.wait(c, slot, d, 50);
      if (Atomics.load(c, slot) === this.seq) return;
      if (Atomics.load(c, state(index)) === GONE || !this.isAlive(index)) this.fail(op, this.options.exited);
      if (Date.now() > deadline) this.fail(op, this.options.timedOut(this.timeoutMs / 1000));
    }
  }

  /** Blocks while thread `index` is in state `from`, up to `ms`; returns the state it is in. */
  waitWhile(index: number, from: number, ms: number): number {
    const deadline = Date.now() + ms;
    const slot = state(index);
    while (Atomics.load(this.control, slot) === from && Date.now() < deadline) {
      Atomics.wait(this.control, slot, from, 50);
      if (!this.isAlive(index)) break;
    }
    return Atomics.load(this.control, slot);
  }

  /** The error a thread recorded for the last job, or null. */
  error(): string | null {
    return Atomics.load(this.control, ERROR) === 0 ? null : readMessage(this.control, this.messageArea);
  }

  /** The current message (a thread's start report or failure). */
  message(): string {
    return readMessage(this.control, this.messageArea);
  }

  /** Restarts the group and throws `op: text`. */
  fail(op: string, text: string): never {
    this.restart();
    throw new Error(`${op}: ${text}`);
  }

  /** Stops every thread; the next job starts new ones. Counted in `restarts`. */
  restart(): void {
    this.restarts++;
    this.stop();
  }

  /**
   * Stops every thread (asking first when graceful) and starts over on a
   * fresh control block, so a thread still ending never sees a later job.
   */
  stop(): void {
    const c = this.control;
    Atomics.store(c, STOP, 1);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, STOP);
    Atomics.notify(c, SEQ);
    if (this.options.graceful) {
      for (let i = 0; i < this.threads.length; i++) {
        if (!this.isAlive(i)) continue;
        const deadline = Date.now() + STOP_WAIT_MS;
        for (let s = Atomics.load(c, state(i)); s !== SHUT && s !== GONE && s !== UNAVAILABLE && Date.now() < deadline; s = Atomics.load(c, state(i))) {
          Atomics.wait(c, state(i), s, 50);
        }
      }
    }
    const threads = this.threads;
    this.threads = [];
    for (const t of threads) void t?.terminate();
    this.block = createControlBlock();
    this.control = new Int32Array(this.block.control);
    this.messageArea = new Uint8Array(this.block.message);
    this.posted = 0;
    this.seq = 0;
  }

  /** Ends thread `index` abruptly, as a crash would (for the fault tests); the next job starts another. */
  async kill(index: number): Promise<void> {
    await this.threads[index]?.terminate();
  }

  /** Stops every thread and waits until they have ended. */
  async shutdown(): Promise<void> {
    const threads = this.threads.slice();
    this.stop();
    await Promise.all(threads.map((t) => t?.terminate()));
  }
}

/**
 * Process-wide objects by name (the GPU thread): held for the life of this
 * module, which is the process's, as every package copy in a process (built
 * and source, as tests mix them) imports the one built fast-ops. So one
 * process never holds two GPU devices.
 */
const singletons = new Map<string, unknown>();

export function processSingleton<T>(name: string, create: () => T): T {
  if (!singletons.has(name)) singletons.set(name, create());
  return singletons.get(name) as T;
}

/**
 * The URL of module `name` (no extension) next to `moduleUrl` (pass
 * `import.meta.url`), with the same extension: the source `.ts` when the
 * caller runs from source, the built `.js` otherwise. How a thread's entry
 * is named, so that a thread runs the code its caller runs.
 */
export function siblingModule(moduleUrl: string, name: string): string {
  const path = new URL(moduleUrl).pathname;
  return new URL(`${name}${path.slice(path.lastIndexOf("."))}`, moduleUrl).href;
}
