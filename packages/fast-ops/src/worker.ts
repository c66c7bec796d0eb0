/**
 * A FastOps worker, run by the thread runtime (runtime/serve.ts): it takes
 * chunks of each job and runs the kernel on views of the job's shared
 * buffers, which arrive in a message with the job and are dropped when it
 * ends. Kernels are found by id and imported from their module's URL; an
 * elementwise kernel is made there by its set's factory, for a library
 * operator named or a user function's source.
 */
import { weighAll } from "./storage.js";
import { ArgReader } from "./transport.js";
import { scalarFunction } from "./elementwise.js";
import { CHUNK, KERNEL, NARGS, NCHUNKS, NEXT, OPEN, STATE, WORK, WORKER_CHUNKS, type KernelDef, type PoolMessage, type WorkerInit } from "./protocol.js";
import { JOB_MESSAGE } from "./runtime/control.js";
import { importModule } from "./runtime/platform.js";
import { serve, thread } from "./runtime/serve.js";

type KernelFn = (...args: unknown[]) => void;

const init = thread.user as WorkerInit;
const control = thread.control;
const reader = new ArgReader(init.shared);
const kernels: Array<KernelFn | undefined> = [];
const failures = new Map<number, string>();
const pendingImports: Array<Promise<void>> = [];
/** The buffers of the latest message and its number; kept only until the job that uses them ends. */
let buffers: SharedArrayBuffer[] | null = null;
let buffersMessage = 0;

/** Modules this thread has imported, so a kernel from one of them is defined at once, within the job that brings it. */
const loaded = new Map<string, Record<string, unknown>>();

function define(id: number, def: KernelDef): void {
  const known = loaded.get(def.module);
  if (known !== undefined) {
    defineFrom(known, id, def);
    return;
  }
  pendingImports.push(
    importModule(def.module).then(
      (mod: Record<string, unknown>) => {
        loaded.set(def.module, mod);
        defineFrom(mod, id, def);
      },
      (e: unknown) => {
        failures.set(id, `cannot load ${def.module}: ${(e as Error).message}`);
      },
    ),
  );
}

/** Kernel `id` from its imported module: the export itself, or what the export (an elementwise factory) makes for the scalar function named. */
function defineFrom(mod: Record<string, unknown>, id: number, def: KernelDef): void {
  const fn = mod[def.name];
  if (typeof fn !== "function") {
    failures.set(id, `module ${def.module} has no function export "${def.name}"`);
  } else if (def.fn === undefined) {
    kernels[id] = fn as KernelFn;
  } else {
    try {
      kernels[id] = (fn as (f: unknown) => KernelFn)(scalarFunction(def.fn, def.name));
    } catch (e) {
      failures.set(id, (e as Error).message);
    }
  }
}

function message(m: unknown, n: number): void {
  const posted = m as PoolMessage;
  for (const [id, def] of posted.defs ?? []) define(id, def);
  buffers = posted.buffers ?? null;
  buffersMessage = n;
  // This isolate holds its own objects for the buffers: make them count here too.
  if (buffers !== null) weighAll(buffers);
}

/** Takes chunks of the open job until none are left. */
function work(): void {
  if (Atomics.load(control, STATE) !== OPEN) return;
  const id = Atomics.load(control, KERNEL);
  const kernel = kernels[id];
  if (kernel === undefined) {
    const failure = failures.get(id);
    if (failure !== undefined) throw new Error(failure);
    // Not loaded yet (an import in flight): leave this job to the other threads.
    return;
  }
  const jobMessage = Atomics.load(control, JOB_MESSAGE);
  // The job's buffers must be those of the message posted for it.
  if (jobMessage !== 0 && (buffers === null || buffersMessage !== jobMessage)) return;
  const total = Atomics.load(control, WORK);
  const chunk = Atomics.load(control, CHUNK);
  const chunks = Atomics.load(control, NCHUNKS);
  let done = 0;
  try {
    const args = reader.decode(Atomics.load(control, NARGS), buffers ?? []);
    const n = args.length;
    const callArgs: unknown[] = [...args, 0, 0];
    for (;;) {
      const i = Atomics.add(control, NEXT, 1);
      if (i >= chunks) break;
      callArgs[n] = i * chunk;
      callArgs[n + 1] = Math.min(total, (i + 1) * chunk);
      kernel(...callArgs);
      done++;
    }
  } catch (e) {
    // Stop the other threads from claiming more chunks of a failed job.
    Atomics.store(control, NEXT, chunks);
    // The kernel's own frames (a student's file and line) travel with the message.
    throw e instanceof Error ? new Error(`${e.message}${stackFrames(e)}`) : e;
  } finally {
    if (done > 0) Atomics.add(control, WORKER_CHUNKS, done);
  }
}

/** The "at …" lines of an error's stack, each on its own line, or "". */
function stackFrames(e: Error): string {
  const frames = (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? `\n${frames.join("\n")}` : "";
}

for (const [id, def] of init.defs) define(id, def);

void serve({
  // Polls before sleeping: a job usually follows the last within them, and waking a sleeping thread costs more.
  spin: 20000,
  everyJob: false,
  message,
  job: () => {
    try {
      work();
    } finally {
      // Drop the job's buffers now: a worker must not keep storage alive.
      buffers = null;
    }
  },
  // Module imports finish on the event loop, which turns only here.
  beforeSleep: () => (pendingImports.length > 0 ? Promise.all(pendingImports.splice(0)).then(() => undefined) : undefined),
});
