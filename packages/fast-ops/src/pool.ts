/**
 * The process-wide worker pool behind FastOps: synchronous parallel jobs on
 * `worker_threads` over shared memory, with no message and no Promise per
 * job (see protocol.ts for the handshake).
 *
 * `threads` counts the main thread, which takes chunks of every job itself:
 * a pool of N threads has N − 1 workers. Workers start lazily, are unref'd
 * (a finished program exits), and join jobs as soon as they are up; until
 * then the main thread simply does all the chunks. A kernel that throws
 * makes the job throw an Error naming the kernel; a worker that dies during
 * a job makes it throw instead of hang, and is replaced.
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import type { Kernel, KernelArg } from "@minitorch/tensor-core";
import { threadsFromEnv } from "./env.js";
import {
  ACTIVE_BASE,
  CHUNK,
  CLOSED,
  ERROR,
  EXITED,
  GEN,
  JOB_MESSAGE,
  KERNEL,
  MAX_WORKERS,
  NARGS,
  NCHUNKS,
  NEXT,
  OPEN,
  POSTED,
  STATE,
  STOP,
  WORK,
  WORKER_CHUNKS,
  readError,
  type KernelDef,
  type PoolMessage,
} from "./protocol.js";
import { ArgWriter, createSharedBlock, type SharedBlock } from "./transport.js";
import { builtModuleUrl } from "./builtModule.js";

/** Options a worker starts with. */
export interface WorkerInit {
  shared: SharedBlock;
  port: MessagePort;
  index: number;
  posted: number;
  defs: Array<[number, KernelDef]>;
}

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
  private control = new Int32Array(this.shared.control);
  private errorBytes = new Uint8Array(this.shared.error);
  private writer = new ArgWriter(this.shared);
  private workers: Array<Worker | null> = [];
  private ports: MessagePort[] = [];
  private posted = 0;
  private kernelIds = new Map<Kernel, number>();
  private defs: Array<[number, KernelDef]> = [];
  private defsSent = 0;
  private busy = false;
  private started = false;
  private counters = { parallelJobs: 0, inlineJobs: 0, restarts: 0 };
  /** Worker chunks counted in control blocks that restarts have replaced. */
  private earlierWorkerChunks = 0;
  private workerUrl: string;

  constructor(threads = threadsFromEnv()) {
    this.threads = threads;
    this.workerUrl = new URL("./worker.js", builtModuleUrl(import.meta.url)).href;
  }

  /** Threads taking part in parallel jobs, the main thread included. */
  get size(): number {
    return this.threads;
  }

  /** Change the number of threads (1 = no workers). Restarts the workers. */
  setThreads(threads: number): void {
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WORKERS + 1) {
      throw new RangeError(`setThreads: threads must be an integer in [1, ${MAX_WORKERS + 1}], got ${threads}`);
    }
    this.stopWorkers();
    this.threads = threads;
  }

  stats(): PoolStats {
    return {
      threads: this.threads,
      workersAlive: this.workers.filter((w) => w !== null && w.threadId !== -1).length,
      ...this.counters,
      workerChunks: this.earlierWorkerChunks + Atomics.load(this.control, WORKER_CHUNKS),
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
      this.ensureWorkers();
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
    const c = this.control;
    const nChunks = Math.min(work, this.threads * CHUNKS_PER_THREAD);
    const chunk = Math.ceil(work / nChunks);
    const chunks = Math.ceil(work / chunk);
    Atomics.store(c, KERNEL, id);
    Atomics.store(c, WORK, work);
    Atomics.store(c, CHUNK, chunk);
    Atomics.store(c, NCHUNKS, chunks);
    Atomics.store(c, NARGS, args.length);
    Atomics.store(c, ERROR, 0);
    Atomics.store(c, NEXT, 0);
    Atomics.add(c, GEN, 1);
    Atomics.store(c, STATE, OPEN);
    Atomics.notify(c, GEN);
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
    const dead = this.waitForWorkers(kernel.name);
    this.writer.finish();
    if (failure !== null) {
      const message = failure instanceof Error ? failure.message : String(failure);
      throw new Error(`${kernel.name}: ${message}`, { cause: failure });
    }
    if (Atomics.load(c, ERROR) !== 0) {
      throw new Error(`${kernel.name}: ${readError(c, this.errorBytes)}`);
    }
    if (dead !== null) throw dead;
  }

  /** Waits until no worker is inside the job; a worker that died there is an error. */
  private waitForWorkers(name: string): Error | null {
    const c = this.control;
    for (let w = 0; w < this.workers.length; w++) {
      let spins = 0;
      for (;;) {
        const state = Atomics.load(c, ACTIVE_BASE + w);
        if (state === 0) break;
        if (state !== EXITED) {
          if (++spins < 20000) continue;
          Atomics.wait(c, ACTIVE_BASE + w, 1, 5);
          const worker = this.workers[w];
          if (worker !== null && worker !== undefined && worker.threadId !== -1) continue;
        }
        // The worker left inside the job: its flag says EXITED, or Node already reports the thread gone.
        Atomics.store(c, ACTIVE_BASE + w, 0);
        this.restart();
        return new Error(`${name}: a FastOps worker exited during the operation; the pool was restarted`);
      }
    }
    return null;
  }

  private ensureWorkers(): void {
    const want = this.threads - 1;
    if (!this.started) {
      this.started = true;
      this.workers = new Array(want).fill(null);
    }
    for (let w = 0; w < want; w++) {
      const worker = this.workers[w];
      if (worker === null || worker === undefined || worker.threadId === -1) this.spawn(w);
    }
  }

  private spawn(index: number): void {
    const { port1, port2 } = new MessageChannel();
    port1.unref();
    const init: WorkerInit = {
      shared: this.shared,
      port: port2,
      index,
      posted: this.posted,
      defs: this.defs.slice(0, this.defsSent),
    };
    const worker = new Worker(new URL(this.workerUrl), { workerData: init, transferList: [port2] });
    worker.unref();
    worker.on("error", () => {
      // Reported through threadId === -1 at the next job; nothing to do here.
    });
    this.workers[index] = worker;
    this.ports[index] = port1;
  }

  /**
   * Posts what the workers need for the next job — kernel definitions they
   * have not seen, and the job's shared buffers — as one message per worker,
   * and names it in the control block. Workers drop the buffers after the job.
   */
  private post(buffers: SharedArrayBuffer[]): void {
    const defs = this.defs.length > this.defsSent ? this.defs.slice(this.defsSent) : undefined;
    if (defs === undefined && buffers.length === 0) {
      Atomics.store(this.control, JOB_MESSAGE, 0);
      return;
    }
    const message: PoolMessage = {};
    if (defs !== undefined) message.defs = defs;
    if (buffers.length > 0) message.buffers = buffers;
    for (const port of this.ports) port.postMessage(message);
    this.posted++;
    this.defsSent = this.defs.length;
    Atomics.store(this.control, POSTED, this.posted);
    Atomics.store(this.control, JOB_MESSAGE, buffers.length > 0 ? this.posted : 0);
  }

  private restart(): void {
    this.counters.restarts++;
    this.stopWorkers();
  }

  /** Stops all workers; the next parallel job starts new ones. */
  private stopWorkers(): void {
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    for (const w of this.workers) void w?.terminate();
    for (const p of this.ports) p.close();
    // Fresh shared block: a worker still shutting down must not see the next jobs.
    this.earlierWorkerChunks += Atomics.load(this.control, WORKER_CHUNKS);
    this.shared = createSharedBlock();
    this.control = new Int32Array(this.shared.control);
    this.errorBytes = new Uint8Array(this.shared.error);
    this.writer = new ArgWriter(this.shared);
    this.workers = [];
    this.ports = [];
    this.posted = 0;
    this.defsSent = 0;
    this.started = false;
  }

  /** Terminates the workers and waits until they have exited. */
  async shutdown(): Promise<void> {
    const workers = this.workers.filter((w): w is Worker => w !== null);
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    await Promise.all(workers.map((w) => w.terminate()));
    this.stopWorkers();
  }

  /** For fault tests: the worker objects. */
  workerThreads(): ReadonlyArray<Worker | null> {
    return this.workers;
  }
}
