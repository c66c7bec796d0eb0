/**
 * The process-wide worker pool behind FastOps: synchronous parallel jobs on
 * threads over shared memory, with no Promise per job. Threads, waking,
 * waiting, errors, timeouts and restarts are the thread runtime's
 * (runtime/threads.ts); the pool adds chunked work sharing (protocol.ts).
 *
 * `threads` counts the main thread, which takes chunks of every job itself:
 * a pool of N threads has N − 1 workers. Workers start lazily, are unref'd
 * (a finished program exits), and join jobs as soon as they are up; until
 * then the main thread simply does all the chunks. A kernel that throws
 * makes the job throw an Error naming the kernel; a worker that dies during
 * a job makes it throw instead of hang, and the pool restarts; so does one
 * still inside a job after MINITORCH_THREAD_TIMEOUT_MS.
 */
import type { Kernel, KernelArg } from "@minitorch/tensor-core";
import { envInt, threadsFromEnv } from "./env.js";
import { CHUNK, CLOSED, KERNEL, NARGS, NCHUNKS, NEXT, OPEN, STATE, WORK, WORKER_CHUNKS, type KernelDef, type PoolMessage, type WorkerInit } from "./protocol.js";
import { MAX_THREADS } from "./runtime/control.js";
import { ThreadGroup, siblingModule } from "./runtime/threads.js";
import { ArgWriter, createSharedBlock, type SharedBlock } from "./transport.js";

/** Counters for tests and benchmarks. */
export interface PoolStats {
  threads: number;
  workersAlive: number;
  parallelJobs: number;
  inlineJobs: number;
  /** Chunks completed by workers (not the main thread) since the pool started. */
  workerChunks: number;
  restarts: number;
}

/** Chunks per thread: more balances uneven threads, fewer costs less claiming. */
const CHUNKS_PER_THREAD = 4;

export class Pool {
  private threads: number;
  private shared: SharedBlock = createSharedBlock();
  private writer = new ArgWriter(this.shared);
  private readonly group: ThreadGroup;
  private kernelIds = new Map<Kernel, number>();
  private defs: Array<[number, KernelDef]> = [];
  private defsSent = 0;
  private busy = false;
  private counters = { parallelJobs: 0, inlineJobs: 0 };
  /** Worker chunks counted in control blocks that restarts have replaced. */
  private earlierWorkerChunks = 0;

  constructor(threads = threadsFromEnv()) {
    this.threads = threads;
    this.group = new ThreadGroup({
      entry: siblingModule(import.meta.url, "./worker"),
      init: (): WorkerInit => ({ shared: this.shared, defs: this.defs.slice(0, this.defsSent) }),
      exited: "a FastOps worker exited during the operation; the pool was restarted",
      timedOut: (s) => `a FastOps worker did not finish within ${s} s (MINITORCH_THREAD_TIMEOUT_MS); the pool was restarted`,
      graceful: false,
      timeoutMs: envInt("MINITORCH_THREAD_TIMEOUT_MS", { min: 1, fallback: 600_000 }),
    });
  }

  /** How long a worker may stay inside a job after the main thread has finished its share (MINITORCH_THREAD_TIMEOUT_MS). */
  get timeoutMs(): number {
    return this.group.timeoutMs;
  }

  set timeoutMs(ms: number) {
    this.group.timeoutMs = ms;
  }

  /** Threads taking part in parallel jobs, the main thread included. */
  get size(): number {
    return this.threads;
  }

  /** Change the number of threads (1 = no workers). Restarts the workers. */
  setThreads(threads: number): void {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS + 1) {
      throw new RangeError(`setThreads: threads must be an integer in [1, ${MAX_THREADS + 1}], got ${threads}`);
    }
    this.stopWorkers();
    this.threads = threads;
  }

  stats(): PoolStats {
    return {
      threads: this.threads,
      workersAlive: this.group.aliveCount(),
      ...this.counters,
      restarts: this.group.restarts,
      workerChunks: this.earlierWorkerChunks + Atomics.load(this.group.control, WORKER_CHUNKS),
    };
  }

  /** The id workers know `kernel` by (assigned on first use). */
  kernelId(kernel: Kernel, def?: KernelDef): number {
    let id = this.kernelIds.get(kernel);
    if (id === undefined) {
      id = this.defs.length;
      this.kernelIds.set(kernel, id);
      this.defs.push([id, def ?? { kind: "module", name: kernel.name, module: kernel.module }]);
    }
    return id;
  }

  /**
   * Runs `kernel.fn(...args, start, end)` over [0, work) split into chunks
   * across the pool, returning when every chunk is done. Falls back to one
   * inline call when there are no workers, the pool is already inside a job,
   * or an argument cannot be shared.
   */
  run(kernel: Kernel, args: readonly KernelArg[], work: number, def?: KernelDef): void {
    if (this.threads === 1 || this.busy || work < 2) {
      this.inline(kernel, args, work);
      return;
    }
    const id = this.kernelId(kernel, def);
    const encoded = this.writer.encode(args);
    if (encoded === null) {
      this.inline(kernel, args, work);
      return;
    }
    this.busy = true;
    try {
      this.group.ensure(this.threads - 1);
      this.post(encoded.buffers);
      this.runJob(kernel, id, encoded.local, work);
    } finally {
      this.busy = false;
    }
  }

  private inline(kernel: Kernel, args: readonly KernelArg[], work: number): void {
    this.counters.inlineJobs++;
    try {
      kernel.fn(...args, 0, work);
    } catch (e) {
      throw new Error(`${kernel.name}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
  }

  private runJob(kernel: Kernel, id: number, args: readonly KernelArg[], work: number): void {
    const c = this.group.control;
    const nChunks = Math.min(work, this.threads * CHUNKS_PER_THREAD);
    const chunk = Math.ceil(work / nChunks);
    const chunks = Math.ceil(work / chunk);
    Atomics.store(c, KERNEL, id);
    Atomics.store(c, WORK, work);
    Atomics.store(c, CHUNK, chunk);
    Atomics.store(c, NCHUNKS, chunks);
    Atomics.store(c, NARGS, args.length);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, STATE, OPEN);
    this.group.publish();
    this.counters.parallelJobs++;

    let failure: unknown = null;
    const callArgs = [...args, 0, 0];
    const n = args.length;
    try {
      for (;;) {
        const i = Atomics.add(c, NEXT, 1);
        if (i >= chunks) break;
        callArgs[n] = i * chunk;
        callArgs[n + 1] = Math.min(work, (i + 1) * chunk);
        kernel.fn(...callArgs);
      }
    } catch (e) {
      failure = e;
      // Stop the workers from claiming more chunks of a failed job.
      Atomics.store(c, NEXT, chunks);
    }
    Atomics.store(c, STATE, CLOSED);
    let dead: unknown = null;
    try {
      this.group.waitJoined(kernel.name);
    } catch (e) {
      // The group restarted on a fresh control block: so must the argument block.
      this.renew(c);
      dead = e;
    }
    this.writer.finish();
    if (failure !== null) {
      const message = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`${kernel.name}: ${message}`, { cause: failure });
    }
    if (dead !== null) throw dead;
    const error = this.group.error();
    if (error !== null) throw new Error(`${kernel.name}: ${error}`);
  }

  /**
   * Posts what the workers need for the next job — kernel definitions they
   * have not seen, and the job's shared buffers — as one message, and names
   * it in the control block. Workers drop the buffers after the job.
   */
  private post(buffers: SharedArrayBuffer[]): void {
    const defs = this.defs.length > this.defsSent ? this.defs.slice(this.defsSent) : undefined;
    if (defs === undefined && buffers.length === 0) {
      this.group.noMessage();
      return;
    }
    const message: PoolMessage = {};
    if (defs !== undefined) message.defs = defs;
    if (buffers.length > 0) message.buffers = buffers;
    this.group.post(message, buffers.length > 0);
    this.defsSent = this.defs.length;
  }

  /** Stops all workers; the next parallel job starts new ones. */
  private stopWorkers(): void {
    const c = this.group.control;
    this.group.stop();
    this.renew(c);
  }

  /**
   * A fresh argument block after the group stopped (`old` is its former
   * control block): a worker still shutting down must not see the next jobs.
   */
  private renew(old: Int32Array): void {
    this.earlierWorkerChunks += Atomics.load(old, WORKER_CHUNKS);
    this.shared = createSharedBlock();
    this.writer = new ArgWriter(this.shared);
    this.defsSent = 0;
  }

  /** Ends worker `index` abruptly between jobs, as a crash would (for the fault tests). */
  killWorker(index: number): Promise<void> {
    return this.group.kill(index);
  }

  /** Terminates the workers and waits until they have exited. */
  async shutdown(): Promise<void> {
    const c = this.group.control;
    await this.group.shutdown();
    this.renew(c);
  }
}
