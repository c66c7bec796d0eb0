/**
 * The one place a kernel keeps state between calls on its thread: scratch
 * buffers, the thread's WebAssembly instance and what its memory holds, and
 * the counter that names jobs.
 *
 * Lifetime: each thread (the main thread, each pool worker, the GPU thread)
 * is its own JavaScript realm with its own copy of this module, so
 * `threadContext()` returns that thread's single context. It is made on
 * first use and lives as long as the thread, so a worker that is replaced
 * starts with a fresh one; `resetThreadContext()` drops it earlier (tests,
 * or a thread that must forget what it staged). Nothing a kernel caches may
 * live anywhere else — no module-level `let`, no global symbol — so this
 * reset forgets all of it at once.
 *
 * Job stamps assume one copy of @minitorch/fast-ops per process: a stamp
 * names a job for the thread that issued it and for the workers of its
 * pool, which load the same package.
 */

/** A typed-array constructor a scratch buffer can be made with. */
type ScratchType = Float64ArrayConstructor | Int32ArrayConstructor;

/** One thread's kernel state; get it with {@link threadContext}. */
export class ThreadContext {
  private readonly buffers = new Map<string, Float64Array | Int32Array>();
  private readonly resources = new Map<string, unknown>();
  /** `stamps`: how many stamps this thread issued before, so a fresh context never repeats one another thread may hold. */
  constructor(private stamps = 0) {}

  /**
   * A scratch buffer of at least `length` elements, named so that two
   * kernels never share one by accident ("implicitGemm.padded"). It grows
   * when asked for more and is never cleared: a kernel overwrites what it
   * reads.
   */
  scratch(name: string, length: number, type: Float64ArrayConstructor): Float64Array;
  scratch(name: string, length: number, type: Int32ArrayConstructor): Int32Array;
  scratch(name: string, length: number, type: ScratchType): Float64Array | Int32Array {
    const held = this.buffers.get(name);
    if (held !== undefined) {
      if (!(held instanceof type)) {
        throw new TypeError(`threadContext.scratch: "${name}" is a ${held.constructor.name}, asked for a ${type.name}`);
      }
      if (held.length >= length) return held;
    }
    const fresh = new type(length);
    this.buffers.set(name, fresh);
    return fresh;
  }

  /** The thread's object named `name`, made by `create` on first use (a compiled module, a WebAssembly instance). */
  resource<T>(name: string, create: () => T): T {
    if (this.resources.has(name)) return this.resources.get(name) as T;
    const made = create();
    this.resources.set(name, made);
    return made;
  }

  /**
   * A number naming one job issued from this thread, so a thread running
   * several units of the job can tell whether what its scratch holds
   * (packed weights, packed B) belongs to it.
   */
  nextStamp(): number {
    return ++this.stamps;
  }
}

let current: ThreadContext | undefined;

/** This thread's context (made on first use). */
export function threadContext(): ThreadContext {
  return (current ??= new ThreadContext());
}

/**
 * Forgets this thread's context: the next `threadContext()` is a fresh one,
 * with no scratch and nothing staged. Stamps go on counting, because other
 * threads may still hold data staged under earlier ones.
 */
export function resetThreadContext(): void {
  current = new ThreadContext(current?.nextStamp() ?? 0);
}
