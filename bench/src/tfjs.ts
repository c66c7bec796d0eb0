/**
 * The peers: TensorFlow.js on its plain-JavaScript backend (tfjs-cpu) and on
 * its WebAssembly backend (tfjs-wasm, the SIMD build when the runtime has
 * SIMD). Both compute in float32; minitorch computes in float64.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { FILTER_GRAD_WORKAROUND, checkWasmFilterGradient, registerWasmFilterGradient } from "./tfjsFilterGrad.js";
import type { Variant } from "./timing.js";
import { reasonOf } from "./timing.js";

export type Tf = typeof import("@tensorflow/tfjs");
export type TfTensor = import("@tensorflow/tfjs").Tensor;
export type TfTensor3D = import("@tensorflow/tfjs").Tensor3D;
export type TfTensor4D = import("@tensorflow/tfjs").Tensor4D;
export type TfBackendName = "cpu" | "wasm";

export interface PeerInfo {
  ok: boolean;
  /** What runs (version, wasm file, SIMD/threads), or why it cannot run. */
  detail: string;
  /** For tfjs-wasm: the filter-gradient workaround is registered (its rows are marked †). */
  workaround?: boolean;
}

export interface Peers {
  tf: Tf | null;
  version: string;
  cpu: PeerInfo;
  wasm: PeerInfo;
}

export const PEER_NAMES: Record<TfBackendName, string> = { cpu: "tfjs-cpu", wasm: "tfjs-wasm" };

/** The name of a peer's rows: tfjs-wasm with the filter-gradient workaround is "tfjs-wasm†". */
export function peerName(peers: Peers, backend: TfBackendName): string {
  return peers[backend].workaround === true ? `${PEER_NAMES[backend]}†` : PEER_NAMES[backend];
}

/** The note that explains the † mark, when some rows carry it. */
export function workaroundNote(peers: Peers): string[] {
  return peers.wasm.workaround === true ? [`† ${FILTER_GRAD_WORKAROUND}.`] : [];
}

let loading: Promise<Peers> | null = null;

/** Loads tfjs and both backends once; a backend that fails is reported, not thrown. */
export function loadPeers(): Promise<Peers> {
  loading ??= load();
  return loading;
}

async function load(): Promise<Peers> {
  let tf: Tf;
  try {
    tf = await import("@tensorflow/tfjs");
  } catch (e) {
    const no = { ok: false, detail: `cannot load @tensorflow/tfjs: ${reasonOf(e)}` };
    return { tf: null, version: "–", cpu: no, wasm: no };
  }
  // Production mode: no debug checks, and no "install tfjs-node" banner (tfjs-node is deliberately not used).
  tf.enableProdMode();
  const version = tf.version.tfjs;
  const cpu = await check(tf, "cpu", `@tensorflow/tfjs ${version}, backend-cpu (plain JavaScript, one thread)`);
  let wasm: PeerInfo;
  try {
    const wasmModule = await import("@tensorflow/tfjs-backend-wasm");
    const require = createRequire(import.meta.url);
    const dist = path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + path.sep;
    wasmModule.setWasmPaths(dist);
    const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    const threads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    const file = `tfjs-backend-wasm${threads ? "-threaded" : ""}${simd ? "-simd" : ""}.wasm`;
    if (!fs.existsSync(path.join(dist, file))) throw new Error(`${file} is not in ${dist}`);
    wasm = await check(tf, "wasm", `@tensorflow/tfjs-backend-wasm ${wasmModule.version_wasm}, ${file} (SIMD ${simd ? "on" : "off"}, threads ${threads ? "on" : "off"})`);
    if (wasm.ok && cpu.ok && registerWasmFilterGradient(tf)) {
      const error = await checkWasmFilterGradient(tf);
      if (!(error < 1e-5)) throw new Error(`the filter-gradient workaround differs from tfjs-cpu's kernel by ${error.toExponential(1)} of the gradient`);
      wasm = { ...wasm, detail: `${wasm.detail}; † Conv2DBackpropFilter workaround registered, within ${error.toExponential(0)} of tfjs-cpu's`, workaround: true };
    }
  } catch (e) {
    wasm = { ok: false, detail: `tfjs-wasm cannot start: ${reasonOf(e)}` };
  }
  await tf.setBackend(cpu.ok ? "cpu" : "wasm").catch(() => false);
  return { tf, version, cpu, wasm };
}

/** Selects `backend` and checks a small matmul against plain JavaScript, so a broken backend is n/a, not a wrong number. */
async function check(tf: Tf, backend: TfBackendName, detail: string): Promise<PeerInfo> {
  try {
    if (!(await tf.setBackend(backend))) return { ok: false, detail: `tf.setBackend("${backend}") failed` };
    const n = 8;
    const a = Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 11) - 5);
    const b = Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 13) - 6);
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [n, n]), tf.tensor2d(b, [n, n])).dataSync());
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) s += a[i * n + k]! * b[k * n + j]!;
        if (Math.abs(s - c[i * n + j]!) > 1e-3) return { ok: false, detail: `${backend}: matmul check failed at [${i}, ${j}]` };
      }
    }
    return { ok: true, detail };
  } catch (e) {
    return { ok: false, detail: `${backend}: ${reasonOf(e)}` };
  }
}

/** What a tfjs benchmark builds on its backend: the measured call, and the tensors to dispose afterwards. */
export interface TfWork {
  run: () => void;
  keep: TfTensor[];
}

/**
 * A variant running on a tfjs backend: entering it selects the backend, and
 * the work (inputs, variables) is built there on first entry, so no call
 * moves data between backends.
 */
export function tfVariant(peers: Peers, backend: TfBackendName, make: (tf: Tf) => TfWork): Variant {
  const info = peers[backend];
  const tf = peers.tf;
  let work: TfWork | null = null;
  const variant: Variant = {
    name: peerName(peers, backend),
    run: () => work!.run(),
    enter: async () => {
      await tf!.setBackend(backend);
      work ??= make(tf!);
    },
    finish: () => {
      for (const t of work?.keep ?? []) t.dispose();
      work = null;
    },
  };
  if (!info.ok || tf === null) variant.unavailable = info.detail;
  return variant;
}

/** Both tfjs variants of a comparison. */
export function tfVariants(peers: Peers, make: (tf: Tf) => TfWork): Variant[] {
  return [tfVariant(peers, "cpu", make), tfVariant(peers, "wasm", make)];
}

/** Kernels that `backend` does not have among `names` (e.g. gradient kernels of tfjs-wasm). */
export function missingKernels(peers: Peers, backend: TfBackendName, names: readonly string[]): string[] {
  if (peers.tf === null) return [...names];
  return names.filter((n) => peers.tf!.getKernel(n, backend) === undefined);
}
