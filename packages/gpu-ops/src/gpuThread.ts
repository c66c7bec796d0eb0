/**
 * The main thread's side of the GPU thread: starts it on first use, runs
 * jobs synchronously (publish, then block in `Atomics.wait`), and turns every
 * way a job can fail — no adapter, a shader that does not compile, a lost
 * device, memory, a thread that died or stopped answering — into an Error
 * naming the operation, never a hang. A thread that died, hung or lost its
 * device is replaced on the next operation. Before the process exits, the
 * thread is told to destroy its device (Dawn may abort otherwise).
 */
import { MessageChannel, Worker, type MessagePort } from "node:worker_threads";
import { envInt } from "@minitorch/autodiff";
import { ArgWriter, builtModuleUrl, createSharedBlock, type SharedBlock } from "@minitorch/fast-ops";
import { noAdapterAdvice, webgpuMissing } from "./diagnose.js";
import {
  COMMAND,
  CONTROL_INTS,
  DONE,
  EXITED,
  FAILED,
  FAULT,
  FAULT_EXIT,
  FAULT_HANG,
  FAULT_LOSE_DEVICE,
  INJECT,
  LOST,
  MESSAGE_BYTES,
  NARGS,
  READY,
  RUN,
  UNAVAILABLE,
  SEQ,
  SHUT,
  STARTING,
  STATE,
  STATUS,
  STOP,
  readMessage,
  type AdapterReport,
  type GpuThreadInit,
  type JobMessage,
  type KernelSource,
} from "./protocol.js";

/** What `gpuAvailable()` reports. */
export interface GpuStatus {
  /** True when GpuBackend can run. */
  ok: boolean;
  /** The adapter's description ("SwiftShader driver 5.0.0 (google swiftshader), software"), or null. */
  adapter: string | null;
  /** Why there is no GPU and what to install, or null when ok. */
  reason: string | null;
}

/** A WGSL kernel, its source built on first use (a student's stub throws then, with its message). */
export interface GpuKernel {
  readonly name: string;
  readonly source: () => string;
}

/** A bound operand of a job and how the kernel uses it. */
export interface JobOperand {
  data: Float64Array | Int32Array;
  role: number;
}

/** Counters for tests and benchmarks. */
export interface GpuStats {
  jobs: number;
  restarts: number;
  /** Kernels compiled so far. */
  kernels: number;
  /** Jobs run per kernel name ("tensor_map(neg)", "flat_zip(add)", …). */
  byKernel: Record<string, number>;
  /** Milliseconds spent in jobs (publish to done, on the calling thread) per kernel name. */
  msByKernel: Record<string, number>;
}

type Fault = "exit" | "hang" | "lose-device";
const FAULTS: Record<Fault, number> = { exit: FAULT_EXIT, hang: FAULT_HANG, "lose-device": FAULT_LOSE_DEVICE };

interface Connection {
  worker: Worker;
  control: Int32Array;
  message: Uint8Array;
  port: MessagePort;
  writer: ArgWriter;
  block: SharedBlock;
  sent: Set<number>;
  seq: number;
}

export class GpuThread {
  /** How long a job may take before the thread is declared hung (MINITORCH_GPU_TIMEOUT_MS). */
  timeoutMs = envInt("MINITORCH_GPU_TIMEOUT_MS", { min: 1, fallback: 120_000 });
  /** How long the thread may take to find its adapter (MINITORCH_GPU_START_TIMEOUT_MS). */
  startTimeoutMs = envInt("MINITORCH_GPU_START_TIMEOUT_MS", { min: 1, fallback: 60_000 });
  /** A cap on one operand's GPU buffer below the device's own limit (MINITORCH_GPU_MAX_BUFFER_MB). */
  maxBufferBytes = envInt("MINITORCH_GPU_MAX_BUFFER_MB", { min: 1, fallback: Infinity }) * 1024 * 1024;

  private connection: Connection | null = null;
  private report: AdapterReport | null = null;
  private failure: string | null = null;
  private readonly kernelIds = new Map<GpuKernel, number>();
  private readonly sources: string[] = [];
  private readonly counters = { jobs: 0, restarts: 0 };
  private readonly byKernel = new Map<string, number>();
  private readonly msByKernel = new Map<string, number>();
  private exitHookInstalled = false;
  private readonly workerUrl = new URL("./gpuWorker.js", builtModuleUrl(import.meta.url));

  /** Starts the thread if needed and says whether there is a GPU. */
  status(): GpuStatus {
    this.ensureStarted();
    if (this.report !== null) return { ok: true, adapter: this.report.label, reason: null };
    return { ok: false, adapter: null, reason: this.failure };
  }

  /** The adapter's details, or null without one. */
  adapter(): AdapterReport | null {
    this.ensureStarted();
    return this.report;
  }

  stats(): GpuStats {
    return {
      ...this.counters,
      kernels: this.sources.length,
      byKernel: Object.fromEntries(this.byKernel),
      msByKernel: Object.fromEntries(this.msByKernel),
    };
  }

  /**
   * Runs `kernel` over `groups` workgroups with `operands` bound in order
   * and returns when the outputs are in their storage. `op` names the
   * operation in errors.
   */
  run(op: string, kernel: GpuKernel, groups: readonly [number, number, number], operands: readonly JobOperand[]): void {
    const id = this.kernelId(kernel);
    const c = this.ready(op);
    const limit = Math.min(this.maxBufferBytes, this.report!.maxBufferBytes);
    for (const o of operands) {
      if (o.data.length * 4 > limit) {
        const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
        throw new RangeError(`${op}: an operand of ${o.data.length} elements (${mb(o.data.length * 4)} as float32) exceeds the GPU's largest buffer (${mb(limit)})`);
      }
    }
    const header = Int32Array.of(id, groups[0], groups[1], groups[2], operands.length, ...operands.map((o) => o.role));
    const args = [header, ...operands.map((o) => o.data)];
    let encoded = c.writer.encode(args);
    const copies: Array<[Float64Array, Float64Array]> = [];
    if (encoded === null) {
      // Too large for the scratch area and not shared: share a copy for this job.
      for (let i = 1; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Float64Array && !(a.buffer instanceof SharedArrayBuffer)) {
          const shared = new Float64Array(new SharedArrayBuffer(a.byteLength));
          shared.set(a);
          copies.push([a, shared]);
          args[i] = shared;
        }
      }
      encoded = c.writer.encode(args);
      if (encoded === null) throw new Error(`${op}: the operation's arguments do not fit the GPU job block`);
    }
    const message: JobMessage = { buffers: encoded.buffers };
    if (!c.sent.has(id)) {
      message.kernels = [{ id, name: kernel.name, source: this.sources[id]! } satisfies KernelSource];
      c.sent.add(id);
    }
    Atomics.store(c.control, NARGS, args.length);
    const started = performance.now();
    this.command(c, RUN, message);
    this.await(c, op);
    this.msByKernel.set(kernel.name, (this.msByKernel.get(kernel.name) ?? 0) + performance.now() - started);
    c.writer.finish();
    for (const [plain, shared] of copies) plain.set(shared);
    this.counters.jobs++;
    this.byKernel.set(kernel.name, (this.byKernel.get(kernel.name) ?? 0) + 1);
    this.checkStatus(c, op);
  }

  /** Simulates a fault in the thread (for the fault tests): it exits, hangs or loses its device. */
  injectFault(fault: Fault): void {
    const c = this.ready(`injectFault(${fault})`);
    Atomics.store(c.control, FAULT, FAULTS[fault]);
    this.command(c, INJECT, { buffers: [] });
    this.await(c, `injectFault(${fault})`);
  }

  /**
   * Destroys the device and ends the thread (the next operation starts a
   * new one). Runs by itself before the process exits.
   */
  shutdown(): void {
    const c = this.connection;
    if (c === null) return;
    this.stop(c);
    this.drop();
  }

  /** Tells the thread to destroy its device and waits (up to 5 s) until it has. */
  private stop(c: Connection): void {
    Atomics.store(c.control, STOP, 1);
    Atomics.notify(c.control, STOP);
    // A thread idle between jobs blocks on SEQ (see gpuWorker.ts's serve).
    Atomics.notify(c.control, SEQ);
    const deadline = Date.now() + 5000;
    for (;;) {
      const state = Atomics.load(c.control, STATE);
      if (state === SHUT || state === EXITED || state === UNAVAILABLE || Date.now() > deadline) return;
      Atomics.wait(c.control, STATE, state, 50);
    }
  }

  private kernelId(kernel: GpuKernel): number {
    let id = this.kernelIds.get(kernel);
    if (id === undefined) {
      const source = kernel.source();
      id = this.sources.push(source) - 1;
      this.kernelIds.set(kernel, id);
    }
    return id;
  }

  /** The live connection, or an Error naming `op` and why the GPU is unavailable. */
  private ready(op: string): Connection {
    this.ensureStarted();
    if (this.connection === null || this.report === null) {
      throw new Error(`${op}: GpuBackend has no GPU: ${this.failure ?? "the GPU thread is not running"}`);
    }
    return this.connection;
  }

  private ensureStarted(): void {
    if (this.connection !== null) return;
    if (this.report === null && this.failure !== null) return;
    this.start();
  }

  private start(): void {
    // The thread imports webgpu; without the package there is nothing to start.
    const missing = webgpuMissing();
    if (missing !== null) {
      this.report = null;
      this.failure = missing;
      return;
    }
    // Mesa's device-select layer prints errors when there is no display to ask.
    if (process.env.XDG_RUNTIME_DIR === undefined && process.env.NODEVICE_SELECT === undefined) process.env.NODEVICE_SELECT = "1";
    const block = createSharedBlock();
    const controlBuffer = new SharedArrayBuffer(CONTROL_INTS * 4);
    const messageBuffer = new SharedArrayBuffer(MESSAGE_BYTES);
    const { port1, port2 } = new MessageChannel();
    const init: GpuThreadInit = { control: controlBuffer, message: messageBuffer, block, port: port2 };
    const worker = new Worker(this.workerUrl, { workerData: init, transferList: [port2] });
    worker.unref();
    port1.unref();
    // A failing thread is seen through the control block; the event would come too late.
    worker.on("error", () => {});
    const control = new Int32Array(controlBuffer);
    const c: Connection = { worker, control, message: new Uint8Array(messageBuffer), port: port1, writer: new ArgWriter(block), block, sent: new Set(), seq: 0 };
    const deadline = Date.now() + this.startTimeoutMs;
    while (Atomics.load(control, STATE) === STARTING && Date.now() < deadline) Atomics.wait(control, STATE, STARTING, 50);
    const state = Atomics.load(control, STATE);
    if (state === READY) {
      this.report = JSON.parse(readMessage(control, c.message)) as AdapterReport;
      this.failure = null;
      this.connection = c;
      this.installExitHook();
      return;
    }
    void worker.terminate();
    port1.close();
    this.report = null;
    if (state === STARTING) {
      this.failure = `the GPU thread found no adapter within ${this.startTimeoutMs / 1000} s (MINITORCH_GPU_START_TIMEOUT_MS)`;
    } else {
      const said = readMessage(control, c.message);
      this.failure = noAdapterAdvice(said !== "" ? said : "the GPU thread exited while starting");
    }
  }

  private installExitHook(): void {
    if (this.exitHookInstalled) return;
    this.exitHookInstalled = true;
    process.on("exit", () => this.shutdown());
  }

  private command(c: Connection, command: number, message: JobMessage): void {
    c.port.postMessage(message);
    Atomics.store(c.control, COMMAND, command);
    c.seq++;
    Atomics.store(c.control, SEQ, c.seq);
    Atomics.notify(c.control, SEQ);
  }

  /** Blocks until the thread finishes the current command; a dead or hung thread is an Error. */
  private await(c: Connection, op: string): void {
    const start = Date.now();
    for (;;) {
      const done = Atomics.load(c.control, DONE);
      if (done === c.seq) return;
      Atomics.wait(c.control, DONE, done, 50);
      if (Atomics.load(c.control, DONE) === c.seq) return;
      if (Atomics.load(c.control, STATE) === EXITED) {
        this.restart();
        throw new Error(`${op}: the GPU thread exited during the operation; it will be restarted`);
      }
      if (Date.now() - start > this.timeoutMs) {
        this.stop(c);
        this.restart();
        throw new Error(
          `${op}: the GPU did not finish within ${this.timeoutMs / 1000} s (MINITORCH_GPU_TIMEOUT_MS); the GPU thread was stopped and will be restarted`,
        );
      }
    }
  }

  private checkStatus(c: Connection, op: string): void {
    if (Atomics.load(c.control, STATUS) !== FAILED) return;
    const message = readMessage(c.control, c.message);
    if (Atomics.load(c.control, STATE) === LOST) {
      this.stop(c);
      this.restart();
      throw new Error(`${op}: ${message}; the GPU thread will be restarted`);
    }
    throw new Error(`${op}: ${message}`);
  }

  private restart(): void {
    this.counters.restarts++;
    this.drop();
  }

  /** Forgets the thread (terminating it if it still runs); the next operation starts another. */
  private drop(): void {
    const c = this.connection;
    if (c === null) return;
    this.connection = null;
    this.report = null;
    this.failure = null;
    void c.worker.terminate();
    c.port.close();
  }
}
