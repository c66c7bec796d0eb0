/**
 * GPU buffers reused across jobs (GPU thread side). A job takes one buffer
 * per operand and gives them back when its results are read; buffers are
 * sized in powers of two so the same few sizes serve a training loop, and
 * idle ones beyond `maxIdleBytes` are destroyed.
 */

/** WebGPU's GPUBufferUsage flags (numeric, so no globals are needed). */
export const USAGE = { MAP_READ: 0x0001, COPY_SRC: 0x0004, COPY_DST: 0x0008, STORAGE: 0x0080 } as const;

/** Storage operands: written by queue.writeBuffer, read back by a copy. */
export const STORAGE_USAGE = USAGE.STORAGE | USAGE.COPY_DST | USAGE.COPY_SRC;
/** Read-back buffers: the target of a copy, mapped for reading. */
export const READBACK_USAGE = USAGE.MAP_READ | USAGE.COPY_DST;

/** Smallest buffer handed out (a binding must not be empty). */
const MIN_BYTES = 256;

export class BufferPool {
  private readonly idle = new Map<string, GPUBuffer[]>();
  private idleBytes = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly maxIdleBytes = 256 * 1024 * 1024,
  ) {}

  /** A buffer of at least `bytes` with `usage`. */
  take(bytes: number, usage: number): GPUBuffer {
    const size = sizeClass(bytes);
    const list = this.idle.get(`${usage}:${size}`);
    const reused = list?.pop();
    if (reused !== undefined) {
      this.idleBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage });
  }

  /** Returns `buffer` for reuse, or destroys it when the pool holds enough. */
  give(buffer: GPUBuffer): void {
    if (this.idleBytes + buffer.size > this.maxIdleBytes) {
      buffer.destroy();
      return;
    }
    const key = `${buffer.usage}:${buffer.size}`;
    const list = this.idle.get(key) ?? [];
    list.push(buffer);
    this.idle.set(key, list);
    this.idleBytes += buffer.size;
  }

  /** Destroys every idle buffer. */
  clear(): void {
    for (const list of this.idle.values()) for (const b of list) b.destroy();
    this.idle.clear();
    this.idleBytes = 0;
  }
}

/** `bytes` rounded up to a power of two, at least MIN_BYTES. */
export function sizeClass(bytes: number): number {
  let size = MIN_BYTES;
  while (size < bytes) size *= 2;
  return size;
}
