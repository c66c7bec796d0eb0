/**
 * Task 3.3: map, zip and reduce as GPU kernels, in WGSL — minitorch's
 * `tensor_map`, `tensor_zip`, `_sum_practice` and `tensor_reduce` from
 * cuda_ops.py, with WebGPU's words for CUDA's: a workgroup is a block, an
 * invocation a thread, `var<workgroup>` memory is shared memory and
 * `workgroupBarrier()` is `cuda.syncthreads()`.
 *
 * Each function returns the kernel's entry point; the declarations it uses
 * (the storage bindings, the tensor names OUT/IN/A/B, the scalar `apply`
 * being mapped, and the prelude's index helpers) are put in front of it by
 * the functions at the end of this file. Rules, as in minitorch: one
 * invocation per output element for map and zip, index buffers in private
 * (`var`) arrays; reduce keeps its partial results in workgroup memory.
 */
import type { WgslOperator } from "./wgslOperators.js";
import { applyFunction } from "./wgslOperators.js";
import { wgslFrom } from "./kernelSource.js";
import { THREADS_PER_BLOCK, prelude } from "./wgslPrelude.js";

/**
 * `tensor_map`: out[i] = apply(in[j]) for every element i of `out`, j the
 * position of i's index broadcast into the input's shape. One invocation
 * per output element: thread_ordinal numbers them. The entry point, the
 * index line and the index arrays are given, as in minitorch; you write
 * the body (mapBody).
 */
export function mapKernel(): string {
  return /* wgsl */ `
// The host dispatches workgroups of THREADS_PER_BLOCK (${THREADS_PER_BLOCK}) invocations, enough for one per output element.
@compute @workgroup_size(THREADS_PER_BLOCK)
fn tensor_map(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = thread_ordinal(global_id, groups);
  if (i >= out_size()) { return; }
  var out_index: Index;
  var in_index: Index;
  // Code plan:
  //   1. to_index: the ordinal i as an index of OUT, into out_index.
  //   2. broadcast_index: out_index into IN's shape, into in_index.
  //   3. index_to_position of both; write apply(in_storage[in position]) to out[out position].
${mapBody()}
}
`;
}

function mapBody(): string {
  // BEGIN ASSIGN3.3
  return wgslFrom(import.meta.url, /* wgsl */ `
  to_index(i, OUT, &out_index);
  broadcast_index(&out_index, OUT, IN, &in_index);
  let o = index_to_position(&out_index, OUT);
  let j = index_to_position(&in_index, IN);
  out[o] = apply(in_storage[j]);`);
  // END ASSIGN3.3
}

/** `tensor_zip`: out[i] = apply(a[ja], b[jb]) with i's index broadcast into both inputs. You write zipBody. */
export function zipKernel(): string {
  return /* wgsl */ `
// The host dispatches workgroups of THREADS_PER_BLOCK (${THREADS_PER_BLOCK}) invocations, enough for one per output element.
@compute @workgroup_size(THREADS_PER_BLOCK)
fn tensor_zip(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = thread_ordinal(global_id, groups);
  if (i >= out_size()) { return; }
  var out_index: Index;
  var a_index: Index;
  var b_index: Index;
  // Code plan:
  //   1. to_index: the ordinal i as an index of OUT.
  //   2. broadcast_index: that index into A's shape and into B's.
  //   3. out[position in OUT] = apply(a_storage[position in A], b_storage[position in B]).
${zipBody()}
}
`;
}

function zipBody(): string {
  // BEGIN ASSIGN3.3
  return wgslFrom(import.meta.url, /* wgsl */ `
  to_index(i, OUT, &out_index);
  broadcast_index(&out_index, OUT, A, &a_index);
  broadcast_index(&out_index, OUT, B, &b_index);
  let o = index_to_position(&out_index, OUT);
  out[o] = apply(a_storage[index_to_position(&a_index, A)], b_storage[index_to_position(&b_index, B)]);`);
  // END ASSIGN3.3
}

/**
 * `_sum_practice`: out[block] = the sum of a[block·32 … block·32 + 31]
 * (0 past the end), each workgroup summing its 32 values in workgroup
 * memory: every invocation loads one value into `cache`, then halving
 * steps add pairs, with a barrier after each step. You write
 * sumPracticeBody.
 */
export function sumPracticeKernel(): string {
  return /* wgsl */ `
var<workgroup> cache: array<f32, BLOCK_DIM>;

// The host dispatches one workgroup of BLOCK_DIM (${BLOCK_DIM}) invocations per block of ${BLOCK_DIM} values.
@compute @workgroup_size(BLOCK_DIM)
fn sum_practice(@builtin(workgroup_id) block: vec3u, @builtin(num_workgroups) groups: vec3u,
                @builtin(local_invocation_index) pos: u32) {
  let b = block_ordinal(block, groups);
  let i = b * BLOCK_DIM + pos;
  // Code plan:
  //   1. cache[pos] = a[i] inside the input (size()), else 0; then workgroupBarrier().
  //   2. For step = BLOCK_DIM / 2, / 4, … 1: invocations pos < step add cache[pos + step]
  //      into cache[pos]; workgroupBarrier() after each step.
  //   3. Invocation 0 writes cache[0] to out[b] (b < out_blocks()).
${sumPracticeBody()}
}
`;
}

function sumPracticeBody(): string {
  // BEGIN ASSIGN3.3
  return wgslFrom(import.meta.url, /* wgsl */ `
  if (i < size()) {
    cache[pos] = a[i];
  } else {
    cache[pos] = 0.0;
  }
  workgroupBarrier();
  for (var step = BLOCK_DIM / 2u; step > 0u; step /= 2u) {
    if (pos < step) { cache[pos] += cache[pos + step]; }
    workgroupBarrier();
  }
  if (pos == 0u && b < out_blocks()) { out[b] = cache[0]; }`);
  // END ASSIGN3.3
}

/**
 * `tensor_reduce`: out[i] = reduce_value ⊕ a[i₀] ⊕ a[i₁] ⊕ … over
 * dimension reduce_dim, ⊕ = apply (associative and commutative: add, mul,
 * max). One workgroup per output element: invocation `pos` folds the
 * elements pos, pos + REDUCE_THREADS, … of its row, leaves its partial in
 * `cache`, and halving steps combine the partials (only the first
 * min(n, REDUCE_THREADS) hold values). You write reduceBody.
 */
export function reduceKernel(): string {
  return /* wgsl */ `
var<workgroup> cache: array<f32, REDUCE_THREADS>;

// The host dispatches one workgroup of REDUCE_THREADS (${REDUCE_THREADS}) invocations per output element.
@compute @workgroup_size(REDUCE_THREADS)
fn tensor_reduce(@builtin(workgroup_id) block: vec3u, @builtin(num_workgroups) groups: vec3u,
                 @builtin(local_invocation_index) pos: u32) {
  let i = block_ordinal(block, groups);
  if (i >= out_size()) { return; }
  var out_index: Index;
  // Code plan:
  //   1. to_index: i as an index of OUT; its position in A starts the row, which has
  //      n = shape(A, reduce_dim()) elements stride(A, reduce_dim()) apart.
  //   2. Invocation pos folds elements pos, pos + REDUCE_THREADS, … with apply into cache[pos].
  //   3. workgroupBarrier(), then halving steps combine cache[pos] and cache[pos + step]
  //      (only the first min(n, REDUCE_THREADS) hold values), a barrier after each.
  //   4. Invocation 0 writes reduce_value() ⊕ cache[0] (reduce_value() alone if n = 0) to out.
${reduceBody()}
}
`;
}

function reduceBody(): string {
  // BEGIN ASSIGN3.3
  return wgslFrom(import.meta.url, /* wgsl */ `
  to_index(i, OUT, &out_index);
  let start = index_to_position(&out_index, A);
  let n = shape(A, reduce_dim());
  let step_a = stride(A, reduce_dim());
  if (pos < n) {
    var acc = a_storage[start + pos * step_a];
    for (var s = pos + REDUCE_THREADS; s < n; s += REDUCE_THREADS) {
      acc = apply(acc, a_storage[start + s * step_a]);
    }
    cache[pos] = acc;
  }
  workgroupBarrier();
  let filled = min(n, REDUCE_THREADS);
  for (var step = REDUCE_THREADS / 2u; step > 0u; step /= 2u) {
    if (pos < step && pos + step < filled) { cache[pos] = apply(cache[pos], cache[pos + step]); }
    workgroupBarrier();
  }
  if (pos == 0u) {
    let o = index_to_position(&out_index, OUT);
    out[o] = select(reduce_value(), apply(reduce_value(), cache[0]), n > 0u);
  }`);
  // END ASSIGN3.3
}

// How a library does it: kernels GpuOps picks when they are faster than the
// course's general ones (the tests run both kinds).

/** Invocations per workgroup of the flat kernels. */
export const FLAT_THREADS = 256;

/**
 * Map and zip over contiguous tensors of one shape need no index
 * arithmetic: out[i] = apply(in[i · step]) (step 0 reads a one-element
 * operand, such as the 2 of `x.mul(2)`). About 3–4× faster than the
 * general kernel on SwiftShader.
 */
export function flatMapShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> in_storage: array<f32>;
${applyFunction(op)}
@compute @workgroup_size(${FLAT_THREADS})
fn flat_map(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = global_id.x + global_id.y * groups.x * ${FLAT_THREADS}u;
  if (i >= scalar(0u)) { return; }
  out[i] = apply(in_storage[i * scalar(1u)]);
}`;
}

/** The flat zip: out[i] = apply(a[i · step_a], b[i · step_b]). */
export function flatZipShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a_storage: array<f32>;
@group(0) @binding(3) var<storage, read> b_storage: array<f32>;
${applyFunction(op)}
@compute @workgroup_size(${FLAT_THREADS})
fn flat_zip(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = global_id.x + global_id.y * groups.x * ${FLAT_THREADS}u;
  if (i >= scalar(0u)) { return; }
  out[i] = apply(a_storage[i * scalar(1u)], b_storage[i * scalar(2u)]);
}`;
}

/**
 * Reduce with one invocation per output element folding its row in order,
 * as the CPU loop does. With many outputs this keeps every invocation busy
 * without barriers: pooling a [16, 8, 28, 28] batch (6,272 rows of 16) takes
 * about 1 ms instead of a second of workgroup barriers on SwiftShader.
 */
export function rowReduceShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a_storage: array<f32>;
const OUT: u32 = 0u;
const A: u32 = 1u;
${applyFunction(op)}
@compute @workgroup_size(THREADS_PER_BLOCK)
fn row_reduce(@builtin(global_invocation_id) global_id: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = thread_ordinal(global_id, groups);
  if (i >= scalar(0u)) { return; }
  var out_index: Index;
  to_index(i, OUT, &out_index);
  let n = shape(A, scalar(1u));
  let step_a = stride(A, scalar(1u));
  var j = index_to_position(&out_index, A);
  var acc = bitcast<f32>(scalar(2u));
  for (var k = 0u; k < n; k++) {
    acc = apply(acc, a_storage[j]);
    j += step_a;
  }
  out[index_to_position(&out_index, OUT)] = acc;
}`;
}

/** Invocations per workgroup of the reduce kernel (one workgroup per output element). */
export const REDUCE_THREADS = 64;
/** Values summed by one workgroup of sum_practice. */
export const BLOCK_DIM = 32;

/** The whole map shader for `op`: prelude, bindings, `apply`, entry point. */
export function mapShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> in_storage: array<f32>;
const OUT: u32 = 0u;
const IN: u32 = 1u;
fn out_size() -> u32 { return scalar(0u); }
${applyFunction(op)}
${mapKernel()}`;
}

/** The whole zip shader for `op`. */
export function zipShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a_storage: array<f32>;
@group(0) @binding(3) var<storage, read> b_storage: array<f32>;
const OUT: u32 = 0u;
const A: u32 = 1u;
const B: u32 = 2u;
fn out_size() -> u32 { return scalar(0u); }
${applyFunction(op)}
${zipKernel()}`;
}

/** The whole reduce shader for `op` (scalars: output size, reduce_dim, bits of the start value). */
export function reduceShader(op: WgslOperator): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a_storage: array<f32>;
const OUT: u32 = 0u;
const A: u32 = 1u;
const REDUCE_THREADS: u32 = ${REDUCE_THREADS}u;
fn out_size() -> u32 { return scalar(0u); }
fn reduce_dim() -> u32 { return scalar(1u); }
fn reduce_value() -> f32 { return bitcast<f32>(scalar(2u)); }
${applyFunction(op)}
${reduceKernel()}`;
}

/** The sum_practice shader (scalars: the input's size, the number of output blocks). */
export function sumPracticeShader(): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
const BLOCK_DIM: u32 = ${BLOCK_DIM}u;
fn size() -> u32 { return scalar(0u); }
fn out_blocks() -> u32 { return scalar(1u); }
${sumPracticeKernel()}`;
}
