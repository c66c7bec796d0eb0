/**
 * The WebAssembly SIMD kernels (assembly/, built by `asc` into
 * dist/simd/kernels.wasm) as this thread sees them.
 *
 * Each thread — the main thread and every pool worker — compiles the module
 * from the built file once and instantiates it with a memory of its own, so
 * kernels on different threads never share scratch space and need no
 * locking. Tensor storages are separate SharedArrayBuffers that WebAssembly
 * cannot address, so the JavaScript around each kernel copies its operands
 * into this memory (where it pads or packs them anyway) and its results out.
 */
import { describeFile, readBinary } from "../runtime/platform.js";
import { threadContext } from "../threadContext.js";

// Each float64 export has a float32 twin (assembly/*32.ts) with the same arguments: byte
// offsets into this memory and element counts, so both share one signature.
type GemmBlockKernel = (a: number, b: number, c: number, rows: number, cols: number, kc: number, ldc: number, accumulate: number) => void;
type ConvForwardKernel = (x: number, taps: number, nTaps: number, w: number, oTiles: number, out: number, ldo: number, nPos: number, accumulate: number) => void;
type CopyRowsKernel = (src: number, srcPlane: number, srcRow: number, dst: number, dstPlane: number, dstRow: number, planes: number, rows: number, width: number) => void;
type PackTilesKernel = (src: number, channels: number, positions: number, dst: number, tileStride: number) => void;
type WeightGradKernel = (
  x: number,
  xStride: number,
  nBatch: number,
  taps: number,
  rTiles: number,
  dy: number,
  rows: number,
  cols: number,
  wp: number,
  oTiles: number,
  dw: number,
  ldw: number,
  accumulate: number,
) => void;

/** The kernels' exports; addresses are byte offsets into the thread's memory. */
export interface SimdExports {
  /** The float64 peak loop: n passes of 8192 flops on L1-resident panels at `at` (assembly/peak.ts). */
  peakLoop(n: number, at: number): number;
  /** C[rows × cols] (+)= A · B on packed 4-row / 4-column panels (assembly/gemm.ts). */
  gemmBlock: GemmBlockKernel;
  /** The float32 C[rows × cols] (+)= A · B on packed 4-row / 8-column panels (assembly/gemm32.ts). */
  gemmBlock32: GemmBlockKernel;
  /** out[o, q] (+)= Σ_r w[o, r] · x[q + tap[r]] (assembly/conv.ts). */
  convForward: ConvForwardKernel;
  /** convForward in float32, 4 channels × 8 positions per tile (assembly/conv32.ts). */
  convForward32: ConvForwardKernel;
  /** copyRows for float32 rows (assembly/conv32.ts). */
  copyRows32: CopyRowsKernel;
  /** convWeightGrad in float32, 4 taps × 8 channels per tile (assembly/conv32.ts). */
  convWeightGrad32: WeightGradKernel;
  /** Compact [O, positions] → 8-channel float32 tiles (assembly/conv32.ts). */
  packChannelTiles32: PackTilesKernel;
  /** Row copies between strided layouts (assembly/stage.ts); strides in elements. */
  copyRows: CopyRowsKernel;
  /** Compact [O, positions] → 4-channel tiles (assembly/stage.ts). */
  packChannelTiles: PackTilesKernel;
  /** dw[r, o] (+)= Σ_b Σ_{y,x} dy_b[o, y, x] · x_b[(y, x) + tap[r]] over rows × cols positions wp apart (assembly/conv.ts). */
  convWeightGrad: WeightGradKernel;
}

/**
 * The WebAssembly module, built by `asc` into the package's dist/simd/: this
 * file sits two levels below the package root both as src/simd/kernels.ts
 * and as dist/simd/kernels.js, so the same path finds it from source too
 * (running from source needs the wasm built once, not the TypeScript).
 */
export const SIMD_WASM_URL = new URL("../../dist/simd/kernels.wasm", import.meta.url);

/** The part of the WebAssembly JavaScript API used here (the project's libs have no DOM types). */
interface WasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}
/** A compiled module, as far as this file needs to know. */
export type WasmModule = object;
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: object };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
/** The memory's maximum (4 GiB, wasm32's limit); only what `reserve` asks for is committed. */
const MAX_PAGES = 65536;
/** Scratch starts here; the module itself keeps no data in memory. */
export const SCRATCH_BASE = 1024;

/** The compiled module (once per thread, kept in its thread context). */
export function simdModule(): WasmModule {
  return threadContext().resource("simd.module", () => {
    const bytes = readBinary(SIMD_WASM_URL);
    if (bytes === null) {
      throw new Error(`simd kernels: ${describeFile(SIMD_WASM_URL)} is missing; run \`pnpm build\` (asc compiles packages/fast-ops/assembly)`);
    }
    return new wasm.Module(bytes);
  });
}

/** Scratch above this size is given back when a later call needs less than a quarter of it. */
const SHRINK_ABOVE = 64 * 1024 * 1024;

/**
 * One thread's instance of the kernels, its memory and views of it. Read
 * `exports`, `f64`, `f32` and `i32` after `reserve`: it may replace them.
 */
export class SimdThread {
  exports!: SimdExports;
  memory!: WasmMemory;
  f64!: Float64Array;
  f32!: Float32Array;
  i32!: Int32Array;
  /**
   * What the scratch holds beyond one call (e.g. "packed B of job 7"), so a
   * kernel called again for the same job skips re-staging it. Any kernel
   * that overwrites scratch sets its own key.
   */
  owner = "";
  /**
   * Which part of the owner's job (a batch, a chunk of batches) the staged
   * input region holds, or -1; reset whenever `owner` changes.
   */
  part = -1;

  constructor(bytes = 16 * PAGE) {
    this.renew(bytes);
  }

  /**
   * Makes the first `bytes` bytes of memory usable. Memory grows in place;
   * a memory far larger than needed (past SHRINK_ABOVE, more than 4× the
   * request) is replaced by a fresh one so its pages go back to the system
   * (a wasm memory cannot shrink), which also forgets what scratch held.
   */
  reserve(bytes: number): void {
    const size = this.f64.byteLength;
    if (bytes <= size) {
      if (size > SHRINK_ABOVE && 4 * bytes < size) this.renew(bytes);
      return;
    }
    const pages = Math.ceil(bytes / PAGE);
    if (pages > MAX_PAGES) throw new RangeError(`simd kernels: scratch of ${bytes} bytes exceeds wasm32's 4 GiB`);
    this.memory.grow(pages - this.memory.buffer.byteLength / PAGE);
    this.views();
  }

  /**
   * Makes `key` the owner of the scratch; true when it was not already, so
   * the caller must stage what the key stands for.
   */
  claim(key: string): boolean {
    if (this.owner === key) return false;
    this.owner = key;
    this.part = -1;
    return true;
  }

  private renew(bytes: number): void {
    const pages = Math.min(MAX_PAGES, Math.max(16, Math.ceil(bytes / PAGE)));
    this.memory = new wasm.Memory({ initial: pages, maximum: MAX_PAGES, shared: true });
    const instance = new wasm.Instance(simdModule(), { env: { memory: this.memory } });
    this.exports = instance.exports as SimdExports;
    this.owner = "";
    this.part = -1;
    this.views();
  }

  private views(): void {
    this.f64 = new Float64Array(this.memory.buffer);
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }
}

/** This thread's kernels (instantiated on first use, kept in its thread context). */
export function simdThread(): SimdThread {
  return threadContext().resource("simd.thread", () => new SimdThread());
}

/**
 * A number naming one kernel call (a job), so a thread can tell whether
 * what its scratch holds (packed weights, packed B) is for this job: the
 * thread context's counter.
 */
export function nextStamp(): number {
  return threadContext().nextStamp();
}

/** Byte offsets of a kernel's scratch regions, each 64-byte aligned, laid out from SCRATCH_BASE. */
export class ScratchLayout {
  private end = SCRATCH_BASE;

  /** Reserves `bytes` and returns where they start. */
  take(bytes: number): number {
    const at = this.end;
    this.end = Math.ceil((at + bytes) / 64) * 64;
    return at;
  }

  /** Bytes the layout needs from address 0. */
  get size(): number {
    return this.end;
  }
}
