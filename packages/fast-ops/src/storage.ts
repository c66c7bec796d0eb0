/**
 * Tensor storage for the parallel backends.
 *
 * A storage of at least `SHARE_MIN` elements is a `Float64Array` (a
 * `Float32Array` for a float32 tensor) over its own `SharedArrayBuffer`, so
 * worker threads can read and write it in place; a smaller one is a plain
 * typed array (it reaches workers by copy, see transport.ts). Either way its memory comes back through ordinary garbage
 * collection, inside allocation, so a synchronous loop that never yields to
 * the event loop stays lean. Nothing is pooled or reused.
 *
 * V8 paces its collections by the JavaScript heap and by the external memory
 * of ordinary ArrayBuffers, but does not count SharedArrayBuffers (a buffer
 * held by several isolates would be counted several times), so a loop whose
 * tensors are large and few would pile up dead shared storage by the
 * gigabyte before a collection came. `weigh` corrects that: every isolate
 * that holds a shared storage (the main thread when it allocates one, a
 * worker when it receives one) hangs on it an ordinary buffer of the same
 * length that is never written — allocated without zero-filling, it costs
 * address space but no resident memory — so the storage weighs what it
 * costs and is collected as promptly as an ordinary array.
 *
 * With `MINITORCH_POISON=1`, storage from `allocateStorage(n, false)` (what
 * `TensorOps.empty` hands out, to be overwritten) is filled with NaN, so a
 * kernel that forgets to write an output element shows up as NaN instead of
 * a plausible 0. CI runs the tensor, conv and nn suites once in that mode.
 */
import type { Dtype, Storage } from "@minitorch/tensor-core";
import { envFlag } from "./env.js";
import { weight } from "./runtime/platform.js";

/** Storage below this many elements is a plain array (copied to workers when a job needs it). */
export const SHARE_MIN = 1024;

/** True when `MINITORCH_POISON` asks for NaN-filled `empty` storage. */
export const POISON = envFlag("MINITORCH_POISON");

/**
 * Fresh storage of `n` elements of `dtype`: shared when large enough to be
 * worth handing to workers. It holds zeros unless poisoning is on and
 * `zero` is false, in which case it holds NaN.
 */
export function allocateStorage(n: number, zero: boolean): Float64Array;
export function allocateStorage(n: number, zero: boolean, dtype: Dtype): Storage;
export function allocateStorage(n: number, zero: boolean, dtype: Dtype = "float64"): Storage {
  let storage: Storage;
  if (dtype === "float32") {
    storage = n >= SHARE_MIN ? new Float32Array(weigh(new SharedArrayBuffer(n * 4))) : new Float32Array(n);
  } else {
    storage = n >= SHARE_MIN ? new Float64Array(weigh(new SharedArrayBuffer(n * 8))) : new Float64Array(n);
  }
  if (POISON && !zero) storage.fill(NaN);
  return storage;
}

/**
 * Makes V8 count `buffer`'s bytes in this isolate (see above): an unshared,
 * never-written buffer of the same length lives and dies with it.
 */
export function weigh(buffer: SharedArrayBuffer): SharedArrayBuffer {
  (buffer as WeighedBuffer).weight = weight(buffer.byteLength);
  return buffer;
}

type WeighedBuffer = SharedArrayBuffer & { weight?: ArrayBufferLike };

/**
 * `weigh` for the buffers a thread receives with one job, which live and
 * die together: one ordinary buffer as heavy as all of them, hung on the
 * array that holds them. A worker receives a job's buffers anew for every
 * job; one allocation per job instead of one per buffer is measurably
 * faster (docs/benchmarks.md).
 */
export function weighAll(buffers: SharedArrayBuffer[]): void {
  let total = 0;
  for (const b of buffers) total += b.byteLength;
  if (total > 0) (buffers as WeighedList).weight = weight(total);
}

type WeighedList = SharedArrayBuffer[] & { weight?: ArrayBufferLike };

/** True when `a` is storage that workers can address directly (a view on a SharedArrayBuffer). */
export function isShared(a: Storage): boolean {
  return a.buffer instanceof SharedArrayBuffer;
}
