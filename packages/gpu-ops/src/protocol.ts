/**
 * The handshake between the main thread and the GPU thread, imported by
 * both. The main thread writes a job's arguments (fast-ops' transport.ts),
 * posts the job's shared buffers and any new shader sources on the port,
 * stores the command, bumps SEQ and notifies; the GPU thread, blocked in
 * `Atomics.wait` on SEQ between jobs, runs the job on the device and stores SEQ into
 * DONE, which the main thread waits for with `Atomics.wait`. Separately from
 * jobs, STOP tells the thread to destroy its device and end — watched on its
 * own, so it works even while a job is stuck; STOP also notifies SEQ.
 */
import type { MessagePort } from "node:worker_threads";
import type { SharedBlock } from "@minitorch/fast-ops";

/** Int32 slots of the control block. */
export const SEQ = 0;
export const DONE = 1;
export const COMMAND = 2;
export const STATUS = 3;
export const STATE = 4;
export const NARGS = 5;
export const MESSAGE_LENGTH = 6;
export const FAULT = 7;
/** Set to 1 to make the GPU thread destroy its device and end, whatever it is doing. */
export const STOP = 8;
export const CONTROL_INTS = 16;

/** Commands. */
export const RUN = 1;
/** Test hook: the fault named in FAULT happens during the job. */
export const INJECT = 2;

/** STATUS of a finished command. */
export const OK = 0;
export const FAILED = 1;

/** STATE of the GPU thread. */
export const STARTING = 0;
export const READY = 1;
/** Init failed (no adapter, Dawn did not load); the message says why. */
export const UNAVAILABLE = 2;
/**
 * The thread left. Set from its exit handler, because the main thread,
 * blocked in a job, cannot run the event loop that would tell it.
 */
export const EXITED = 3;
/** Device destroyed after STOP; the thread is ending. */
export const SHUT = 4;
/** The device was lost; the thread must be replaced. */
export const LOST = 5;

/** Faults the INJECT command can simulate, for fault tests. */
export const FAULT_EXIT = 1;
export const FAULT_HANG = 2;
export const FAULT_LOSE_DEVICE = 3;

/** Bytes of the message area (errors, and the adapter description at start). */
export const MESSAGE_BYTES = 64 * 1024;

/** How a job's storage operands bind: read (uploaded), written (read back), or the integer plan. */
export const ROLE_IN = 0;
export const ROLE_OUT = 1;
export const ROLE_PLAN = 2;

/**
 * First argument of a RUN job: kernel id, workgroup counts (x, y, z), the
 * number of bound operands and one role per operand. Operand i (argument
 * i + 1) is `@binding(i)` of the kernel's bind group 0.
 */
export const HEADER_KERNEL = 0;
export const HEADER_GROUPS = 1;
export const HEADER_OPERANDS = 4;
export const HEADER_ROLES = 5;

/** A shader the GPU thread compiles on first use. */
export interface KernelSource {
  id: number;
  name: string;
  source: string;
}

/** Posted to the GPU thread right before each command. */
export interface JobMessage {
  buffers: SharedArrayBuffer[];
  kernels?: KernelSource[];
}

/** What the GPU thread starts with. */
export interface GpuThreadInit {
  control: SharedArrayBuffer;
  message: SharedArrayBuffer;
  block: SharedBlock;
  port: MessagePort;
}

/** The adapter a ready GPU thread reports. */
export interface AdapterReport {
  /** For people: description, vendor and architecture, and whether it is a software (fallback) adapter. */
  label: string;
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  software: boolean;
  maxBufferBytes: number;
  maxWorkgroupsPerDimension: number;
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
