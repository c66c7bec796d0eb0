/**
 * The thread runtime's platform seam: everything Node-specific the runtime
 * (threads.ts, serve.ts) and the shared storage (storage.ts) need, and
 * nothing else. A Web Worker version implements the same functions.
 *
 * Calling side (the thread that publishes jobs and blocks on them):
 * - `spawnThread(entry, init)` starts a thread running module `entry` with
 *   `init` (structured-cloneable, may hold SharedArrayBuffers). It must not
 *   keep the process alive. `alive` must turn false when the thread is gone
 *   without the caller's event loop turning (the caller is blocked in
 *   `Atomics.wait`); the runtime also sees a thread's own exit flag.
 *   `post(message)` queues a message for the thread, delivered in order.
 * - `onProcessExit(fn)` runs `fn` synchronously before the process ends.
 * - `availableParallelism()`: hardware threads.
 * - `weight(bytes)`: an ordinary buffer of that many bytes, never written and
 *   not zero-filled, that makes the garbage collector count a shared buffer.
 *
 * Thread side (the module `entry`, inside the started thread):
 * - `threadInit()` is the `init` given to `spawnThread`.
 * - `receive()` returns the next posted message, or undefined when none has
 *   arrived; it never blocks. Node drains the port synchronously
 *   (`receiveMessageOnPort`).
 * - `idleWait(control, slot, value)` sleeps until `control[slot]` changes.
 * - `onThreadExit(fn)` runs `fn` when the thread ends however it ends.
 * - `readBinary(url)`: a file's bytes (the SIMD kernels' wasm), or null when
 *   it does not exist; `describeFile(url)` names it in messages.
 * - `importModule(url)` imports a kernel module; a `.ts` URL (source under
 *   test) needs a TypeScript loader, registered on first need (tsx here; a
 *   browser gets built JavaScript from its bundler).
 *
 * In a browser the blocking caller is itself a worker, and neither
 * `receiveMessageOnPort` nor `Buffer` exists. There, `receive` returns what
 * the thread's `onmessage` queued, so `idleWait` must return a Promise
 * (`Atomics.waitAsync`) to let messages in; serve.ts awaits it only when it
 * is one. The runtime already tolerates a message that has not arrived yet:
 * it counts posted messages in the control block, a pool worker leaves such
 * a job to the others and the GPU thread waits for it. `weight` may return
 * an `ArrayBuffer` (there is no uninitialised allocation; the weight is
 * then resident), `availableParallelism` is `navigator.hardwareConcurrency`,
 * `alive` comes from the worker's `error` event and the exit flag.
 */
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { MessageChannel, Worker, receiveMessageOnPort, workerData, type MessagePort } from "node:worker_threads";

/** A started thread, as the calling side sees it. */
export interface ThreadHandle {
  readonly alive: boolean;
  post(message: unknown): void;
  terminate(): Promise<void>;
}

interface NodeThreadData {
  port: MessagePort;
  init: unknown;
  /** True when the bootstrap registered the TypeScript loader already. */
  typescript: boolean;
}

/**
 * Starts a thread on module `entry` (a URL). When `entry` is TypeScript (a
 * test imported the source), the thread first registers tsx's ESM loader,
 * a development dependency, so that it runs the source under test.
 */
export function spawnThread(entry: string, init: unknown): ThreadHandle {
  const { port1, port2 } = new MessageChannel();
  port1.unref();
  const data: NodeThreadData = { port: port2, init, typescript: entry.endsWith(".ts") };
  const worker = new Worker(bootstrapUrl(entry), { workerData: data, transferList: [port2] });
  worker.unref();
  // A dead thread is seen through `alive` and its exit flag; the event would come too late.
  worker.on("error", () => {});
  return {
    get alive() {
      return worker.threadId !== -1;
    },
    post(message) {
      port1.postMessage(message);
    },
    terminate() {
      port1.close();
      return worker.terminate().then(() => undefined);
    },
  };
}

function bootstrapUrl(entry: string): URL {
  if (!entry.endsWith(".ts")) return new URL(entry);
  const loader = import.meta.resolve("tsx/esm/api");
  // An entry that fails to load would end the thread silently (its caller is blocked): say why on stderr.
  const code = `import { register } from ${JSON.stringify(loader)};\nregister();\ntry { await import(${JSON.stringify(entry)}); } catch (e) { console.error(e); throw e; }\n`;
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

export function onProcessExit(fn: () => void): void {
  process.on("exit", fn);
}

export function availableParallelism(): number {
  return os.availableParallelism();
}

export function weight(bytes: number): ArrayBufferLike {
  return Buffer.allocUnsafeSlow(bytes).buffer;
}

export function threadInit<T>(): T {
  return (workerData as NodeThreadData).init as T;
}

export function receive(): unknown {
  return receiveMessageOnPort((workerData as NodeThreadData).port)?.message;
}

export function idleWait(control: Int32Array, slot: number, value: number): void {
  Atomics.wait(control, slot, value);
}

let typescript: Promise<unknown> | null = null;

/**
 * Imports module `url` in a thread. A TypeScript source (the kernel module
 * a test imported from src/) first registers tsx's ESM loader in this
 * thread, so the worker runs the code under test, not the last build.
 */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (url.endsWith(".ts") && !(workerData as NodeThreadData).typescript) {
    typescript ??= import(import.meta.resolve("tsx/esm/api")).then((tsx: { register: () => unknown }) => tsx.register());
    await typescript;
  }
  return import(url) as Promise<Record<string, unknown>>;
}

export function onThreadExit(fn: () => void): void {
  process.on("exit", fn);
}

/** Lets a thread that has finished serving end (its port would keep it alive). */
export function closeThread(): void {
  (workerData as NodeThreadData).port.close();
}

export function readBinary(url: URL): Uint8Array | null {
  const path = fileURLToPath(url);
  return existsSync(path) ? readFileSync(path) : null;
}

export function describeFile(url: URL): string {
  return fileURLToPath(url);
}
