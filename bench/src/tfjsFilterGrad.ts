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
 * lines, so the peer is measured at its best. Rows that use it say so.
 */
import type { Tf } from "./tfjs.js";

type TensorInfo = import("@tensorflow/tfjs").TensorInfo;
type KernelFunc = import("@tensorflow/tfjs").KernelFunc;

/** How rows measured with it are labelled. */
export const FILTER_GRAD_WORKAROUND = "filter gradient as a forward conv2d (tfjs-wasm has no Conv2DBackpropFilter)";

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
