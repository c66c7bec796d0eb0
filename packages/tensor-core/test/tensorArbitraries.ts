/**
 * fast-check arbitraries for tensors on a given backend (minitorch's
 * tensor_strategies.py), and the checks the backend suite compares with.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { fromArray, type CreateOptions, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { evenFloats, permutationOf, sizeOf } from "./layout.js";

export { permutationOf };

/**
 * Floats spread evenly over [min, max], with the odd draw from fc.double for
 * edge values (0, −0, the bounds, tiny numbers). fc.double alone draws
 * evenly over representable doubles, so nearly all its values are within
 * 1e-10 of 0 and would leave most of the range untested.
 */
export function floatsIn(min: number, max: number): fc.Arbitrary<number> {
  return fc.oneof({ arbitrary: evenFloats(min, max), weight: 9 }, { arbitrary: fc.double({ min, max, noNaN: true }), weight: 1 });
}

/** Values for forward checks, minitorch's range. */
export const forwardValues = floatsIn(-100, 100);
/** Values for gradient checks: small enough that sums over a tensor keep central differences accurate. */
export const gradValues = floatsIn(-10, 10);

/** Shapes of 1–4 dimensions with sizes 1–5. */
export const shapes = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 });

/**
 * A tensor of `shape` whose storage is laid out in the dimension order
 * `perm` and then permuted back: a non-contiguous view unless `perm` is the
 * identity, as minitorch's `tensor_data` strategy makes.
 */
export function permutedTensor(values: readonly number[], shape: readonly number[], perm: readonly number[], backend: TensorBackend | CreateOptions): Tensor {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return fromArray(
    values,
    perm.map((p) => shape[p]!),
    backend,
  ).permute(...inverse);
}

/** `n` tensors of one shape and one layout, each with its own values. */
export function tensorsOfShape(
  n: number,
  shape: readonly number[],
  backend: TensorBackend | CreateOptions,
  values: fc.Arbitrary<number> = forwardValues,
): fc.Arbitrary<Tensor[]> {
  const size = sizeOf(shape);
  return fc
    .tuple(permutationOf(shape.length), fc.array(fc.array(values, { minLength: size, maxLength: size }), { minLength: n, maxLength: n }))
    .map(([perm, data]) => data.map((d) => permutedTensor(d, shape, perm, backend)));
}

/** A tensor of a random (or the given) shape with a random layout. */
export function tensors(backend: TensorBackend | CreateOptions, values: fc.Arbitrary<number> = forwardValues, shape?: readonly number[]): fc.Arbitrary<Tensor> {
  const shapeArb = shape === undefined ? shapes : fc.constant(shape);
  return shapeArb.chain((s) => tensorsOfShape(1, s, backend, values)).map(([t]) => t!);
}

/** `n` tensors of the same random shape, minitorch's `shaped_tensors`. */
export function shapedTensors(n: number, backend: TensorBackend | CreateOptions, values: fc.Arbitrary<number> = forwardValues): fc.Arbitrary<Tensor[]> {
  return shapes.chain((s) => tensorsOfShape(n, s, backend, values));
}

/** A shape and a shape that broadcasts to it (sizes set to 1, leading dimensions dropped), in random order. */
export const broadcastShapes: fc.Arbitrary<[number[], number[]]> = shapes.chain((big) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: big.length, maxLength: big.length }), fc.nat(big.length - 1), fc.boolean())
    .map(([ones, drop, swap]) => {
      const small = big.map((s, i) => (ones[i] ? 1 : s)).slice(drop);
      return swap ? [small, big] : [big, small];
    }),
);

/** Two tensors of broadcast-compatible shapes, each with a random layout. */
export function broadcastTensors(backend: TensorBackend | CreateOptions, values: fc.Arbitrary<number> = forwardValues): fc.Arbitrary<[Tensor, Tensor]> {
  return broadcastShapes.chain(([sa, sb]) =>
    fc.tuple(tensorsOfShape(1, sa, backend, values), tensorsOfShape(1, sb, backend, values)).map(([[a], [b]]) => [a!, b!] as [Tensor, Tensor]),
  );
}

/** Every index of `shape` in row-major order. */
export function indicesOf(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const s of shape) out = out.flatMap((ix) => Array.from({ length: s }, (_, i) => [...ix, i]));
  return out;
}

/** The index into a tensor of `shape` that `index` of a larger broadcast shape reads. */
export function broadcastInto(index: readonly number[], shape: readonly number[]): number[] {
  const lead = index.length - shape.length;
  return shape.map((s, i) => (s === 1 ? 0 : index[i + lead]!));
}

/** Broadcast shape of two shapes (test-side, independent of the library). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  return Array.from({ length: n }, (_, i) => {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    return x === 1 ? y : x;
  });
}

/** |actual − expected| ≤ tolerance · (1 + |expected|); equal infinities pass. */
export function expectClose(actual: number, expected: number, where = "", tolerance = 1e-6): void {
  if (Object.is(actual, expected) || actual === expected) return;
  const ok = Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected));
  expect(ok, `${where} got ${actual}, expected ${expected}`).toBe(true);
}

/** Checks `t` has `shape` and that each element equals `expected(index)` (within `tolerance`, see expectClose). */
export function expectTensor(t: Tensor, shape: readonly number[], expected: (index: number[]) => number, tolerance = 1e-6): void {
  expect(t.shape).toEqual(shape);
  for (const ix of indicesOf(shape)) expectClose(t.get(...ix), expected(ix), `at [${ix.join(", ")}]`, tolerance);
}

/** a @ b by a plain loop over `get`, with broadcast batch dimensions. */
export function naiveMatmul(a: Tensor, b: Tensor): { shape: number[]; at: (index: number[]) => number } {
  const m = a.shape[a.dims - 2]!;
  const k = a.shape[a.dims - 1]!;
  const n = b.shape[b.dims - 1]!;
  const batch = broadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return {
    shape: [...batch, m, n],
    at: (index) => {
      const bi = index.slice(0, -2);
      const [i, j] = index.slice(-2) as [number, number];
      const ab = broadcastInto(bi, a.shape.slice(0, -2));
      const bb = broadcastInto(bi, b.shape.slice(0, -2));
      let acc = 0;
      for (let t = 0; t < k; t++) acc += a.get(...ab, i, t) * b.get(...bb, t, j);
      return acc;
    },
  };
}
