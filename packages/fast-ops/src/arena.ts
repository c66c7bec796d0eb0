/**
 * Shared storage for tensors that worker threads read and write in place.
 *
 * Every large tensor of the FastBackend lives in a block of a few big
 * SharedArrayBuffer "slabs". Workers receive each slab once, so an operation
 * only has to name (slab, offset, length) — no message per operation and no
 * copy. Blocks come in size classes (four per power of two); a block returns
 * to its class's free list when the tensor storage that owned it has been
 * garbage collected (a FinalizationRegistry on the storage view), so a
 * training loop reuses the same memory step after step instead of touching
 * fresh pages.
 *
 * Collection needs a full GC and an event-loop turn for the registry's
 * callbacks to run. The arena forces a major GC when it has grown by
 * `gcEveryBytes` since the last collection and the event loop has turned
 * since (a loop that never yields gains nothing from more GCs). When the
 * arena reaches its cap, `allocate` returns null and the caller falls back to
 * a plain array (operations on it run on the main thread).
 *
 * Invariant: nothing may keep a second view of a block's memory beyond the
 * life of the view `allocate` returned (kernels get the view itself).
 */
import os from "node:os";
import v8 from "node:v8";
import vm from "node:vm";

/** Where a shared storage lives: slab index and element offset. */
export interface BlockRef {
  slab: number;
  offset: number;
}

const SLAB_ELEMENTS = 8 * 1024 * 1024; // 64 MiB slabs
const MIN_CLASS = 16;

/** Rounds `n` up to its size class: 16, then 4 classes per power of two (≤ 25% waste). */
export function sizeClass(n: number): number {
  if (n <= MIN_CLASS) return MIN_CLASS;
  const p = 2 ** Math.floor(Math.log2(n));
  const step = p / 4;
  return Math.ceil(n / step) * step;
}

interface Held {
  slab: number;
  offset: number;
  size: number;
}

function megabytesFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number of megabytes, got "${raw}"`);
  return v;
}

/** A forced garbage collection, if this runtime lets us have one. */
function obtainGc(): (() => void) | null {
  try {
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    v8.setFlagsFromString("--no-expose-gc");
    return typeof gc === "function" ? gc : null;
  } catch {
    return null;
  }
}

export class Arena {
  /** The slabs, in index order; workers get each one once. */
  readonly slabs: SharedArrayBuffer[] = [];
  private readonly slabIndex = new WeakMap<ArrayBufferLike, number>();
  private readonly free = new Map<number, number[]>();
  private readonly registry = new FinalizationRegistry<Held>((h) => this.release(h));
  private current = -1;
  private bump = 0;
  private readonly capBytes: number;
  private readonly gcEveryBytes: number;
  private bytesSinceGc = 0;
  private loopTurnedSinceGc = true;
  private readonly gc = obtainGc();

  /** Bytes held by slabs, bytes in live blocks, and counters for tests and benchmarks. */
  readonly stats = { slabBytes: 0, liveBytes: 0, reused: 0, carved: 0, released: 0, forcedGcs: 0, refused: 0 };

  constructor(capBytes?: number, gcEveryBytes?: number) {
    this.capBytes = capBytes ?? megabytesFromEnv("MINITORCH_ARENA_MB", Math.min(4096, os.totalmem() / 4 / 2 ** 20)) * 2 ** 20;
    this.gcEveryBytes = gcEveryBytes ?? Math.min(256 * 2 ** 20, this.capBytes / 4);
  }

  /**
   * A shared view of `n` elements, or null when the arena is full. The
   * contents are whatever the block held before unless `zero` is set.
   */
  allocate(n: number, zero: boolean): Float64Array | null {
    const size = sizeClass(n);
    const list = this.free.get(size);
    let slab: number;
    let offset: number;
    if (list !== undefined && list.length > 0) {
      const packed = list.pop()!;
      slab = Math.floor(packed / 2 ** 32);
      offset = packed - slab * 2 ** 32;
      this.stats.reused++;
    } else {
      this.maybeCollect();
      const carved = this.carve(size);
      if (carved === null) {
        this.stats.refused++;
        return null;
      }
      [slab, offset] = carved;
      this.stats.carved++;
    }
    this.stats.liveBytes += size * 8;
    this.bytesSinceGc += size * 8;
    const view = new Float64Array(this.slabs[slab]!, offset * 8, n);
    if (zero) view.fill(0);
    this.registry.register(view, { slab, offset, size });
    return view;
  }

  /** The slab and offset of a view made by `allocate`, or null for any other array. */
  locate(view: Float64Array): BlockRef | null {
    const slab = this.slabIndex.get(view.buffer);
    if (slab === undefined) return null;
    return { slab, offset: view.byteOffset / 8 };
  }

  /** Slab index of a view's buffer, or −1 if it is not an arena view. */
  slabOf(view: Float64Array): number {
    return this.slabIndex.get(view.buffer) ?? -1;
  }

  private release(h: Held): void {
    let list = this.free.get(h.size);
    if (list === undefined) this.free.set(h.size, (list = []));
    list.push(h.slab * 2 ** 32 + h.offset);
    this.stats.liveBytes -= h.size * 8;
    this.stats.released++;
  }

  private carve(size: number): [number, number] | null {
    if (size > SLAB_ELEMENTS / 4) {
      if (!this.grow(size)) return null;
      return [this.slabs.length - 1, 0];
    }
    if (this.current < 0 || this.bump + size > SLAB_ELEMENTS) {
      if (!this.grow(SLAB_ELEMENTS)) return null;
      this.current = this.slabs.length - 1;
      this.bump = 0;
    }
    const offset = this.bump;
    this.bump += size;
    return [this.current, offset];
  }

  private grow(elements: number): boolean {
    const bytes = elements * 8;
    if (this.stats.slabBytes + bytes > this.capBytes) {
      this.collect();
      return false;
    }
    const sab = new SharedArrayBuffer(bytes);
    this.slabIndex.set(sab, this.slabs.length);
    this.slabs.push(sab);
    this.stats.slabBytes += bytes;
    return true;
  }

  private maybeCollect(): void {
    if (this.bytesSinceGc >= this.gcEveryBytes) this.collect();
  }

  /** Force a major GC so dead storages are found; their blocks return at the next event-loop turn. */
  private collect(): void {
    if (this.gc === null || !this.loopTurnedSinceGc) return;
    this.gc();
    this.stats.forcedGcs++;
    this.bytesSinceGc = 0;
    this.loopTurnedSinceGc = false;
    setImmediate(() => {
      this.loopTurnedSinceGc = true;
    }).unref();
  }
}
