import { describe, expect, it } from "vitest";
import { SCRATCH_BASE, ScratchLayout, SimdThread, nextStamp, peakPanels, peakRun, peakUnits, simdModule, simdThread } from "../../src/simd/index.js";

/** The peak loop in plain JavaScript: the same operations in the same order, lane by lane. */
function peakReference(passes: number): number {
  const panels = peakPanels();
  const c = new Array<number>(16).fill(0); // c[4i + j]: row i of A, column j of B
  for (let n = 0; n < passes; n++) {
    for (let p = 0; p < 256; p++) {
      for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) c[4 * i + j]! += panels[4 * p + i]! * panels[1024 + 4 * p + j]!;
    }
  }
  // Lanes: vector (i, 0) holds columns 0, 1 and (i, 1) columns 2, 3; the sum adds vectors pairwise, then the two lanes.
  const v = (i: number, h: number, lane: number) => c[4 * i + 2 * h + lane]!;
  const lane = (l: number) => v(0, 0, l) + v(0, 1, l) + (v(1, 0, l) + v(1, 1, l)) + (v(2, 0, l) + v(2, 1, l) + (v(3, 0, l) + v(3, 1, l)));
  return lane(0) + lane(1);
}

describe("simd kernels: module, memory and scratch", () => {
  it("the peak loop: one pass over panels near 1 sums 4 · 4 · 256 products ≈ 4096, exactly its plain-JS twin; 0 passes give 0", () => {
    expect(peakRun(1)).toBeGreaterThan(4096);
    expect(peakRun(1)).toBeLessThan(4096 * 1.01);
    expect(peakRun(1)).toBe(peakReference(1));
    expect(peakRun(3)).toBe(peakReference(3));
    expect(peakRun(0)).toBe(0);
    expect(() => peakUnits(10, 0, 3)).not.toThrow();
  });

  it("one compiled module per thread, one memory per instance: two instances do not share scratch", () => {
    expect(simdModule()).toBe(simdModule());
    const a = new SimdThread();
    const b = new SimdThread();
    a.f64[SCRATCH_BASE / 8] = 42;
    expect(b.f64[SCRATCH_BASE / 8]).toBe(0);
    expect(simdThread()).toBe(simdThread());
  });

  it("reserve(bytes) grows the memory to whole pages and refreshes both views; it never shrinks", () => {
    const t = new SimdThread();
    const before = t.f64.byteLength;
    t.f64[10] = 7;
    t.reserve(before + 1);
    expect(t.f64.byteLength).toBe(before + 65536);
    expect(t.i32.byteLength).toBe(before + 65536);
    expect(t.f64[10]).toBe(7);
    t.reserve(10);
    expect(t.f64.byteLength).toBe(before + 65536);
  });

  it("a memory past 64 MiB is replaced by a small one when a call needs under a quarter of it, forgetting what scratch held", () => {
    const t = new SimdThread();
    t.reserve(80 * 2 ** 20);
    t.owner = "job 1";
    const big = t.memory;
    t.reserve(30 * 2 ** 20);
    expect(t.memory).toBe(big);
    t.reserve(2 ** 20);
    expect(t.memory).not.toBe(big);
    expect(t.f64.byteLength).toBe(2 ** 20);
    expect(t.owner).toBe("");
    expect(t.exports.gemmBlock(SCRATCH_BASE, SCRATCH_BASE, SCRATCH_BASE, 0, 0, 0, 0, 0)).toBeUndefined();
  });

  it("reserve past 4 GiB names the limit", () => {
    expect(() => new SimdThread().reserve(2 ** 32 + 1)).toThrow("simd kernels: scratch of 4294967297 bytes exceeds wasm32's 4 GiB");
  });

  it("ScratchLayout hands out 64-byte aligned regions from SCRATCH_BASE: take(10), take(64), take(1) → 1024, 1088, 1152; size 1216", () => {
    const l = new ScratchLayout();
    expect([l.take(10), l.take(64), l.take(1)]).toEqual([SCRATCH_BASE, SCRATCH_BASE + 64, SCRATCH_BASE + 128]);
    expect(l.size).toBe(SCRATCH_BASE + 192);
  });

  it("nextStamp counts up, one counter per thread", () => {
    const a = nextStamp();
    expect(nextStamp()).toBe(a + 1);
  });

  it("gemmBlock on hand-packed panels: [[1,2],[3,4]] · [[5,6],[7,8]] padded to 4×4 gives [[19,22],[43,50]], then accumulates", () => {
    const t = new SimdThread();
    const f = t.f64;
    const a = SCRATCH_BASE / 8; // 4-row panel, kc = 2: a[i][p] at a + 4p + i
    const b = a + 8; // 4-column panel: b[p][j] at b + 4p + j
    const c = b + 8; // 4×4, ldc 4
    f.set([1, 3, 0, 0, 2, 4, 0, 0], a);
    f.set([5, 6, 0, 0, 7, 8, 0, 0], b);
    t.exports.gemmBlock(a * 8, b * 8, c * 8, 4, 4, 2, 4, 0);
    expect(Array.from(f.subarray(c, c + 8))).toEqual([19, 22, 0, 0, 43, 50, 0, 0]);
    t.exports.gemmBlock(a * 8, b * 8, c * 8, 4, 4, 2, 4, 1);
    expect(Array.from(f.subarray(c, c + 8))).toEqual([38, 44, 0, 0, 86, 100, 0, 0]);
  });

  it("copyRows moves odd and even widths between strided layouts: 2 planes × 2 rows × 3 → padded rows of 5", () => {
    const t = new SimdThread();
    const f = t.f64;
    const src = SCRATCH_BASE / 8;
    const dst = src + 16;
    f.set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], src);
    t.exports.copyRows(src * 8, 6, 3, (dst + 1) * 8, 10, 5, 2, 2, 3);
    expect(Array.from(f.subarray(dst, dst + 20))).toEqual([0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 7, 8, 9, 0, 0, 10, 11, 12, 0]);
    t.exports.copyRows(src * 8, 0, 4, (dst + 20) * 8, 0, 2, 1, 3, 2);
    expect(Array.from(f.subarray(dst + 20, dst + 26))).toEqual([1, 2, 5, 6, 9, 10]);
  });

  it("packChannelTiles: 5 channels of 4 positions → 2 tiles of 4 positions × 4 channels, zeros for channels 5..7", () => {
    const t = new SimdThread();
    const f = t.f64;
    const src = SCRATCH_BASE / 8;
    const dst = src + 32;
    f.set(Array.from({ length: 20 }, (_, i) => i + 1), src); // channel c, position q = 4c + q + 1
    t.exports.packChannelTiles(src * 8, 5, 4, dst * 8, 16 * 8);
    const tile0 = Array.from(f.subarray(dst, dst + 16));
    const tile1 = Array.from(f.subarray(dst + 16, dst + 32));
    expect(tile0).toEqual([1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15, 4, 8, 12, 16]);
    expect(tile1).toEqual([17, 0, 0, 0, 18, 0, 0, 0, 19, 0, 0, 0, 20, 0, 0, 0]);
  });

  it("convWeightGrad skips the columns past the output's: an Infinity the padded rows wrap onto stays out of every sum", () => {
    // One batch, one channel: input 2×3 padded to wp = 4 ([[1,2,3,0],[∞,5,6,0],[0,0,0,0]]), dy 2×2 of ones,
    // taps (0,0), (0,1), (1,0), (1,1); output channel 0 of 4.
    const t = new SimdThread();
    const f = t.f64;
    const x = SCRATCH_BASE / 8;
    f.set([1, 2, 3, 0, Infinity, 5, 6, 0, 0, 0, 0, 0], x);
    const taps = (x + 16) * 2; // i32 index
    t.i32.set([0, 8, 32, 40], taps);
    const dy = x + 24;
    f.set([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0], dy);
    const dw = dy + 16;
    t.exports.convWeightGrad(x * 8, 96, 1, taps * 4, 1, dy * 8, 2, 2, 4, 1, dw * 8, 4, 0);
    // dw[tap, 0] = Σ over (y, x) in 2×2 of padded[y + ky][x + kx]
    expect([f[dw], f[dw + 4], f[dw + 8], f[dw + 12]]).toEqual([1 + 2 + Infinity + 5, 2 + 3 + 5 + 6, Infinity + 5, 5 + 6]);
  });
});
