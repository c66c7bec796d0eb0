/**
 * The GPU thread's job words, kept in the user slots of fast-ops' thread
 * runtime control block, and what its caller posts; imported by both
 * sides. The runtime publishes a job and waits for it (threads.ts on the
 * calling side, serve.ts on the GPU thread); this file says what a job is:
 * a command (run a kernel, or a fault for the tests), the number of its
 * arguments (fast-ops' transport.ts), and the shader sources it needs.
 */
import { USER_BASE, type SharedBlock } from "@minitorch/fast-ops";

export const COMMAND = USER_BASE;
export const NARGS = USER_BASE + 1;
export const FAULT = USER_BASE + 2;

/** Commands. */
export const RUN = 1;
/** Test hook: the fault named in FAULT happens during the job. */
export const INJECT = 2;

/** Faults the INJECT command can simulate, for fault tests. */
export const FAULT_EXIT = 1;
export const FAULT_HANG = 2;
export const FAULT_LOSE_DEVICE = 3;

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

/** What the GPU thread starts with besides the runtime's data. */
export interface GpuThreadInit {
  block: SharedBlock;
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
