/**
 * The main thread's side of the GPU thread: starts it on first use, runs
 * jobs synchronously on fast-ops' thread runtime (publish, then block in
 * `Atomics.wait`), and turns every way a job can fail — no adapter, a
 * shader that does not compile, a lost device, memory, a thread that died
 * or stopped answering — into an Error naming the operation, never a hang.
 * A thread that died, hung or lost its device is replaced on the next
 * operation. Before the process exits, the runtime tells the thread to
 * destroy its device (Dawn may abort otherwise).
 */
import { envInt } from "@minitorch/autodiff";
import { ArgWriter, READY, RETIRING, STARTING, ThreadGroup, createSharedBlock, siblingModule } from "@minitorch/fast-ops";
import { noAdapterAdvice, quietDeviceSelect, webgpuMissing } from "./diagnose.js";
import { COMMAND, FAULT, FAULT_EXIT, FAULT_HANG, FAULT_LOSE_DEVICE, INJECT, NARGS, RUN, type AdapterReport, type GpuThreadInit, type JobMessage, type KernelSource } from "./protocol.js";

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
  data: Float64Array | Float32Array | Int32Array;
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

/** The thread in service: its argument writer and the kernels it has been sent. */
interface Connection {
  writer: ArgWriter;
  sent: Set<number>;
}

export class GpuThread {
  /** How long the thread may take to find its adapter (MINITORCH_GPU_START_TIMEOUT_MS). */
  startTimeoutMs = envInt("MINITORCH_GPU_START_TIMEOUT_MS", { min: 1, fallback: 60_000 });
  /** A cap on one operand's GPU buffer below the device's own limit (MINITORCH_GPU_MAX_BUFFER_MB). */
  maxBufferBytes = envInt("MINITORCH_GPU_MAX_BUFFER_MB", { min: 1, fallback: Infinity }) * 1024 * 1024;

  private block = createSharedBlock();
  private readonly group = new ThreadGroup({
    entry: siblingModule(import.meta.url, "./gpuWorker"),
    init: (): GpuThreadInit => ({ block: this.block }),
    exited: "the GPU thread exited during the operation; it will be restarted",
    timedOut: (s) => `the GPU did not finish within ${s} s (MINITORCH_GPU_TIMEOUT_MS); the GPU thread was stopped and will be restarted`,
    graceful: true,
    timeoutMs: envInt("MINITORCH_GPU_TIMEOUT_MS", { min: 1, fallback: 120_000 }),
  });
  private connection: Connection | null = null;
  private report: AdapterReport | null = null;
  private failure: string | null = null;
  private readonly kernelIds = new Map<GpuKernel, number>();
  private readonly sources: string[] = [];
  private jobs = 0;
  private readonly byKernel = new Map<string, number>();
  private readonly msByKernel = new Map<string, number>();

  /** How long a job may take before the thread is declared hung (MINITORCH_GPU_TIMEOUT_MS). */
  get timeoutMs(): number {
    return this.group.timeoutMs;
  }

  set timeoutMs(ms: number) {
    this.group.timeoutMs = ms;
  }

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
      jobs: this.jobs,
      restarts: this.group.restarts,
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
    const copies: Array<[Float64Array | Float32Array, Float64Array | Float32Array]> = [];
    if (encoded === null) {
      // Too large for the scratch area and not shared: share a copy for this job.
      for (let i = 1; i < args.length; i++) {
        const a = args[i]!;
        if ((a instanceof Float64Array || a instanceof Float32Array) && !(a.buffer instanceof SharedArrayBuffer)) {
          const shared = a instanceof Float64Array ? new Float64Array(new SharedArrayBuffer(a.byteLength)) : new Float32Array(new SharedArrayBuffer(a.byteLength));
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
    Atomics.store(this.group.control, NARGS, args.length);
    const started = performance.now();
    this.command(op, RUN, message);
    this.msByKernel.set(kernel.name, (this.msByKernel.get(kernel.name) ?? 0) + performance.now() - started);
    c.writer.finish();
    for (const [plain, shared] of copies) plain.set(shared);
    this.jobs++;
    this.byKernel.set(kernel.name, (this.byKernel.get(kernel.name) ?? 0) + 1);
    this.checkStatus(op);
  }

  /** Simulates a fault in the thread (for the fault tests): it exits, hangs or loses its device. */
  injectFault(fault: Fault): void {
    const op = `injectFault(${fault})`;
    this.ready(op);
    Atomics.store(this.group.control, FAULT, FAULTS[fault]);
    this.command(op, INJECT, { buffers: [] });
  }

  /**
   * Destroys the device and ends the thread (the next operation starts a
   * new one). Runs by itself before the process exits.
   */
  shutdown(): void {
    if (this.connection === null) return;
    this.group.stop();
    this.forget();
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
    if (this.connection !== null) {
      if (this.group.isAlive(0)) return;
      // It died between jobs: replace it.
      this.group.restart();
      this.forget();
    }
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
    quietDeviceSelect();
    this.block = createSharedBlock();
    this.group.ensure(1);
    const state = this.group.waitWhile(0, STARTING, this.startTimeoutMs);
    if (state === READY) {
      this.report = JSON.parse(this.group.message()) as AdapterReport;
      this.failure = null;
      this.connection = { writer: new ArgWriter(this.block), sent: new Set() };
      return;
    }
    const said = this.group.message();
    const exited = !this.group.isAlive(0);
    this.group.stop();
    this.report = null;
    if (state === STARTING && exited) {
      this.failure = "the GPU thread exited while starting (its module did not load)";
    } else if (state === STARTING) {
      this.failure = `the GPU thread found no adapter within ${this.startTimeoutMs / 1000} s (MINITORCH_GPU_START_TIMEOUT_MS)`;
    } else {
      this.failure = noAdapterAdvice(said !== "" ? said : "the GPU thread exited while starting");
    }
  }

  /** Posts the job's message, publishes `command` and blocks until the thread has run it. */
  private command(op: string, command: number, message: JobMessage): void {
    this.group.post(message, true);
    Atomics.store(this.group.control, COMMAND, command);
    this.group.publish();
    try {
      this.group.waitDone(op);
    } catch (e) {
      // The runtime replaced the thread; the next operation starts another.
      this.forget();
      throw e;
    }
  }

  private checkStatus(op: string): void {
    const message = this.group.error();
    if (message === null) return;
    if (this.group.stateOf(0) === RETIRING) {
      this.forget();
      this.group.fail(op, `${message}; the GPU thread will be restarted`);
    }
    throw new Error(`${op}: ${message}`);
  }

  /** Forgets the thread in service (the runtime has stopped it, or is about to). */
  private forget(): void {
    this.connection = null;
    this.report = null;
    this.failure = null;
  }
}
