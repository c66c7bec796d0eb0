/**
 * Task 3.1: the loops of the parallel map, zip and reduce.
 *
 * Each loop takes minitorch's arguments plus a range [start, end) of output
 * positions, so the pool can hand ranges to different threads. It runs along
 * the last output dimension with positions stepped by strides; index
 * arithmetic happens only when a row ends. Operands that are contiguous and
 * have the output's shape take a flat loop.
 *
 * These functions are never called as they are: `fn` is not defined here.
 * elementwise.ts compiles a copy of a loop for each scalar function, from the
 * loop's source, with `fn` bound to that function — so V8 sees one call
 * target in the loop and inlines it (the JavaScript counterpart of Numba
 * compiling `fn` into the loop). A loop may therefore use only its arguments,
 * globals, `fn`, `sameLayout`, `broadcastStrides` and `ordinalIndex`.
 */

/** The scalar function a compiled copy of a loop is bound to. */
declare const fn: (...xs: number[]) => number;

/** True when both tensors are contiguous with equal shapes, so position i is element i of both. */
export function sameLayout(shapeA: Int32Array, stridesA: Int32Array, shapeB: Int32Array, stridesB: Int32Array): boolean {
  if (shapeA.length !== shapeB.length) return false;
  let expected = 1;
  for (let d = shapeA.length - 1; d >= 0; d--) {
    const s = shapeA[d]!;
    if (s !== shapeB[d]) return false;
    if (s !== 1 && (stridesA[d] !== expected || stridesB[d] !== expected)) return false;
    expected *= s;
  }
  return true;
}

/** Strides of an input aligned to the output's dimensions, 0 along broadcast ones. */
export function broadcastStrides(outShape: Int32Array, shape: Int32Array, strides: Int32Array): Int32Array {
  const dims = outShape.length;
  const lead = dims - shape.length;
  const out = new Int32Array(dims);
  for (let d = lead; d < dims; d++) out[d] = shape[d - lead] === 1 ? 0 : strides[d - lead]!;
  return out;
}

/** Writes into `idx` the index of `ordinal` when a tensor of `shape` is enumerated in row-major order. */
export function ordinalIndex(ordinal: number, shape: Int32Array, idx: Int32Array): void {
  let rest = ordinal;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d]!;
    const q = Math.floor(rest / s);
    idx[d] = rest - q * s;
    rest = q;
  }
}

/** out[i] = fn(a[j]) for output positions [start, end), j being i broadcast into a. */
export function mapLoop(
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  start: number,
  end: number,
): void {
  // BEGIN ASSIGN3.1
  if (start >= end) return;
  const dims = outShape.length;
  if (sameLayout(outShape, outStrides, aShape, aStrides)) {
    for (let i = start; i < end; i++) out[i] = fn(a[i]!);
    return;
  }
  if (dims === 0) {
    out[0] = fn(a[0]!);
    return;
  }
  const as = broadcastStrides(outShape, aShape, aStrides);
  const idx = new Int32Array(dims);
  ordinalIndex(start, outShape, idx);
  let po = 0;
  let pa = 0;
  for (let d = 0; d < dims; d++) {
    po += idx[d]! * outStrides[d]!;
    pa += idx[d]! * as[d]!;
  }
  const last = dims - 1;
  const nLast = outShape[last]!;
  const os = outStrides[last]!;
  const sa = as[last]!;
  let remaining = end - start;
  for (;;) {
    const n = Math.min(nLast - idx[last]!, remaining);
    if (os === 1 && sa === 1) {
      for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k]!);
    } else {
      for (let k = 0; k < n; k++) out[po + k * os] = fn(a[pa + k * sa]!);
    }
    remaining -= n;
    if (remaining <= 0) return;
    idx[last] = idx[last]! + n;
    po += n * os;
    pa += n * sa;
    // Carry into the outer dimensions.
    let d = last;
    while (idx[d]! >= outShape[d]!) {
      po -= idx[d]! * outStrides[d]!;
      pa -= idx[d]! * as[d]!;
      idx[d] = 0;
      d--;
      idx[d] = idx[d]! + 1;
      po += outStrides[d]!;
      pa += as[d]!;
    }
  }
  // END ASSIGN3.1
}

/** out[i] = fn(a[ja], b[jb]) for output positions [start, end), with broadcasting. */
export function zipLoop(
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  b: Float64Array,
  bShape: Int32Array,
  bStrides: Int32Array,
  start: number,
  end: number,
): void {
  // BEGIN ASSIGN3.1
  if (start >= end) return;
  const dims = outShape.length;
  if (sameLayout(outShape, outStrides, aShape, aStrides) && sameLayout(outShape, outStrides, bShape, bStrides)) {
    for (let i = start; i < end; i++) out[i] = fn(a[i]!, b[i]!);
    return;
  }
  if (dims === 0) {
    out[0] = fn(a[0]!, b[0]!);
    return;
  }
  const as = broadcastStrides(outShape, aShape, aStrides);
  const bs = broadcastStrides(outShape, bShape, bStrides);
  const idx = new Int32Array(dims);
  ordinalIndex(start, outShape, idx);
  let po = 0;
  let pa = 0;
  let pb = 0;
  for (let d = 0; d < dims; d++) {
    po += idx[d]! * outStrides[d]!;
    pa += idx[d]! * as[d]!;
    pb += idx[d]! * bs[d]!;
  }
  const last = dims - 1;
  const nLast = outShape[last]!;
  const os = outStrides[last]!;
  const sa = as[last]!;
  const sb = bs[last]!;
  let remaining = end - start;
  for (;;) {
    const n = Math.min(nLast - idx[last]!, remaining);
    if (os === 1 && sa === 1 && sb === 1) {
      for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k]!, b[pb + k]!);
    } else if (os === 1 && sa === 1 && sb === 0) {
      const y = b[pb]!;
      for (let k = 0; k < n; k++) out[po + k] = fn(a[pa + k]!, y);
    } else if (os === 1 && sa === 0 && sb === 1) {
      const x = a[pa]!;
      for (let k = 0; k < n; k++) out[po + k] = fn(x, b[pb + k]!);
    } else {
      for (let k = 0; k < n; k++) out[po + k * os] = fn(a[pa + k * sa]!, b[pb + k * sb]!);
    }
    remaining -= n;
    if (remaining <= 0) return;
    idx[last] = idx[last]! + n;
    po += n * os;
    pa += n * sa;
    pb += n * sb;
    let d = last;
    while (idx[d]! >= outShape[d]!) {
      po -= idx[d]! * outStrides[d]!;
      pa -= idx[d]! * as[d]!;
      pb -= idx[d]! * bs[d]!;
      idx[d] = 0;
      d--;
      idx[d] = idx[d]! + 1;
      po += outStrides[d]!;
      pa += as[d]!;
      pb += bs[d]!;
    }
  }
  // END ASSIGN3.1
}

/**
 * out[i] = fn(…fn(fn(init, a[i₀]), a[i₁])…) over dimension `reduceDim` of a,
 * for output positions [start, end) (out has size 1 along reduceDim).
 */
export function reduceLoop(
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  reduceDim: number,
  init: number,
  start: number,
  end: number,
): void {
  // BEGIN ASSIGN3.1
  if (start >= end) return;
  const dims = outShape.length;
  const n = aShape[reduceDim]!;
  const rs = aStrides[reduceDim]!;
  const idx = new Int32Array(dims);
  ordinalIndex(start, outShape, idx);
  let po = 0;
  let pa = 0;
  for (let d = 0; d < dims; d++) {
    po += idx[d]! * outStrides[d]!;
    pa += idx[d]! * aStrides[d]!;
  }
  const last = dims - 1;
  for (let i = start; i < end; i++) {
    let acc = init;
    if (rs === 1) {
      for (let r = 0; r < n; r++) acc = fn(acc, a[pa + r]!);
    } else {
      for (let r = 0, j = pa; r < n; r++, j += rs) acc = fn(acc, a[j]!);
    }
    out[po] = acc;
    if (i + 1 === end) return;
    let d = last;
    idx[d] = idx[d]! + 1;
    po += outStrides[d]!;
    pa += aStrides[d]!;
    while (idx[d]! >= outShape[d]!) {
      po -= idx[d]! * outStrides[d]!;
      pa -= idx[d]! * aStrides[d]!;
      idx[d] = 0;
      d--;
      idx[d] = idx[d]! + 1;
      po += outStrides[d]!;
      pa += aStrides[d]!;
    }
  }
  // END ASSIGN3.1
}
