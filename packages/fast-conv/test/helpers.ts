/**
 * Shared by the convolution tests: the backends of each kernel set, tensors
 * with a chosen storage order, the convolution by its definition, comparison,
 * and a wait for work to reach the worker threads.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { CourseBackend, FastBackend, PlainBackend, poolStats } from "@minitorch/fast-ops";
import { SimpleBackend, fromArray, type CreateOptions, type Dtype, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { floatArray as sharedFloatArray, layoutTensor, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";

export { evenFloats as floatsIn, layoutTensor, permutationOf, sizeOf } from "../../tensor-core/test/layout.js";

/** The backends that run the course's kernels (Tasks 4.1, 4.2): inline, and on the pool. */
export const courseBackends: ReadonlyArray<readonly [string, TensorBackend]> = [
  ["simple", SimpleBackend],
  ["course", CourseBackend],
];

/** The backends of the library's kernels: the implicit GEMM in plain TypeScript, and on WebAssembly SIMD. */
export const libraryBackends: ReadonlyArray<readonly [string, TensorBackend]> = [
  ["plain", PlainBackend],
  ["fast", FastBackend],
];

/** The same values on two backends, as differentiable leaves. */
export function leavesOn(backend: TensorBackend, ...operands: Operand[]): Tensor[] {
  return operands.map((x) => tensorOf(x, backend).requiresGrad_(true));
}

/** The backends of every kernel set, for the float32 runs. */
export const everyBackend: ReadonlyArray<readonly [string, TensorBackend]> = [...courseBackends, ...libraryBackends];

/** `x` with its values rounded to float32, so that float64 and float32 tensors of it hold the same numbers. */
const rounded = (x: Operand): Operand => ({ ...x, values: x.values.map(Math.fround) });

/**
 * Checks a float32 convolution on `backend` against SimpleBackend's float64
 * one on the same (float32-rounded) values, output and both gradients, to
 * `relative` of each result's magnitude: the kernels compute in float32
 * storage, so the difference is their rounding, not a different sum.
 */
export function expectSameFloat32Convolution(
  conv: (input: Tensor, weight: Tensor) => Tensor,
  input: Operand,
  weight: Operand,
  backend: TensorBackend,
  relative = 1e-5,
): void {
  const [x32, w32] = [rounded(input), rounded(weight)];
  const results = ([
    [SimpleBackend, "float64"],
    [backend, "float32"],
  ] as const).map(([b, dtype]: readonly [TensorBackend, Dtype]) => {
    const [x, w] = [x32, w32].map((o) => tensorOf(o, { backend: b, dtype }).requiresGrad_(true)) as [Tensor, Tensor];
    const out = conv(x, w);
    expect(out.dtype).toBe(dtype);
    out.backward(fromArray(upstream(out.shape).map(Math.fround), out.shape, { backend: b, dtype }));
    expect([x.grad!.dtype, w.grad!.dtype]).toEqual([dtype, dtype]);
    return [out.toFloat64Array(), x.grad!.toFloat64Array(), w.grad!.toFloat64Array()];
  });
  for (let i = 0; i < 3; i++) expectAgree(results[1]![i]!, results[0]![i]!, relative);
}

/**
 * Checks that `conv` gives the same output and the same input and weight
 * gradients on `backend` as on SimpleBackend (the reference), to `relative`
 * of each result's magnitude, with an uneven upstream gradient so every
 * output position counts. The two may sum in different orders.
 */
export function expectSameConvolution(
  conv: (input: Tensor, weight: Tensor) => Tensor,
  input: Operand,
  weight: Operand,
  backend: TensorBackend,
  relative = 1e-10,
): void {
  const results = [SimpleBackend, backend].map((b) => {
    const [x, w] = leavesOn(b, input, weight) as [Tensor, Tensor];
    const out = conv(x, w);
    out.backward(fromArray(upstream(out.shape), out.shape, b));
    return [out.toFloat64Array(), x.grad!.toFloat64Array(), w.grad!.toFloat64Array()];
  });
  for (let i = 0; i < 3; i++) expectAgree(results[1]![i]!, results[0]![i]!, relative);
}

/** |got − want| ≤ relative · max |want| for every element. */
export function expectAgree(got: ArrayLike<number>, want: ArrayLike<number>, relative: number): void {
  expect(got.length).toBe(want.length);
  let magnitude = 0;
  for (let i = 0; i < want.length; i++) magnitude = Math.max(magnitude, Math.abs(want[i]!));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= relative * magnitude)) expect.fail(`element ${i}: got ${got[i]}, want ${want[i]} (magnitude ${magnitude})`);
  }
}

/** Fixed, varied values for an upstream gradient of `shape`. */
function upstream(shape: readonly number[]): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, i) => Math.sin(1 + i * 0.7) * 3);
}

/** `n` floats in [min, max] (default ±10: convolution sums stay moderate). */
export const floatArray = (n: number, min = -10, max = 10): fc.Arbitrary<number[]> => sharedFloatArray(n, min, max);

/** Values of `shape` with a random storage order. */
export interface Operand {
  shape: number[];
  values: number[];
  perm: number[];
}

export function operand(shape: number[], min = -10, max = 10): fc.Arbitrary<Operand> {
  return fc.record({ shape: fc.constant(shape), values: floatArray(sizeOf(shape), min, max), perm: permutationOf(shape.length) });
}

export const tensorOf = (x: Operand, backend: TensorBackend | CreateOptions): Tensor => layoutTensor(x.values, x.shape, x.perm, backend);

/**
 * 2-D convolution by its definition (a 1-D one is height 1):
 * out[b,o,y,x] = Σ_{c,i,j} in[b,c,y±i,x±j] · w[o,c,i,j], reading 0 outside
 * the input, "+" by default and "−" with `reverse`. Row-major arrays.
 */
export function naiveConv2d(
  input: ArrayLike<number>,
  [B, C, H, W]: readonly number[],
  weight: ArrayLike<number>,
  [O, , KH, KW]: readonly number[],
  reverse = false,
): Float64Array {
  const out = new Float64Array(B! * O! * H! * W!);
  const sign = reverse ? -1 : 1;
  for (let b = 0; b < B!; b++) {
    for (let o = 0; o < O!; o++) {
      for (let y = 0; y < H!; y++) {
        for (let x = 0; x < W!; x++) {
          let s = 0;
          for (let c = 0; c < C!; c++) {
            for (let i = 0; i < KH!; i++) {
              for (let j = 0; j < KW!; j++) {
                const yy = y + sign * i;
                const xx = x + sign * j;
                if (yy < 0 || yy >= H! || xx < 0 || xx >= W!) continue;
                s += input[((b * C! + c) * H! + yy) * W! + xx]! * weight[((o * C! + c) * KH! + i) * KW! + j]!;
              }
            }
          }
          out[((b * O! + o) * H! + y) * W! + x] = s;
        }
      }
    }
  }
  return out;
}

/** Same elements, each within `tolerance` · (1 + |expected|). */
export function expectClose(got: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-12): void {
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (!(Math.abs(g - e) <= tolerance * (1 + Math.abs(e)))) expect.fail(`element ${i}: got ${g}, expected ${e}`);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Repeats `op` until one run of it completes chunks on worker threads (the
 * workers may still be booting, or importing the kernel's module), and
 * returns that run's result. Fails after `timeoutMs`: generous, because a
 * worker under test first transpiles the TypeScript it imports, which takes
 * seconds when many test files start their workers at once.
 */
export async function onWorkers<T>(op: () => T, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const before = poolStats().workerChunks;
    const result = op();
    if (poolStats().workerChunks > before) return result;
    if (Date.now() > deadline) {
      throw new Error(`no chunk of the operation ran on a worker within ${timeoutMs} ms: ${JSON.stringify(poolStats())}`);
    }
    await sleep(20);
  }
}
