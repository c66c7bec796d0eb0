/**
 * The GPU thread, run by fast-ops' thread runtime: owns the Dawn instance
 * and device, blocks in `Atomics.wait` between jobs (its event loop turns,
 * for Dawn's callbacks such as `mapAsync`, only while a job awaits them),
 * and runs each published job — converts the operands from float64 to
 * float32 into ordinary buffers (queue.writeBuffer must not read a
 * SharedArrayBuffer), dispatches the kernel and reads the outputs back into
 * the shared float64 storage; the runtime then reports the job done. It
 * destroys the device when told to stop, since Dawn can abort if a process
 * exits with a device alive.
 */
import type {} from "webgpu";
import { BufferPool, READBACK_USAGE, STORAGE_USAGE } from "./bufferPool.js";
import { sourceLineOf } from "./kernelSource.js";
import { ArgReader, POISON, weighAll } from "@minitorch/fast-ops";
import { retire, serve, thread } from "@minitorch/fast-ops/thread";
import {
  COMMAND,
  FAULT,
  FAULT_EXIT,
  FAULT_HANG,
  FAULT_LOSE_DEVICE,
  HEADER_GROUPS,
  HEADER_KERNEL,
  HEADER_OPERANDS,
  HEADER_ROLES,
  INJECT,
  NARGS,
  ROLE_IN,
  ROLE_OUT,
  type AdapterReport,
  type GpuThreadInit,
  type JobMessage,
  type KernelSource,
} from "./protocol.js";

const MAP_READ = 0x0001;

const init = thread.user as GpuThreadInit;
const control = thread.control;
const reader = new ArgReader(init.block);
const sources = new Map<number, KernelSource>();
const pipelines = new Map<number, GPUComputePipeline>();

// The instance and adapter stay referenced for the thread's life: Dawn's
// event processing uses the instance after the objects that made it are gone.
let instance: GPU | null = null;
let adapter: GPUAdapter | null = null;
let device: GPUDevice | null = null;
let buffers: BufferPool | null = null;
let lostReason: string | null = null;
let shuttingDown = false;

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Creates the device; returns the adapter report, or throws why there is no GPU. */
async function start(): Promise<string> {
  let webgpu: typeof import("webgpu");
  try {
    webgpu = await import("webgpu");
  } catch (e) {
    throw new Error(`Dawn's Node bindings (npm package webgpu@0.4.0) did not load: ${describe(e)}`);
  }
  instance = webgpu.create([]);
  adapter = await instance.requestAdapter({ powerPreference: "high-performance" });
  if (adapter === null) throw new Error("no WebGPU adapter: Dawn found no usable Vulkan device");
  const limits = adapter.limits;
  try {
    device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      },
    });
  } catch (e) {
    throw new Error(`WebGPU device could not be created: ${describe(e)}`);
  }
  buffers = new BufferPool(device);
  void device.lost.then((info) => {
    lostReason = `${info.reason}${info.message ? `: ${info.message}` : ""}`;
    // Ask to be replaced: the caller restarts the thread after this job.
    if (!shuttingDown) retire();
  });
  const info = adapter.info;
  const report: AdapterReport = {
    label: `${info.description || info.device || "unknown device"} (${info.vendor || "unknown vendor"} ${info.architecture})${info.isFallbackAdapter ? ", software" : ""}`,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software: info.isFallbackAdapter,
    maxBufferBytes: Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize),
    maxWorkgroupsPerDimension: device.limits.maxComputeWorkgroupsPerDimension,
  };
  return JSON.stringify(report);
}

/** The compiled pipeline of kernel `id`, with a bind group layout from the operands' roles. */
async function pipelineFor(id: number, roles: readonly number[]): Promise<GPUComputePipeline> {
  const cached = pipelines.get(id);
  if (cached !== undefined) return cached;
  const kernel = sources.get(id);
  if (kernel === undefined) throw new Error(`kernel ${id} was never sent to the GPU thread`);
  const d = device!;
  d.pushErrorScope("validation");
  const module = d.createShaderModule({ label: kernel.name, code: kernel.source });
  const info = await module.getCompilationInfo();
  await d.popErrorScope();
  const errors = info.messages.filter((m) => m.type === "error");
  if (errors.length > 0) {
    // A line of a course kernel's body also names the .ts file and line it was written on (kernelSource.ts).
    const lines = errors.map((m) => {
      const where = sourceLineOf(kernel.source, m.lineNum);
      return `line ${m.lineNum}:${m.linePos}: ${m.message}${where === null ? "" : ` (in ${where})`}`;
    });
    throw new Error(`shader compile error in ${kernel.name}:\n${lines.join("\n")}`);
  }
  const bindGroupLayout = d.createBindGroupLayout({
    entries: roles.map((role, binding) => ({
      binding,
      visibility: 0x4, // GPUShaderStage.COMPUTE
      buffer: { type: role === ROLE_OUT ? "storage" : "read-only-storage" },
    })),
  });
  let pipeline: GPUComputePipeline;
  try {
    pipeline = await d.createComputePipelineAsync({
      label: kernel.name,
      layout: d.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] }),
      compute: { module },
    });
  } catch (e) {
    throw new Error(`shader of ${kernel.name} does not make a pipeline: ${describe(e)}`);
  }
  pipelines.set(id, pipeline);
  return pipeline;
}

let upload = new Float32Array(1024);
let nans = new Float32Array(0);

/** `n` NaNs as float32 (for MINITORCH_POISON). */
function poison(n: number): Float32Array {
  if (nans.length < n) nans = new Float32Array(n).fill(NaN);
  return nans.subarray(0, n);
}

/**
 * `x` as float32 in ordinary memory (reused: writeBuffer copies the data
 * before it returns). Uploading from a view on a SharedArrayBuffer crashes
 * Dawn, so a copy is needed anyway.
 */
function toFloat32(x: Float64Array | Float32Array): Float32Array {
  if (upload.length < x.length) upload = new Float32Array(Math.max(x.length, upload.length * 2));
  const view = upload.subarray(0, x.length);
  view.set(x);
  return view;
}

/** Uploads, dispatches and reads back one job. */
async function runJob(jobBuffers: readonly SharedArrayBuffer[]): Promise<void> {
  if (lostReason !== null) throw new Error(`the GPU device was lost (${lostReason})`);
  const args = reader.decode(Atomics.load(control, NARGS), jobBuffers);
  const header = args[0] as Int32Array;
  const operands = header[HEADER_OPERANDS]!;
  const roles = Array.from(header.subarray(HEADER_ROLES, HEADER_ROLES + operands));
  const d = device!;
  const pool = buffers!;
  const pipeline = await pipelineFor(header[HEADER_KERNEL]!, roles);
  d.pushErrorScope("out-of-memory");
  d.pushErrorScope("validation");
  const taken: GPUBuffer[] = [];
  const readbacks: Array<{ target: Float64Array | Float32Array; source: GPUBuffer; staging: GPUBuffer | null; bytes: number }> = [];
  let failure: unknown = null;
  try {
    const entries: GPUBindGroupEntry[] = [];
    const encoder = d.createCommandEncoder();
    for (let i = 0; i < operands; i++) {
      const arg = args[i + 1]!;
      if (typeof arg === "number") throw new Error(`operand ${i} is a number, not an array`);
      const bytes = Math.max(4, arg.length * 4);
      const buffer = pool.take(bytes, STORAGE_USAGE);
      taken.push(buffer);
      entries.push({ binding: i, resource: { buffer, size: bytes } });
      if (roles[i] === ROLE_IN) {
        const data = arg instanceof Int32Array ? arg : toFloat32(arg);
        if (data.length > 0) d.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
      } else if (roles[i] === ROLE_OUT) {
        if (arg instanceof Int32Array) throw new Error(`output operand ${i} must be float64 or float32 storage`);
        readbacks.push({ target: arg, source: buffer, staging: null, bytes: arg.length * 4 });
        // MINITORCH_POISON: an element the kernel leaves unwritten comes back as NaN, not as a pooled buffer's old value.
        if (POISON && arg.length > 0) d.queue.writeBuffer(buffer, 0, poison(arg.length));
      } else {
        if (!(arg instanceof Int32Array)) throw new Error(`plan operand ${i} must be an Int32Array`);
        if (arg.length > 0) d.queue.writeBuffer(buffer, 0, arg.buffer, arg.byteOffset, arg.byteLength);
      }
    }
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, d.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }));
    const groups = header.subarray(HEADER_GROUPS, HEADER_GROUPS + 3);
    pass.dispatchWorkgroups(groups[0]!, groups[1]!, groups[2]!);
    pass.end();
    for (const r of readbacks) {
      if (r.bytes === 0) continue;
      r.staging = pool.take(r.bytes, READBACK_USAGE);
      taken.push(r.staging);
      encoder.copyBufferToBuffer(r.source, 0, r.staging, 0, r.bytes);
    }
    d.queue.submit([encoder.finish()]);
  } catch (e) {
    failure = e;
  }
  const validation = await d.popErrorScope();
  const memory = await d.popErrorScope();
  if (memory !== null || validation !== null || failure !== null) {
    for (const b of taken) b.destroy();
    if (memory !== null) throw new Error(`out of GPU memory: ${memory.message}`);
    if (validation !== null) throw new Error(`WebGPU validation error: ${validation.message}`);
    throw failure;
  }
  try {
    await Promise.all(readbacks.map((r) => r.staging?.mapAsync(MAP_READ, 0, r.bytes)));
    for (const r of readbacks) {
      if (r.staging === null) continue;
      r.target.set(new Float32Array(r.staging.getMappedRange(0, r.bytes)));
      r.staging.unmap();
    }
  } catch (e) {
    if (lostReason !== null) throw new Error(`the GPU device was lost (${lostReason})`);
    throw e;
  }
  for (const b of taken) pool.give(b);
}

/**
 * Simulates a fault, for the fault tests. The thread that "dies" destroys
 * its device first: a real death with a live device may take the process
 * down in Dawn's teardown, which no handling on the main thread can prevent.
 */
async function inject(fault: number): Promise<void> {
  if (fault === FAULT_EXIT) {
    await shutdown();
    process.exit(70);
  }
  if (fault === FAULT_HANG) await new Promise<never>(() => {});
  if (fault === FAULT_LOSE_DEVICE) {
    device!.destroy();
    await device!.lost;
  }
}

/** Destroys the device (and with it every buffer and pipeline). */
async function shutdown(): Promise<void> {
  shuttingDown = true;
  const d = device;
  if (d === null) return;
  device = null;
  buffers?.clear();
  pipelines.clear();
  d.destroy();
  await d.lost;
}

/** The buffers of the job's message, kept only until the job ends. */
let jobBuffers: SharedArrayBuffer[] = [];

/** Takes what was posted for a command: its buffers and any new kernels. */
function message(m: unknown): void {
  const posted = m as JobMessage;
  for (const k of posted.kernels ?? []) sources.set(k.id, k);
  // This isolate holds its own objects for the buffers: make them count here too (see fast-ops' storage.ts).
  weighAll(posted.buffers);
  jobBuffers = posted.buffers;
}

/**
 * Runs published jobs until STOP. Between jobs the runtime blocks this
 * thread in `Atomics.wait`, not `Atomics.waitAsync`: while a device is
 * alive, Dawn's bindings process their events on every turn of this
 * thread's event loop, so an idle loop that keeps turning costs a whole
 * core (docs/benchmarks.md), taken from FastBackend's workers. A blocked
 * thread turns nothing; the loop turns only while a job awaits the GPU.
 */
void serve({
  spin: 0,
  everyJob: true,
  start,
  message,
  job: async () => {
    try {
      if (Atomics.load(control, COMMAND) === INJECT) await inject(Atomics.load(control, FAULT));
      else await runJob(jobBuffers);
    } finally {
      // Drop this job's buffers now: the thread must not keep storage alive.
      jobBuffers = [];
    }
  },
  stop: shutdown,
});
