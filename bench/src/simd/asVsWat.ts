#!/usr/bin/env node
/**
 * `node bench/dist/simd/asVsWat.js [--rounds n]`: the evidence behind
 * writing the SIMD kernels in AssemblyScript. The built module
 * (packages/fast-ops/assembly, compiled by asc -O3) and the same kernels
 * written by hand in WebAssembly text (bench/wat/kernels.wat, assembled
 * here with wabt) run side by side, interleaved, on one thread: the peak
 * loop and the matmul micro-kernel on packed panels. Both must give
 * bit-identical results; the report is median and best GFLOP/s.
 */
import fs from "node:fs";
import os from "node:os";
import { PEAK_FLOPS_PER_ITERATION, SimdThread, peakPanels, simdModule, type SimdExports } from "@minitorch/fast-ops/simd";
import wabtInit from "wabt";
import { median } from "../timing.js";

interface Kernels {
  peakLoop: SimdExports["peakLoop"];
  gemmBlock: SimdExports["gemmBlock"];
  f64: Float64Array;
}

/** The subset of the WebAssembly JS API used here (no DOM types in this project). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: SharedArrayBuffer };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** Where the peak loop's panels sit (past the gemm operands). */
const PEAK_AT = 4 * 1024 * 1024;

async function watKernels(): Promise<Kernels> {
  const wabt = await wabtInit();
  const path = new URL("../../wat/kernels.wat", import.meta.url);
  const parsed = wabt.parseWat("kernels.wat", fs.readFileSync(path, "utf8"), { simd: true, threads: true });
  const { buffer } = parsed.toBinary({});
  parsed.destroy();
  const memory = new wasm.Memory({ initial: 256, maximum: 65536, shared: true });
  const exports = new wasm.Instance(new wasm.Module(buffer), { env: { memory } }).exports as SimdExports;
  return { peakLoop: exports.peakLoop, gemmBlock: exports.gemmBlock, f64: new Float64Array(memory.buffer) };
}

function asKernels(): Kernels {
  simdModule();
  const t = new SimdThread(256 * 65536);
  return { peakLoop: t.exports.peakLoop, gemmBlock: t.exports.gemmBlock, f64: t.f64 };
}

/** GFLOP/s of `run` (doing `flops` per call) over ~20 ms. */
function rate(run: () => void, flops: number): number {
  const t0 = performance.now();
  let calls = 0;
  do {
    run();
    calls++;
  } while (performance.now() - t0 < 20);
  return (calls * flops) / (performance.now() - t0) / 1e6;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf("--rounds");
  const rounds = i > 0 ? Number(process.argv[i + 1]) : 30;
  const variants: Array<[string, Kernels]> = [
    ["AssemblyScript (asc -O3)", asKernels()],
    ["hand-written WAT (wabt)", await watKernels()],
  ];
  const rows = 32;
  const kc = 256;
  const cases: Array<{ name: string; flops: number; run: (k: Kernels) => void }> = [
    { name: "peak loop (micro-kernel on L1-resident panels)", flops: 100 * PEAK_FLOPS_PER_ITERATION, run: (k) => void k.peakLoop(100, PEAK_AT) },
  ];
  for (const cols of [64, 512]) {
    const a = 1024;
    const b = a + rows * kc * 8;
    const c = b + kc * cols * 8;
    cases.push({ name: `gemmBlock ${rows}×${kc} · ${kc}×${cols}`, flops: 2 * rows * cols * kc, run: (k) => k.gemmBlock(a, b, c, rows, cols, kc, cols, 0) });
  }
  // Same operands in both memories; results must agree bit for bit.
  const values = Float64Array.from({ length: (rows + 512) * kc }, (_, j) => Math.sin(j));
  for (const [, k] of variants) {
    k.f64.set(values, 1024 / 8);
    k.f64.set(peakPanels(), PEAK_AT / 8);
  }
  for (const c of cases.slice(1)) {
    const outs = variants.map(([, k]) => {
      c.run(k);
      return k.f64.slice((1024 + (rows + 512) * kc * 8) / 8, (1024 + (rows + 512) * kc * 8) / 8 + rows * 512);
    });
    if (outs[0]!.some((x, j) => x !== outs[1]![j])) throw new Error(`${c.name}: AssemblyScript and WAT disagree`);
  }
  console.log(`# AssemblyScript vs hand-written WAT (one thread, ${rounds} interleaved rounds, load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")})\n`);
  console.log("| kernel | " + variants.map(([n]) => `${n} median / best GFLOP/s`).join(" | ") + " |");
  console.log("|---|" + variants.map(() => "---:|").join(""));
  for (const c of cases) {
    const samples = variants.map(() => [] as number[]);
    for (const [, k] of variants) rate(() => c.run(k), c.flops); // warm-up (tier-up to TurboFan)
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? [0, 1] : [1, 0];
      for (const v of order) samples[v]!.push(rate(() => c.run(variants[v]![1]), c.flops));
    }
    console.log(`| ${c.name} | ` + samples.map((s) => `${median(s).toFixed(1)} / ${Math.max(...s).toFixed(1)}`).join(" | ") + " |");
  }
}

await main();
