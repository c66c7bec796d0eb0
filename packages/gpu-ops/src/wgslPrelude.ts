/**
 * What every GPU kernel is given, in WGSL: Module 2's index functions
 * (`to_index`, `index_to_position`, `broadcast_index`) compiled for the GPU,
 * as minitorch's cuda_ops.py compiles them with `cuda.jit(device=True)`, and
 * the accessors of the job's plan.
 *
 * A job's shapes, strides and scalar arguments travel in one integer buffer,
 * the plan (bound at @binding(0)), built by {@link makePlan}:
 *
 *   plan[0]        T, the number of tensors
 *   plan[1 + t]    where tensor t's descriptor starts
 *   plan[1 + T + k] scalar k
 *   descriptor     dims, shape[0..dims), strides[0..dims)
 *
 * Kernels name their tensors by constants (`OUT`, `A`, `B`, `IN`, …): the
 * order the op passed them to makePlan.
 */
import type { Tensor } from "@minitorch/tensor-core";

/** Largest number of dimensions a GPU kernel handles (the size of `Index`). */
export const MAX_DIMS = 16;

/** Invocations per workgroup of the elementwise kernels: CUDA's threads per block. */
export const THREADS_PER_BLOCK = 64;

/** WebGPU's guaranteed limit on workgroups along one dimension of a dispatch. */
export const MAX_GROUPS_PER_DIMENSION = 65535;

/** The helpers, in WGSL. */
export const prelude = /* wgsl */ `
const MAX_DIMS: u32 = ${MAX_DIMS}u;
const THREADS_PER_BLOCK: u32 = ${THREADS_PER_BLOCK}u;
alias Index = array<u32, MAX_DIMS>;

@group(0) @binding(0) var<storage, read> plan: array<u32>;

/// Scalar argument k of the job.
fn scalar(k: u32) -> u32 { return plan[1u + plan[0] + k]; }
/// Number of dimensions of tensor t.
fn dims(t: u32) -> u32 { return plan[plan[1u + t]]; }
/// Size of dimension d of tensor t.
fn shape(t: u32, d: u32) -> u32 { return plan[plan[1u + t] + 1u + d]; }
/// Stride of dimension d of tensor t.
fn stride(t: u32, d: u32) -> u32 { let base = plan[1u + t]; return plan[base + 1u + plan[base] + d]; }
/// Number of elements of tensor t.
fn tensor_size(t: u32) -> u32 {
  var n = 1u;
  for (var d = 0u; d < dims(t); d++) { n *= shape(t, d); }
  return n;
}

/// The index of the ordinal-th element of tensor t in row-major order.
fn to_index(ordinal: u32, t: u32, index: ptr<function, Index>) {
  var rest = ordinal;
  for (var d = i32(dims(t)) - 1; d >= 0; d--) {
    let s = shape(t, u32(d));
    (*index)[d] = rest % s;
    rest /= s;
  }
}

/// Where the element at index lies in tensor t's storage.
fn index_to_position(index: ptr<function, Index>, t: u32) -> u32 {
  var position = 0u;
  for (var d = 0u; d < dims(t); d++) { position += (*index)[d] * stride(t, d); }
  return position;
}

/// The index into the smaller tensor small that big_index (an index of big's shape) reads when small broadcasts to big.
fn broadcast_index(big_index: ptr<function, Index>, big: u32, small: u32, out_index: ptr<function, Index>) {
  let lead = dims(big) - dims(small);
  for (var d = 0u; d < dims(small); d++) {
    (*out_index)[d] = select((*big_index)[d + lead], 0u, shape(small, d) == 1u);
  }
}

/// This invocation's number in a one-dimensional job laid over a grid of groups.x × groups.y workgroups.
fn thread_ordinal(global_id: vec3u, groups: vec3u) -> u32 { return global_id.x + global_id.y * groups.x * THREADS_PER_BLOCK; }

/// This workgroup's number in a grid of groups.x × groups.y workgroups.
fn block_ordinal(block: vec3u, groups: vec3u) -> u32 { return block.x + block.y * groups.x; }
`;

/** The integer plan of a job: the layouts of `tensors` and then `scalars`. */
export function makePlan(tensors: readonly Tensor[], scalars: readonly number[] = []): Int32Array {
  const t = tensors.length;
  const plan: number[] = [t];
  let offset = 1 + t + scalars.length;
  for (const x of tensors) {
    plan.push(offset);
    offset += 1 + 2 * x.dims;
  }
  plan.push(...scalars);
  for (const x of tensors) plan.push(x.dims, ...x.shape, ...x.strides);
  return Int32Array.from(plan);
}

/** The bits of a float32, as a plan scalar (read in WGSL with `bitcast<f32>`). */
export function f32Bits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x, true);
  return view.getInt32(0, true);
}

/**
 * Workgroup counts for `groups` workgroups: along x up to the per-dimension
 * limit, the rest along y (kernels number them with thread_ordinal or
 * block_ordinal).
 */
export function grid(groups: number): [number, number, number] {
  if (groups <= MAX_GROUPS_PER_DIMENSION) return [Math.max(1, groups), 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIMENSION);
  if (y > MAX_GROUPS_PER_DIMENSION) throw new RangeError(`GpuBackend: ${groups} workgroups exceed one dispatch`);
  return [MAX_GROUPS_PER_DIMENSION, y, 1];
}
