/**
 * Module 0: the scalar operators every backend is built from, and the
 * higher-order helpers `map`, `zipWith` and `reduce` over plain lists.
 *
 * Each operator is a plain function of numbers so that the same definition is
 * used by scalars, by the reference tensor backend, and (compiled into
 * specialised loops) by the parallel backend's workers.
 */

/** f(x, y) = x · y */
export function mul(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return x * y;
  // END ASSIGN0.1
}

/** f(x) = x */
export function id(x: number): number {
  // BEGIN ASSIGN0.1
  return x;
  // END ASSIGN0.1
}

/** f(x, y) = x + y */
export function add(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return x + y;
  // END ASSIGN0.1
}

/** f(x) = −x */
export function neg(x: number): number {
  // BEGIN ASSIGN0.1
  return -x;
  // END ASSIGN0.1
}

/** f(x, y) = 1 if x < y else 0 (0 when either is NaN, like every comparison) */
export function lt(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return x < y ? 1.0 : 0.0;
  // END ASSIGN0.1
}

/** f(x, y) = 1 if x == y else 0 */
export function eq(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return x === y ? 1.0 : 0.0;
  // END ASSIGN0.1
}

/**
 * f(x, y) = 1 if x == y or both are NaN, else 0: `eq` that finds a NaN
 * again, used where a reduction's result is located in its input (argmax,
 * the gradient of max). +0 and −0 count as the same value.
 */
export function sameValue(x: number, y: number): number {
  return x === y || (Number.isNaN(x) && Number.isNaN(y)) ? 1.0 : 0.0;
}

/** f(x, y) = x if x > y else y; NaN if either is NaN (as in PyTorch) */
export function max(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return x > y || Number.isNaN(x) ? x : y;
  // END ASSIGN0.1
}

/** f(x, y) = |x − y| < 1e-2 */
export function isClose(x: number, y: number): number {
  // BEGIN ASSIGN0.1
  return Math.abs(x - y) < 1e-2 ? 1.0 : 0.0;
  // END ASSIGN0.1
}

/**
 * f(x) = 1 / (1 + e^−x), computed as e^x / (1 + e^x) for x < 0 so that large
 * negative inputs neither overflow nor lose precision.
 */
export function sigmoid(x: number): number {
  // BEGIN ASSIGN0.1
  if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1.0 + e);
  // END ASSIGN0.1
}

/** f(x) = x if x > 0 else 0; NaN stays NaN (as in PyTorch) */
export function relu(x: number): number {
  // BEGIN ASSIGN0.1
  return x > 0 || Number.isNaN(x) ? x : 0.0;
  // END ASSIGN0.1
}

/** f(x) = ln x. ln 0 is −Infinity, as in IEEE arithmetic. */
export function log(x: number): number {
  // BEGIN ASSIGN0.1
  return Math.log(x);
  // END ASSIGN0.1
}

/** f(x) = e^x */
export function exp(x: number): number {
  // BEGIN ASSIGN0.1
  return Math.exp(x);
  // END ASSIGN0.1
}

/** f(x) = 1 / x */
export function inv(x: number): number {
  // BEGIN ASSIGN0.1
  return 1.0 / x;
  // END ASSIGN0.1
}

/** d · f'(x) for f = log: d / x */
export function logBack(x: number, d: number): number {
  // BEGIN ASSIGN0.1
  return d / x;
  // END ASSIGN0.1
}

/** d · f'(x) for f = inv: −d / x² */
export function invBack(x: number, d: number): number {
  // BEGIN ASSIGN0.1
  return -d / (x * x);
  // END ASSIGN0.1
}

/** d · f'(x) for f = relu: d if x > 0 else 0; a NaN x passes d on (as in PyTorch) */
export function reluBack(x: number, d: number): number {
  // BEGIN ASSIGN0.1
  return x > 0 || Number.isNaN(x) ? d : 0.0;
  // END ASSIGN0.1
}

/** d · f'(x) for f = sigmoid: d · σ(x) · (1 − σ(x)) */
export function sigmoidBack(x: number, d: number): number {
  // BEGIN ASSIGN0.1
  const s = sigmoid(x);
  return d * s * (1.0 - s);
  // END ASSIGN0.1
}

/** Higher-order map: returns a function applying `fn` to each element of a list. */
export function map<A, B>(fn: (x: A) => B): (ls: readonly A[]) => B[] {
  // BEGIN ASSIGN0.3
  return (ls) => {
    const out = new Array<B>(ls.length);
    for (let i = 0; i < ls.length; i++) out[i] = fn(ls[i]!);
    return out;
  };
  // END ASSIGN0.3
}

/**
 * Higher-order zipWith: returns a function combining two lists element by
 * element with `fn`. The lists must have equal length.
 */
export function zipWith<A, B, C>(fn: (x: A, y: B) => C): (a: readonly A[], b: readonly B[]) => C[] {
  // BEGIN ASSIGN0.3
  return (a, b) => {
    if (a.length !== b.length) {
      throw new Error(`zipWith: lists must have equal length, got ${a.length} and ${b.length}`);
    }
    const out = new Array<C>(a.length);
    for (let i = 0; i < a.length; i++) out[i] = fn(a[i]!, b[i]!);
    return out;
  };
  // END ASSIGN0.3
}

/** Higher-order reduce: fn(…fn(fn(start, x0), x1)…, xn). */
export function reduce<A, B>(fn: (acc: B, x: A) => B, start: B): (ls: readonly A[]) => B {
  // BEGIN ASSIGN0.3
  return (ls) => {
    let acc = start;
    for (const x of ls) acc = fn(acc, x);
    return acc;
  };
  // END ASSIGN0.3
}

/** Negate every element of a list. */
export function negList(ls: readonly number[]): number[] {
  // BEGIN ASSIGN0.3
  return map(neg)(ls);
  // END ASSIGN0.3
}

/** Add two lists element by element. */
export function addLists(a: readonly number[], b: readonly number[]): number[] {
  // BEGIN ASSIGN0.3
  return zipWith(add)(a, b);
  // END ASSIGN0.3
}

/** Sum of a list (0 for the empty list). */
export function sum(ls: readonly number[]): number {
  // BEGIN ASSIGN0.3
  return reduce(add, 0)(ls);
  // END ASSIGN0.3
}

/** Product of a list (1 for the empty list). */
export function prod(ls: readonly number[]): number {
  // BEGIN ASSIGN0.3
  return reduce(mul, 1)(ls);
  // END ASSIGN0.3
}
