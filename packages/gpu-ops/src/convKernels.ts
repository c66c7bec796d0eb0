/**
 * Task 4.4b: conv1d and conv2d as GPU kernels, one invocation per output
 * element, with minitorch's semantics (docs/module-4.md):
 *
 *   conv1d  out[b, o, x]    = Σ_{c,k}   in[b, c, x ± k] · w[o, c, k]
 *   conv2d  out[b, o, y, x] = Σ_{c,i,j} in[b, c, y ± i, x ± j] · w[o, c, i, j]
 *
 * "+" anchors the weight at the left/top (0 past the right/bottom edge),
 * "−" with `reverse()` at the right/bottom (0 before the left/top edge).
 * Every operand may be any strided view: the backward passes call these
 * kernels on permuted views, as fast-conv's Conv1dFun.backward does.
 */
import { wgslFrom } from "./kernelSource.js";
import { THREADS_PER_BLOCK, prelude } from "./wgslPrelude.js";

/** `tensor_conv1d`: out [batch, out_channels, width'] from input [batch, in_channels, width] and weight [out_channels, in_channels, k]. You write conv1dBody. */
export function conv1dKernel(): string {
  return /* wgsl */ `
// The host dispatches workgroups of THREADS_PER_BLOCK (${THREADS_PER_BLOCK}) invocations, enough for one per output element.
@compute @workgroup_size(THREADS_PER_BLOCK)
fn tensor_conv1d(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = thread_ordinal(global_id, groups);
  if (i >= out_size()) { return; }
  var out_index: Index;
  // Code plan:
  //   1. to_index: i as an index [b, o, x] of OUT.
  //   2. Sum input[b, c, x ± k] · weight[o, c, k] over in-channels c and taps k, at the
  //      operands' strides; "−" when reverse(), and 0 for positions outside the input's width.
  //   3. Write the sum to out at out_index's position.
${conv1dBody()}
}
`;
}

function conv1dBody(): string {
  // BEGIN ASSIGN4.4b
  return wgslFrom(import.meta.url, /* wgsl */ `
  to_index(i, OUT, &out_index);
  let b = out_index[0];
  let o = out_index[1];
  let x = i32(out_index[2]);
  let in_channels = shape(WEIGHT, 1u);
  let kw = shape(WEIGHT, 2u);
  let width = i32(shape(INPUT, 2u));
  let s = vec3u(stride(INPUT, 0u), stride(INPUT, 1u), stride(INPUT, 2u));
  let w = vec3u(stride(WEIGHT, 0u), stride(WEIGHT, 1u), stride(WEIGHT, 2u));
  var acc = 0.0;
  for (var c = 0u; c < in_channels; c++) {
    for (var k = 0u; k < kw; k++) {
      let xx = select(x + i32(k), x - i32(k), reverse());
      if (xx >= 0 && xx < width) {
        acc += input[b * s.x + c * s.y + u32(xx) * s.z] * weight[o * w.x + c * w.y + k * w.z];
      }
    }
  }
  out[index_to_position(&out_index, OUT)] = acc;`);
  // END ASSIGN4.4b
}

/** `tensor_conv2d`: out [batch, out_channels, height', width'] from input [batch, in_channels, height, width] and weight [out_channels, in_channels, kh, kw]. You write conv2dBody. */
export function conv2dKernel(): string {
  return /* wgsl */ `
// The host dispatches workgroups of THREADS_PER_BLOCK (${THREADS_PER_BLOCK}) invocations, enough for one per output element.
@compute @workgroup_size(THREADS_PER_BLOCK)
fn tensor_conv2d(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = thread_ordinal(global_id, groups);
  if (i >= out_size()) { return; }
  var out_index: Index;
  // Code plan:
  //   1. to_index: i as an index [b, o, y, x] of OUT.
  //   2. Sum input[b, c, y ± i, x ± j] · weight[o, c, i, j] over c, i and j, at the operands'
  //      strides; "−" when reverse(), and 0 outside the input's height and width.
  //   3. Write the sum to out at out_index's position.
${conv2dBody()}
}
`;
}

function conv2dBody(): string {
  // BEGIN ASSIGN4.4b
  return wgslFrom(import.meta.url, /* wgsl */ `
  to_index(i, OUT, &out_index);
  let b = out_index[0];
  let o = out_index[1];
  let y = i32(out_index[2]);
  let x = i32(out_index[3]);
  let in_channels = shape(WEIGHT, 1u);
  let kh = shape(WEIGHT, 2u);
  let kw = shape(WEIGHT, 3u);
  let height = i32(shape(INPUT, 2u));
  let width = i32(shape(INPUT, 3u));
  let s = vec4u(stride(INPUT, 0u), stride(INPUT, 1u), stride(INPUT, 2u), stride(INPUT, 3u));
  let w = vec4u(stride(WEIGHT, 0u), stride(WEIGHT, 1u), stride(WEIGHT, 2u), stride(WEIGHT, 3u));
  var acc = 0.0;
  for (var c = 0u; c < in_channels; c++) {
    for (var ki = 0u; ki < kh; ki++) {
      let yy = select(y + i32(ki), y - i32(ki), reverse());
      if (yy < 0 || yy >= height) { continue; }
      for (var kj = 0u; kj < kw; kj++) {
        let xx = select(x + i32(kj), x - i32(kj), reverse());
        if (xx >= 0 && xx < width) {
          acc += input[b * s.x + c * s.y + u32(yy) * s.z + u32(xx) * s.w]
               * weight[o * w.x + c * w.y + ki * w.z + kj * w.w];
        }
      }
    }
  }
  out[index_to_position(&out_index, OUT)] = acc;`);
  // END ASSIGN4.4b
}

const convDeclarations = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> input: array<f32>;
@group(0) @binding(3) var<storage, read> weight: array<f32>;
const OUT: u32 = 0u;
const INPUT: u32 = 1u;
const WEIGHT: u32 = 2u;
fn out_size() -> u32 { return scalar(0u); }
fn reverse() -> bool { return scalar(1u) != 0u; }
`;

/** The conv1d shader (scalars: output size, reverse). */
export function conv1dShader(): string {
  return `${prelude}${convDeclarations}${conv1dKernel()}`;
}

/** The conv2d shader (scalars: output size, reverse). */
export function conv2dShader(): string {
  return `${prelude}${convDeclarations}${conv2dKernel()}`;
}
