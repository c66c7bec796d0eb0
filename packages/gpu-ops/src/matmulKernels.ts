/**
 * Task 3.4: matrix multiplication on the GPU with tiles in workgroup
 * memory — minitorch's `_mm_practice` and `tensor_matrix_multiply`. A
 * workgroup (CUDA: block) of TILE × TILE invocations (threads) computes one
 * TILE × TILE tile of the output: for each step along the inner dimension,
 * every invocation loads one element of A and one of B into the shared
 * tiles, the workgroup waits at `workgroupBarrier()` (`cuda.syncthreads()`),
 * and each invocation adds the products of its row and column of the tiles.
 * Every element of A and B is read from storage once per tile, and each
 * output element is written once.
 */
import { wgslFrom } from "./kernelSource.js";
import { prelude } from "./wgslPrelude.js";

/**
 * `_mm_practice`: out = a @ b for square [size, size] row-major matrices,
 * size ≤ BLOCK_DIM, in one workgroup: load both into workgroup memory, wait,
 * multiply from there, write once. You write mmPracticeBody.
 */
export function mmPracticeKernel(): string {
  return /* wgsl */ `
var<workgroup> a_shared: array<array<f32, BLOCK_DIM>, BLOCK_DIM>;
var<workgroup> b_shared: array<array<f32, BLOCK_DIM>, BLOCK_DIM>;

// The host dispatches one workgroup of BLOCK_DIM × BLOCK_DIM (${MM_PRACTICE_DIM} × ${MM_PRACTICE_DIM}) invocations.
@compute @workgroup_size(BLOCK_DIM, BLOCK_DIM)
fn mm_practice(@builtin(local_invocation_id) thread: vec3u) {
  let i = thread.y;
  let j = thread.x;
  let n = size();
  // Code plan:
  //   1. Inside the matrices (i, j < n), copy a[i][j] and b[i][j] (row-major, n wide) into the shared arrays.
  //   2. workgroupBarrier().
  //   3. Inside, sum a_shared[i][k] · b_shared[k][j] over k and write out[i][j] once.
${mmPracticeBody()}
}
`;
}

function mmPracticeBody(): string {
  // BEGIN ASSIGN3.4
  return wgslFrom(import.meta.url, /* wgsl */ `
  if (i < n && j < n) {
    a_shared[i][j] = a[i * n + j];
    b_shared[i][j] = b[i * n + j];
  }
  workgroupBarrier();
  if (i < n && j < n) {
    var acc = 0.0;
    for (var k = 0u; k < n; k++) {
      acc += a_shared[i][k] * b_shared[k][j];
    }
    out[i * n + j] = acc;
  }`);
  // END ASSIGN3.4
}

/**
 * `tensor_matrix_multiply`: out[batch] = a[batch] @ b[batch] for any
 * strides, the batch dimensions of a and b broadcast to out's. Workgroup
 * (x, y, z) computes rows y·TILE… and columns x·TILE… of matrix z;
 * `matrix_offset(A, batch)` finds where a's matrix starts. You write
 * matmulBody.
 */
export function matmulKernel(): string {
  return /* wgsl */ `
var<workgroup> a_shared: array<array<f32, TILE>, TILE>;
var<workgroup> b_shared: array<array<f32, TILE>, TILE>;

// The host dispatches workgroups of TILE × TILE (${TILE} × ${TILE}) invocations: x over column tiles,
// y over row tiles, z over the batch.
@compute @workgroup_size(TILE, TILE)
fn tensor_matrix_multiply(@builtin(workgroup_id) block: vec3u, @builtin(local_invocation_id) thread: vec3u) {
  let batch = block.z;
  let pi = thread.y;
  let pj = thread.x;
  let i = block.y * TILE + pi;
  let j = block.x * TILE + pj;
  // Code plan:
  //   1. The sizes (rows(), cols(), inner()), where a's and b's matrices start (matrix_offset)
  //      and their row and column strides.
  //   2. For each tile t along the inner dimension: load a[i][t + pj] and b[t + pi][j] into
  //      the shared tiles (0 outside the matrices), workgroupBarrier(), add the products of
  //      row pi and column pj of the tiles, workgroupBarrier().
  //   3. Inside the output, write the sum once, at out's strides.
${matmulBody()}
}
`;
}

function matmulBody(): string {
  // BEGIN ASSIGN3.4
  return wgslFrom(import.meta.url, /* wgsl */ `
  let m = rows();
  let n = cols();
  let k = inner();
  let a_start = matrix_offset(A, batch);
  let b_start = matrix_offset(B, batch);
  let a_row = stride(A, dims(A) - 2u);
  let a_col = stride(A, dims(A) - 1u);
  let b_row = stride(B, dims(B) - 2u);
  let b_col = stride(B, dims(B) - 1u);
  var acc = 0.0;
  for (var t = 0u; t < k; t += TILE) {
    if (i < m && t + pj < k) {
      a_shared[pi][pj] = a_storage[a_start + i * a_row + (t + pj) * a_col];
    } else {
      a_shared[pi][pj] = 0.0;
    }
    if (t + pi < k && j < n) {
      b_shared[pi][pj] = b_storage[b_start + (t + pi) * b_row + j * b_col];
    } else {
      b_shared[pi][pj] = 0.0;
    }
    workgroupBarrier();
    for (var s = 0u; s < TILE; s++) {
      acc += a_shared[pi][s] * b_shared[s][pj];
    }
    workgroupBarrier();
  }
  if (i < m && j < n) {
    let o = matrix_offset(OUT, batch) + i * stride(OUT, dims(OUT) - 2u) + j * stride(OUT, dims(OUT) - 1u);
    out[o] = acc;
  }`);
  // END ASSIGN3.4
}

/** Side of a matmul tile (TILE × TILE invocations, WebGPU's guaranteed maximum of 256). */
export const TILE = 16;
/** Largest side of mm_practice's square matrices. */
export const MM_PRACTICE_DIM = 16;

const matmulDeclarations = /* wgsl */ `
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a_storage: array<f32>;
@group(0) @binding(3) var<storage, read> b_storage: array<f32>;
const OUT: u32 = 0u;
const A: u32 = 1u;
const B: u32 = 2u;
const TILE: u32 = ${TILE}u;
/// Rows and columns of each output matrix, and the inner (summed) dimension.
fn rows() -> u32 { return shape(OUT, dims(OUT) - 2u); }
fn cols() -> u32 { return shape(OUT, dims(OUT) - 1u); }
fn inner() -> u32 { return shape(A, dims(A) - 1u); }

/// Storage offset of matrix number batch of tensor t, its batch dimensions broadcast to out's.
fn matrix_offset(t: u32, batch: u32) -> u32 {
  let out_batch_dims = dims(OUT) - 2u;
  let lead = i32(out_batch_dims) - i32(dims(t) - 2u);
  var rest = batch;
  var position = 0u;
  for (var d = i32(out_batch_dims) - 1; d >= 0; d--) {
    let size = shape(OUT, u32(d));
    let index = rest % size;
    rest /= size;
    let td = d - lead;
    if (td >= 0 && shape(t, u32(td)) > 1u) { position += index * stride(t, u32(td)); }
  }
  return position;
}
`;

/** The whole batched matmul shader. */
export function matmulShader(): string {
  return `${prelude}${matmulDeclarations}${matmulKernel()}`;
}

/** The mm_practice shader (scalar: the matrices' size). */
export function mmPracticeShader(): string {
  return `${prelude}
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read> a: array<f32>;
@group(0) @binding(3) var<storage, read> b: array<f32>;
const BLOCK_DIM: u32 = ${MM_PRACTICE_DIM}u;
fn size() -> u32 { return scalar(0u); }
${mmPracticeKernel()}`;
}
