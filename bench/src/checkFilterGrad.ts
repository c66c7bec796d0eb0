#!/usr/bin/env node
/**
 * `node bench/dist/checkFilterGrad.js`: checks the tfjs-wasm filter-gradient
 * workaround (tfjsFilterGrad.ts) against tfjs-cpu's own Conv2DBackpropFilter
 * on conv2d and conv1d cases of the benchmarks' shapes, then times the
 * LeNet and Kim-CNN training steps of the `train` section on tfjs-wasm with
 * it, in a plain synchronous loop (medians).
 */
import { loadPeers, type Tf } from "./tfjs.js";
import { FILTER_GRAD_WORKAROUND, registerWasmFilterGradient } from "./tfjsFilterGrad.js";
import { kimData, mnistData } from "./sections/trainData.js";
import { tfKim, tfLeNet } from "./sections/trainTf.js";
import { median } from "./timing.js";

function gradients(tf: Tf, backend: string, xs: Float32Array, xShape: number[], ws: Float32Array, wShape: number[], conv1: boolean): Float32Array {
  void tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.tensor(xs, xShape);
    const w = tf.tensor(ws, wShape);
    const f = (w: import("@tensorflow/tfjs").Tensor) =>
      tf.sum(tf.mul(conv1 ? tf.conv1d(x as never, w as never, 1, "valid") : tf.conv2d(x as never, w as never, 1, "valid"), tf.scalar(0.5)));
    return tf.grad(f)(w).dataSync() as Float32Array;
  });
}

async function main(): Promise<void> {
  const peers = await loadPeers();
  const tf = peers.tf;
  if (tf === null || !peers.wasm.ok || !peers.cpu.ok) throw new Error(`tfjs peers unavailable: ${peers.cpu.detail}; ${peers.wasm.detail}`);
  console.log(`registered: ${registerWasmFilterGradient(tf)} (${FILTER_GRAD_WORKAROUND})`);
  const cases: Array<{ name: string; x: number[]; w: number[]; conv1: boolean }> = [
    { name: "conv2d B16 30×30×1 → 4, 3×3", x: [16, 30, 30, 1], w: [3, 3, 1, 4], conv1: false },
    { name: "conv2d B16 30×30×4 → 8, 3×3", x: [16, 30, 30, 4], w: [3, 3, 4, 8], conv1: false },
    { name: "conv1d B10 56×100 → 100, k5", x: [10, 56, 100], w: [5, 100, 100], conv1: true },
  ];
  for (const c of cases) {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const xs = Float32Array.from({ length: size(c.x) }, (_, i) => Math.sin(i));
    const ws = Float32Array.from({ length: size(c.w) }, (_, i) => Math.cos(i));
    const cpu = gradients(tf, "cpu", xs, c.x, ws, c.w, c.conv1);
    const wasm = gradients(tf, "wasm", xs, c.x, ws, c.w, c.conv1);
    let scale = 0;
    let err = 0;
    for (let i = 0; i < cpu.length; i++) {
      scale = Math.max(scale, Math.abs(cpu[i]!));
      err = Math.max(err, Math.abs(cpu[i]! - wasm[i]!));
    }
    const rel = err / scale;
    console.log(`${c.name}: max |wasm − cpu| / max |cpu| = ${rel.toExponential(2)} ${rel < 1e-5 ? "ok" : "MISMATCH"}`);
    if (!(rel < 1e-5)) process.exitCode = 1;
  }
  await tf.setBackend("wasm");
  for (const [name, work] of [
    ["LeNet step (B16)", tfLeNet(tf, mnistData(16, 8), 0.01)],
    ["Kim-CNN step (B10)", tfKim(tf, kimData(10, 6), 0.01)],
  ] as const) {
    for (let i = 0; i < 10; i++) work.run();
    const times: number[] = [];
    for (let i = 0; i < 40; i++) {
      const t0 = performance.now();
      work.run();
      times.push(performance.now() - t0);
    }
    console.log(`tfjs-wasm ${name}, plain loop: median ${median(times).toFixed(1)} ms, fastest ${Math.min(...times).toFixed(1)} ms`);
    for (const t of work.keep) t.dispose();
  }
}

await main();
