/**
 * The thread runtime's platform seam in a browser: the same functions as
 * platform.ts on Web Workers. A bundler substitutes this file for
 * platform.ts (apps/playground's build does; docs/browser.md says how).
 *
 * The blocking caller is itself a dedicated worker (a page's main thread may
 * not call `Atomics.wait`), and every thread of the runtime is a module
 * worker nested in it. Three things differ from Node:
 * - A nested worker starts only when its parent's event loop turns (the
 *   parent fetches its script), so a caller that spawns and blocks at once
 *   would never see it: `prestartThreads` starts them ahead, and the caller
 *   awaits it before code that blocks (the GPU thread's start, a loop).
 * - A thread's `init` arrives as its first message; its bundle awaits
 *   `threadReady()` before it imports the runtime's thread side, which reads
 *   `threadInit()` as it loads.
 * - Messages arrive only through the event loop, so `idleWait` sleeps in
 *   `Atomics.waitAsync` (serve.ts awaits it) and lets them in.
 *
 * Modules are bundled, so the URLs the runtime names (a kernel's module, a
 * thread's entry, the SIMD wasm) are `minitorch:/PKG/dist/PATH` names the
 * bundler gives `import.meta.url`: a thread entry or asset is the file
 * `PKG/PATH` under the library's base URL, and a kernel module is looked up
 * in the modules its thread's bundle registered (`registerModule`).
 */

/** A started thread, as the calling side sees it. */
export interface ThreadHandle {
  readonly alive: boolean;
  post(message: unknown): void;
  terminate(): Promise<void>;
}

/** The Web Worker API as far as this file uses it (the project's libs have no DOM types). */
interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  addEventListener(type: "message" | "error", listener: (event: { data?: unknown; message?: string }) => void): void;
}
interface WorkerScope {
  location: { href: string };
  navigator: { hardwareConcurrency?: number };
  Worker: new (url: string, options: { type: "module"; name?: string }) => WebWorker;
  XMLHttpRequest: new () => {
    open(method: string, url: string, async: boolean): void;
    responseType: string;
    send(): void;
    status: number;
    response: ArrayBuffer | null;
  };
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
  close(): void;
}
const scope = globalThis as unknown as WorkerScope;

/** What a thread's first message holds. */
interface ThreadBoot {
  minitorchThread: { init: unknown; base: string };
}
/** What a thread posts once its bundle runs (it then waits for its init). */
const LOADED = "minitorch-thread-loaded";

/** Where the library's files are: beside the bundle that runs the user's code, or as its caller said (in a thread). */
let base: string | null = null;

function libraryBase(): string {
  base ??= new URL("./", scope.location.href).href;
  return base;
}

/** Sets the library's base URL (the directory holding PKG/PATH files), when it is not beside the caller's bundle. */
export function setLibraryBase(url: string): void {
  base = url;
}

/** The file behind a `minitorch:/PKG/dist/PATH` name (any other URL is returned as it is). */
export function libraryFile(name: string): string {
  const m = /^minitorch:\/([^/]+)\/dist\/(.+)$/.exec(name);
  return m === null ? name : new URL(`${m[1]}/${m[2]}`, libraryBase()).href;
}

/** A module worker started ahead of need, and whether its bundle has loaded. */
interface Spare {
  worker: WebWorker;
  loaded: Promise<boolean>;
}
const spares = new Map<string, Spare[]>();

function startWorker(entry: string): Spare {
  const worker = new scope.Worker(libraryFile(entry), { type: "module", name: entry.slice(entry.lastIndexOf("/") + 1) });
  const loaded = new Promise<boolean>((resolve) => {
    worker.addEventListener("message", (event) => {
      if (event.data === LOADED) resolve(true);
    });
    worker.addEventListener("error", (event) => {
      console.error(`minitorch thread ${entry}: ${event.message ?? "failed to load"}`);
      resolve(false);
    });
  });
  return { worker, loaded };
}

/**
 * Starts `count` threads of module `entry` ahead of need and resolves once
 * their bundles have loaded (true when all did). A worker nested in the
 * caller starts only when the caller's event loop turns, so a caller that
 * spawns a thread and blocks on it at once would wait forever: the runtime
 * takes these spares instead. A spare taken is not replaced (a GPU thread's
 * spare holds a device): call this again before the next code that blocks,
 * e.g. before each run.
 */
export async function prestartThreads(entry: string, count: number): Promise<boolean> {
  const list = spares.get(entry) ?? [];
  spares.set(entry, list);
  while (list.length < count) list.push(startWorker(entry));
  return (await Promise.all(list.map((s) => s.loaded))).every(Boolean);
}

export function spawnThread(entry: string, init: unknown): ThreadHandle {
  // Without a spare, the thread starts when the caller next yields (a pool runs without it until then).
  const spare = spares.get(entry)?.shift() ?? startWorker(entry);
  const { worker } = spare;
  let alive = true;
  void spare.loaded.then((ok) => {
    if (!ok) alive = false;
  });
  worker.addEventListener("error", () => {
    alive = false;
  });
  const boot: ThreadBoot = { minitorchThread: { init, base: libraryBase() } };
  worker.postMessage(boot);
  return {
    get alive() {
      return alive;
    },
    post(message) {
      worker.postMessage(message);
    },
    terminate() {
      alive = false;
      worker.terminate();
      return Promise.resolve();
    },
  };
}

export function onProcessExit(_fn: () => void): void {
  // A page ends its workers without notice; nothing can run then.
}

export function availableParallelism(): number {
  return scope.navigator.hardwareConcurrency ?? 1;
}

export function weight(bytes: number): ArrayBufferLike {
  // Zero-filled, but its pages are committed only when touched, and this one never is.
  return new ArrayBuffer(bytes);
}

// ---- thread side ----

let init: unknown;
const inbox: unknown[] = [];
let ready: Promise<void> | null = null;

/**
 * Resolves with the thread's `init` once its first message came; a thread's
 * bundle awaits it before importing the module that serves (serve.ts reads
 * `threadInit()` as it loads). Later messages queue for `receive`.
 */
export function threadReady(): Promise<void> {
  ready ??= new Promise<void>((resolve) => {
    scope.addEventListener("message", (event) => {
      const boot = event.data as Partial<ThreadBoot> | null;
      if (boot !== null && typeof boot === "object" && boot.minitorchThread !== undefined && init === undefined) {
        init = boot.minitorchThread.init;
        base = boot.minitorchThread.base;
        resolve();
      } else {
        inbox.push(event.data);
      }
    });
    scope.postMessage(LOADED);
  });
  return ready;
}

export function threadInit<T>(): T {
  if (init === undefined) throw new Error("threadInit: the thread's bundle must await threadReady() before importing the runtime");
  return init as T;
}

export function receive(): unknown {
  return inbox.shift();
}

export function idleWait(control: Int32Array, slot: number, value: number): Promise<void> | void {
  const wait = Atomics.waitAsync(control, slot, value);
  if (wait.async) return wait.value.then(() => undefined);
}

const modules = new Map<string, Record<string, unknown>>();

/** Makes module `namespace` importable by its `minitorch:/…` name in this thread (a bundle registers its kernel modules). */
export function registerModule(name: string, namespace: Record<string, unknown>): void {
  modules.set(name, namespace);
}

export function importModule(url: string): Promise<Record<string, unknown>> {
  const mod = modules.get(url);
  if (mod === undefined) return Promise.reject(new Error(`${url} is not among the kernel modules this thread's bundle registered`));
  return Promise.resolve(mod);
}

export function onThreadExit(_fn: () => void): void {
  // A worker gets no exit event; a dead thread is seen by its caller through `alive`.
}

export function closeThread(): void {
  scope.close();
}

/**
 * The bytes of file `url` (the SIMD kernels' wasm), or null when it does not
 * exist. Synchronous XMLHttpRequest is allowed in workers, where the
 * library runs, and the file is read once per thread.
 */
export function readBinary(url: URL): Uint8Array | null {
  const request = new scope.XMLHttpRequest();
  request.open("GET", libraryFile(url.href), false);
  request.responseType = "arraybuffer";
  request.send();
  return request.status === 200 && request.response !== null ? new Uint8Array(request.response) : null;
}

/** A path for messages: the file's URL. */
export function describeFile(url: URL): string {
  return libraryFile(url.href);
}
