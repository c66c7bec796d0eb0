/**
 * The toy 2-D classification sets of minitorch's `datasets.py`: N points in the
 * unit square (x1, x2) with a 0/1 label each. Points are drawn from a seeded
 * {@link Random} (seed 0 unless a seed or generator is given), so a call with
 * the same arguments always returns the same set.
 */
import { Random } from "@minitorch/autodiff";

/** A labelled point set: `X[i] = [x1, x2]`, `y[i]` ∈ {0, 1}, N = X.length. */
export interface Graph {
  N: number;
  X: [number, number][];
  y: number[];
}

/** A seed, or a generator to draw from (advanced by the call). */
export type RandomSource = number | Random;

function generator(source: RandomSource | undefined): Random {
  return source instanceof Random ? source : new Random(source ?? 0);
}

function checkN(name: string, N: number): void {
  if (!Number.isInteger(N) || N < 0) throw new Error(`${name}: N must be a non-negative integer, got ${N}`);
}

/** N points uniform in [0, 1)²: x1 then x2 for each point, in order. */
export function makePoints(N: number, random?: RandomSource): [number, number][] {
  checkN("makePoints", N);
  const rng = generator(random);
  const X: [number, number][] = [];
  for (let i = 0; i < N; i++) {
    const x1 = rng.random();
    const x2 = rng.random();
    X.push([x1, x2]);
  }
  return X;
}

function labelled(name: string, N: number, random: RandomSource | undefined, rule: (x1: number, x2: number) => boolean): Graph {
  checkN(name, N);
  const X = makePoints(N, random);
  return { N, X, y: X.map(([x1, x2]) => (rule(x1, x2) ? 1 : 0)) };
}

/** Label 1 left of the vertical line x1 = 0.5. */
export function simple(N: number, random?: RandomSource): Graph {
  return labelled("simple", N, random, (x1) => x1 < 0.5);
}

/** Label 1 below the diagonal x1 + x2 = 0.5. */
export function diag(N: number, random?: RandomSource): Graph {
  return labelled("diag", N, random, (x1, x2) => x1 + x2 < 0.5);
}

/** Label 1 in the two outer bands x1 < 0.2 or x1 > 0.8. */
export function split(N: number, random?: RandomSource): Graph {
  return labelled("split", N, random, (x1) => x1 < 0.2 || x1 > 0.8);
}

/** Label 1 in the top-left and bottom-right quadrants (x1 < 0.5 < x2 or x2 < 0.5 < x1). */
export function xor(N: number, random?: RandomSource): Graph {
  return labelled("xor", N, random, (x1, x2) => (x1 < 0.5 && x2 > 0.5) || (x1 > 0.5 && x2 < 0.5));
}

/** Label 1 outside the circle of squared radius 0.1 around (0.5, 0.5). */
export function circle(N: number, random?: RandomSource): Graph {
  return labelled("circle", N, random, (x1, x2) => (x1 - 0.5) ** 2 + (x2 - 0.5) ** 2 > 0.1);
}

/**
 * Two interleaved spirals, deterministic (no randomness): with h = ⌊N/2⌋ and
 * t_i = 10·i/h for i = 5 … h + 4, class 0 is (t cos t / 20 + 0.5, t sin t / 20 + 0.5)
 * and class 1 is the mirrored arm at −t with coordinates swapped. Like
 * minitorch, an odd N yields N − 1 points; here `N` reports the points returned.
 */
export function spiral(N: number): Graph {
  checkN("spiral", N);
  const h = Math.floor(N / 2);
  const fx = (t: number): number => (t * Math.cos(t)) / 20;
  const fy = (t: number): number => (t * Math.sin(t)) / 20;
  const X: [number, number][] = [];
  for (let i = 5; i < 5 + h; i++) X.push([fx((10 * i) / h) + 0.5, fy((10 * i) / h) + 0.5]);
  for (let i = 5; i < 5 + h; i++) X.push([fy((-10 * i) / h) + 0.5, fx((-10 * i) / h) + 0.5]);
  const y = [...Array<number>(h).fill(0), ...Array<number>(h).fill(1)];
  return { N: X.length, X, y };
}

/** The toy sets by the names minitorch's app shows. */
export const toyDatasets: Readonly<Record<string, (N: number, random?: RandomSource) => Graph>> = {
  Simple: simple,
  Diag: diag,
  Split: split,
  Xor: xor,
  Circle: circle,
  Spiral: (N: number) => spiral(N),
};
