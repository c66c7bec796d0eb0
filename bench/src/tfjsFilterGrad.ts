/**
 * tfjs-wasm has no Conv2DBackpropFilter kernel, so stock it cannot train a
 * convolutional network (conv1d runs as conv2d, so neither kind). This
 * registers one built from kernels it does have: for stride 1, 'valid'
 * padding and NHWC (what the benchmarks use — the input is padded
 * beforehand), the filter gradient is itself a forward convolution,
 *
 *   dW[kh, kw, c, o] = Σ_{b, y, x} x[b, y + kh, x + kw, c] · dy[b, y, x, o]
 *                    = conv2d(xᵀ [C, H, W, B], dyᵀ [OH, OW, B, O])  → [C, KH, KW, O], transposed to [KH, KW, C, O]
 *
 * with in_channels as the batch and the batch as the channels — about 20
 * lines, so the peer is measured at its best. Rows that use it say so, and
 * `checkWasmFilterGradient` holds it to tfjs-cpu's own kernel first.
 */
import type { Tf } from "./tfjs.js";

type TensorInfo = import("@tensorflow/tfjs").TensorInfo;
type KernelFunc = import("@tensorflow/tfjs").KernelFunc;

/** What the mark on tfjs-wasm's rows stands for. */
export const FILTER_GRAD_WORKAROUND =
  "tfjs-wasm with Conv2DBackpropFilter registered as transposes around its forward conv2d (bench/src/tfjsFilterGrad.ts): stock tfjs-wasm 4.22 has no such kernel, so it cannot run a convolution's backward pass or train either network";

const isOne = (v: unknown): boolean => v === 1 || (Array.isArray(v) && v.every((s) => s === 1));

/**
 * Registers the workaround as tfjs-wasm's Conv2DBackpropFilter if that
 * kernel is missing; returns whether it did. Other strides, paddings or
 * layouts throw an error naming what is supported.
 */
export function registerWasmFilterGradient(tf: Tf): boolean {
  if (tf.getKernel("Conv2DBackpropFilter", "wasm") !== undefined) return false;
  const conv2d = tf.getKernel("Conv2D", "wasm")?.kernelFunc;
  const transpose = tf.getKernel("Transpose", "wasm")?.kernelFunc;
  if (conv2d === undefined || transpose === undefined) throw new Error("filter-gradient workaround: tfjs-wasm lacks Conv2D or Transpose");
  const kernelFunc: KernelFunc = ({ inputs, backend, attrs = {} }) => {
    const { strides, pad, dataFormat, dilations } = attrs as { strides?: unknown; pad?: unknown; dataFormat?: unknown; dilations?: unknown };
    if (!isOne(strides) || pad !== "valid" || (dataFormat ?? "NHWC") !== "NHWC" || !(dilations === undefined || isOne(dilations))) {
      throw new Error(
        `filter-gradient workaround: supports stride 1, pad 'valid', NHWC, no dilation; got strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}, ${String(dataFormat)}`,
      );
    }
    const run = (f: KernelFunc, x: TensorInfo, extra: Record<string, TensorInfo>, a: Record<string, unknown>) =>
      f({ inputs: { x, ...extra }, backend, attrs: a as never }) as TensorInfo;
    const xt = run(transpose, inputs.x!, {}, { perm: [3, 1, 2, 0] });
    const dyt = run(transpose, inputs.dy!, {}, { perm: [1, 2, 0, 3] });
    const grad = run(conv2d, xt, { filter: dyt }, { strides: 1, pad: "valid", dataFormat: "NHWC", dilations: 1 });
    const out = run(transpose, grad, {}, { perm: [1, 2, 0, 3] });
    const b = backend as { disposeData(dataId: object): boolean };
    for (const t of [xt, dyt, grad]) b.disposeData(t.dataId);
    return out;
  };
  tf.registerKernel({ kernelName: "Conv2DBackpropFilter", backendName: "wasm", kernelFunc });
  return true;
}

/**
 * The largest difference between the workaround (wasm) and tfjs-cpu's
 * Conv2DBackpropFilter on the benchmarks' conv2d and conv1d shapes, relative
 * to the gradient's magnitude (float32: about 1e-7 when right). Leaves
 * tfjs on the cpu backend.
 */
export async function checkWasmFilterGradient(tf: Tf): Promise<number> {
  const cases: Array<{ x: number[]; w: number[]; conv1: boolean }> = [
    { x: [16, 30, 30, 1], w: [3, 3, 1, 4], conv1: false },
    { x: [4, 30, 30, 4], w: [3, 3, 4, 8], conv1: false },
    { x: [10, 56, 20], w: [5, 20, 16], conv1: true },
  ];
  let worst = 0;
  for (const c of cases) {
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const xs = Float32Array.from({ length: size(c.x) }, (_, i) => Math.sin(i));
    const ws = Float32Array.from({ length: size(c.w) }, (_, i) => Math.cos(i));
    const grads: Float32Array[] = [];
    for (const backend of ["cpu", "wasm"]) {
      await tf.setBackend(backend);
      grads.push(
        tf.tidy(() => {
          const x = tf.tensor(xs, c.x);
          const f = (w: import("@tensorflow/tfjs").Tensor) =>
            tf.sum(tf.mul(c.conv1 ? tf.conv1d(x as never, w as never, 1, "valid") : tf.conv2d(x as never, w as never, 1, "valid"), tf.scalar(0.5)));
          return tf.grad(f)(tf.tensor(ws, c.w)).dataSync() as Float32Array;
        }),
      );
    }
    const [cpu, wasm] = grads as [Float32Array, Float32Array];
    let scale = 0;
    let err = 0;
    for (let i = 0; i < cpu.length; i++) {
      scale = Math.max(scale, Math.abs(cpu[i]!));
      err = Math.max(err, Math.abs(cpu[i]! - wasm[i]!));
    }
    worst = Math.max(worst, err / scale);
  }
  await tf.setBackend("cpu");
  return worst;
}
