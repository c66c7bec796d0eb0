/**
 * A FastOps worker: waits on the control block, takes chunks of each job,
 * and runs the kernel on views of the job's shared buffers, which arrive on
 * its port with the job and are dropped when it ends. Kernels are found by
 * id and imported from their modules; an elementwise kernel is made there by
 * its set's factory, for a library operator named or a user function's source.
 */
import { receiveMessageOnPort, workerData } from "node:worker_threads";
import { weighAll } from "./storage.js";
import { ArgReader } from "./transport.js";
import { scalarFunction } from "./elementwise.js";
import {
  ACTIVE_BASE,
  CHUNK,
  EXITED,
  GEN,
  JOB_MESSAGE,
  KERNEL,
  NARGS,
  NCHUNKS,
  NEXT,
  OPEN,
  POSTED,
  STATE,
  STOP,
  WORK,
  WORKER_CHUNKS,
  writeError,
  type KernelDef,
  type PoolMessage,
} from "./protocol.js";
import type { WorkerInit } from "./pool.js";

type KernelFn = (...args: unknown[]) => void;

const init = workerData as WorkerInit;
const control = new Int32Array(init.shared.control);
const errorBytes = new Uint8Array(init.shared.error);
const reader = new ArgReader(init.shared);
const kernels: Array<KernelFn | undefined> = [];
const failures = new Map<number, string>();
const pendingImports: Array<Promise<void>> = [];
const flag = ACTIVE_BASE + init.index;
let consumed = init.posted;
/** The buffers of the latest message and its number; kept only until the job that uses them ends. */
let buffers: SharedArrayBuffer[] | null = null;
let buffersMessage = 0;

function define(id: number, def: KernelDef): void {
  pendingImports.push(
    import(def.module).then(
      (mod: Record<string, unknown>) => {
        const fn = mod[def.name];
        if (typeof fn !== "function") failures.set(id, `module ${def.module} has no function export "${def.name}"`);
        else if (def.fn === undefined) kernels[id] = fn as KernelFn;
        else {
          // An elementwise factory: the kernel is what it makes for the scalar function named.
          try {
            kernels[id] = (fn as (f: unknown) => KernelFn)(scalarFunction(def.fn, def.name));
          } catch (e) {
            failures.set(id, (e as Error).message);
          }
        }
      },
      (e: unknown) => {
        failures.set(id, `cannot load ${def.module}: ${(e as Error).message}`);
      },
    ),
  );
}

function apply(message: PoolMessage): void {
  for (const [id, def] of message.defs ?? []) define(id, def);
  buffers = message.buffers ?? null;
  buffersMessage = consumed + 1;
  // This isolate holds its own objects for the buffers: make them count here too.
  if (buffers !== null) weighAll(buffers);
}

/** Pulls the messages posted so far; false if one has not arrived yet. */
function catchUp(): boolean {
  const posted = Atomics.load(control, POSTED);
  while (consumed < posted) {
    const m = receiveMessageOnPort(init.port);
    if (m === undefined) return false;
    apply(m.message as PoolMessage);
    consumed++;
  }
  return true;
}

/** Takes chunks of the open job until none are left. */
function work(): void {
  const id = Atomics.load(control, KERNEL);
  const kernel = kernels[id];
  if (kernel === undefined) {
    const failure = failures.get(id);
    if (failure !== undefined) writeError(control, errorBytes, failure);
    // Not loaded yet (an import in flight): leave this job to the other threads.
    return;
  }
  const message = Atomics.load(control, JOB_MESSAGE);
  // The job's buffers must be those of the message posted for it.
  if (message !== 0 && (buffers === null || buffersMessage !== message)) return;
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
    Atomics.store(control, NEXT, chunks);
    // The kernel's own frames (a student's file and line) travel with the message.
    writeError(control, errorBytes, e instanceof Error ? `${e.message}${stackFrames(e)}` : String(e));
  }
  if (done > 0) Atomics.add(control, WORKER_CHUNKS, done);
}

/** The "at …" lines of an error's stack, each on its own line, or "". */
function stackFrames(e: Error): string {
  const frames = (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  return frames.length > 0 ? `\n${frames.join("\n")}` : "";
}

/** How long to keep polling for the next job before sleeping, in polls. */
const SPIN = 20000;

async function main(): Promise<void> {
  // A kernel that calls process.exit (or an error that escapes) ends this thread inside a job.
  process.on("exit", () => {
    if (Atomics.compareExchange(control, flag, 1, EXITED) === 1) Atomics.notify(control, flag);
  });
  for (const [id, def] of init.defs) define(id, def);
  let seen = Atomics.load(control, GEN);
  for (;;) {
    if (pendingImports.length > 0) {
      // Let module imports finish (this needs the event loop) before waiting again.
      await Promise.all(pendingImports.splice(0));
    }
    let spins = 0;
    while (Atomics.load(control, GEN) === seen && spins < SPIN) spins++;
    if (Atomics.load(control, GEN) === seen) Atomics.wait(control, GEN, seen);
    if (Atomics.load(control, STOP) !== 0) return;
    // Raise the flag before looking at the job: the main thread closes a job,
    // then waits for every raised flag, so a job seen OPEN here stays intact.
    Atomics.store(control, flag, 1);
    const gen = Atomics.load(control, GEN);
    // Read the port on every wake, so no posted buffer waits in it for a later job.
    if (catchUp() && Atomics.load(control, STATE) === OPEN) work();
    buffers = null;
    seen = gen;
    Atomics.store(control, flag, 0);
    Atomics.notify(control, flag);
  }
}

void main();
