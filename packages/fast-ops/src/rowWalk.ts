/**
 * How the library's elementwise kernels walk a range of output positions
 * ("how a library does it"; Task 3.1's loops in kernelLoops.ts are the
 * course's version). Instead of converting every ordinal to an index, as
 * minitorch's loops do, a walk converts `start` once and then hands out
 * rows: runs along the last output dimension where every operand moves by a
 * fixed stride. Index arithmetic happens only when a row ends. Operands that
 * are contiguous with the output's shape make the whole range one row.
 *
 * The walks carry no scalar function: each kernel of operatorKernels.ts
 * runs its own loop over the rows, so that its operator is the only call
 * target in it and V8 inlines it.
 */

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

const NO_STRIDES = new Int32Array(0);

/**
 * `shape` and each of `strides` without the dimensions where `shape` is 1:
 * their index is always 0, so they move no position, and dropping them
 * makes rows longer (an output of shape [n, 1] is one row, not n).
 */
function withoutUnitDims(shape: Int32Array, strides: readonly Int32Array[]): Int32Array[] {
  let kept = 0;
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) kept++;
  if (kept === shape.length) return [shape, ...strides];
  const out = [shape, ...strides].map(() => new Int32Array(kept));
  for (let d = 0, k = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    out[0]![k] = shape[d]!;
    for (let j = 0; j < strides.length; j++) out[j + 1]![k] = strides[j]![d]!;
    k++;
  }
  return out;
}

/**
 * The rows of output positions [start, end) of a map (b null) or zip, in
 * blocks: after each `next()` that returns true, `m` rows of `n` elements
 * start at positions `po`, `pa`, `pb`; along a row they step by `os`, `sa`,
 * `sb` (0 for an operand broadcast along it), from one row to the next by
 * `os2`, `sa2`, `sb2`. A block is a run of whole rows of one matrix (the
 * last two dimensions), or a part of a row where the range starts or ends
 * inside one, so a kernel steps short rows in its own locals.
 */
export class Rows {
  /** True when the range is one row in which position i is element i of every operand (a kernel may loop over i alone). */
  readonly flat: boolean;
  n = 0;
  m = 0;
  po = 0;
  pa = 0;
  pb = 0;
  os = 1;
  sa = 1;
  sb = 1;
  os2 = 0;
  sa2 = 0;
  sb2 = 0;
  private remaining: number;
  private readonly idx: Int32Array;
  private readonly outShape: Int32Array;
  private readonly outStrides: Int32Array;
  private readonly as: Int32Array;
  private readonly bs: Int32Array;

  constructor(
    outShape: Int32Array,
    outStrides: Int32Array,
    aShape: Int32Array,
    aStrides: Int32Array,
    bShape: Int32Array | null,
    bStrides: Int32Array | null,
    start: number,
    end: number,
  ) {
    this.remaining = end - start;
    const dims = outShape.length;
    this.flat =
      dims === 0 ||
      (sameLayout(outShape, outStrides, aShape, aStrides) && (bShape === null || sameLayout(outShape, outStrides, bShape, bStrides!)));
    if (this.flat) {
      // One row: position i is element i of every operand.
      this.po = this.pa = this.pb = start;
      this.idx = this.outShape = this.outStrides = this.as = this.bs = NO_STRIDES;
      return;
    }
    const as = broadcastStrides(outShape, aShape, aStrides);
    // A map has no b: pb then shadows pa, unread.
    const bs = bShape === null ? as : broadcastStrides(outShape, bShape, bStrides!);
    [this.outShape, this.outStrides, this.as, this.bs] = withoutUnitDims(outShape, [outStrides, as, bs]) as [Int32Array, Int32Array, Int32Array, Int32Array];
    const kept = this.outShape.length;
    this.idx = new Int32Array(kept);
    ordinalIndex(start, this.outShape, this.idx);
    for (let d = 0; d < kept; d++) {
      this.po += this.idx[d]! * this.outStrides[d]!;
      this.pa += this.idx[d]! * this.as[d]!;
      this.pb += this.idx[d]! * this.bs[d]!;
    }
    if (kept > 0) {
      this.os = this.outStrides[kept - 1]!;
      this.sa = this.as[kept - 1]!;
      this.sb = this.bs[kept - 1]!;
    }
    if (kept > 1) {
      this.os2 = this.outStrides[kept - 2]!;
      this.sa2 = this.as[kept - 2]!;
      this.sb2 = this.bs[kept - 2]!;
    }
  }

  /** Moves to the next block; false when the range is done. */
  next(): boolean {
    const remaining = this.remaining;
    if (remaining <= 0) return false;
    const idx = this.idx;
    const last = idx.length - 1;
    if (last < 0) {
      this.n = remaining;
      this.m = 1;
      this.remaining = 0;
      return true;
    }
    // m > 0: a block was handed out before this one.
    if (this.m > 0) this.advance(last);
    const width = this.outShape[last]!;
    if (last === 0 || idx[last] !== 0 || remaining < width) {
      this.n = Math.min(width - idx[last]!, remaining);
      this.m = 1;
    } else {
      this.n = width;
      this.m = Math.min(this.outShape[last - 1]! - idx[last - 1]!, Math.floor(remaining / width));
    }
    this.remaining = remaining - this.n * this.m;
    return true;
  }

  /** Steps past the current block, carrying into the outer dimensions. */
  private advance(last: number): void {
    const idx = this.idx;
    let po = this.po;
    let pa = this.pa;
    let pb = this.pb;
    let d = last;
    if (this.m === 1) {
      po += this.n * this.os;
      pa += this.n * this.sa;
      pb += this.n * this.sb;
      idx[last] = idx[last]! + this.n;
    } else {
      // Whole rows: idx[last] is 0 before and after.
      po += this.m * this.os2;
      pa += this.m * this.sa2;
      pb += this.m * this.sb2;
      d = last - 1;
      idx[d] = idx[d]! + this.m;
    }
    while (idx[d]! >= this.outShape[d]!) {
      const i = idx[d]!;
      po += this.outStrides[d - 1]! - i * this.outStrides[d]!;
      pa += this.as[d - 1]! - i * this.as[d]!;
      pb += this.bs[d - 1]! - i * this.bs[d]!;
      idx[d] = 0;
      d--;
      idx[d] = idx[d]! + 1;
    }
    this.po = po;
    this.pa = pa;
    this.pb = pb;
  }
}

/**
 * The output positions [start, end) of a reduce, one at a time: after each
 * `next()` that returns true, the output element is at `po` and its fold
 * starts at `pa` in the input.
 */
export class Cells {
  po = 0;
  pa = 0;
  private remaining: number;
  private started = false;
  private readonly idx: Int32Array;
  private readonly outShape: Int32Array;
  private readonly outStrides: Int32Array;
  private readonly aStrides: Int32Array;

  constructor(outShape: Int32Array, outStrides: Int32Array, aStrides: Int32Array, start: number, end: number) {
    this.remaining = end - start;
    [this.outShape, this.outStrides, this.aStrides] = withoutUnitDims(outShape, [outStrides, aStrides]) as [Int32Array, Int32Array, Int32Array];
    const kept = this.outShape.length;
    this.idx = new Int32Array(kept);
    ordinalIndex(start, this.outShape, this.idx);
    for (let d = 0; d < kept; d++) {
      this.po += this.idx[d]! * this.outStrides[d]!;
      this.pa += this.idx[d]! * this.aStrides[d]!;
    }
  }

  /** Moves to the next output element; false when the range is done. */
  next(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    if (this.started) this.advance();
    this.started = true;
    return true;
  }

  private advance(): void {
    const { idx, outShape, outStrides, aStrides } = this;
    let d = idx.length - 1;
    idx[d] = idx[d]! + 1;
    this.po += outStrides[d]!;
    this.pa += aStrides[d]!;
    while (idx[d]! >= outShape[d]!) {
      this.po += outStrides[d - 1]! - idx[d]! * outStrides[d]!;
      this.pa += aStrides[d - 1]! - idx[d]! * aStrides[d]!;
      idx[d] = 0;
      d--;
      idx[d] = idx[d]! + 1;
    }
  }
}
