/**
 * conv1d / conv2d as ONNX. minitorch's convolution keeps the input's size
 * and reads zeros past the right (and bottom) edge:
 *
 *   out[b, o, y, x] = Σ_{c, i, j} in[b, c, y + i, x + j] · w[o, c, i, j]
 *
 * which is ONNX's Conv (a cross-correlation, as here) with the padding all
 * at the end: pads = [0, 0, kh − 1, kw − 1] (begins, then ends).
 *
 * onnxruntime implements Conv for float32 only, so a float64 export writes
 * the same sum as one matrix product (im2col): the padded input's kh·kw
 * shifted windows are stacked along the channels and multiplied by the
 * weight laid out as [out_channels, kh·kw·in_channels].
 */
import type { OpCall } from "./ops.js";

/** Emits a `spatial`-dimensional convolution (1 or 2) and returns its result's name. */
export function emitConv(call: OpCall, spatial: 1 | 2): string {
  const { g, inputs } = call;
  const [x, w] = inputs as [OpCall["inputs"][0], OpCall["inputs"][0]];
  const kernel = w.shape.slice(2);
  if (g.dtype === "float32") {
    return g.node("Conv", [x.name, w.name], {
      kernel_shape: kernel,
      pads: [...kernel.map(() => 0), ...kernel.map((k) => k - 1)],
      strides: kernel.map(() => 1),
      dilations: kernel.map(() => 1),
      group: 1,
    });
  }
  const size = x.shape.slice(2); // [width] or [height, width]
  const [outChannels, inChannels] = [w.shape[0]!, w.shape[1]!];
  const windows = kernel.reduce((a, b) => a * b, 1);
  const padded = g.node("Pad", [x.name, g.int64s([0, 0, ...kernel.map(() => 0), 0, 0, ...kernel.map((k) => k - 1)], "pads")]);
  const axes = spatial === 1 ? [2] : [2, 3];
  const slices: string[] = [];
  for (let offset = 0; offset < windows; offset++) {
    const start = spatial === 1 ? [offset] : [Math.floor(offset / kernel[1]!), offset % kernel[1]!];
    const end = start.map((s, i) => s + size[i]!);
    slices.push(g.node("Slice", [padded, g.int64s(start, "starts"), g.int64s(end, "ends"), g.int64s(axes, "axes")]));
  }
  // Channel index of the stacked windows: offset · in_channels + c.
  let columns = g.node("Concat", slices, { axis: 1 });
  if (spatial === 2) columns = g.node("Reshape", [columns, g.int64s([0, windows * inChannels, size[0]! * size[1]!], "shape")]);
  const perm = spatial === 1 ? [0, 2, 1] : [0, 2, 3, 1];
  const matrix = g.node("Reshape", [g.node("Transpose", [w.name], { perm }), g.int64s([outChannels, windows * inChannels], "shape")]);
  const product = g.node("MatMul", [matrix, columns]);
  return spatial === 1 ? product : g.node("Reshape", [product, g.int64s([0, outChannels, ...size], "shape")]);
}
