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
 * The rows of output positions [start, end) of a map (b null) or zip: after
 * each `next()` that returns true, `n` elements start at positions `po`,
 * `pa`, `pb` and step by `os`, `sa`, `sb` (0 for an operand broadcast along
 * the row).
 */
export class Rows {
  /** True when the range is one row in which position i is element i of every operand (a kernel may loop over i alone). */
  readonly flat: boolean;
  n = 0;
  po = 0;
  pa = 0;
  pb = 0;
  os = 1;
  sa = 1;
  sb = 1;
  private remaining: number;
  private readonly idx: Int32Array;
  private readonly as: Int32Array;
  private readonly bs: Int32Array;

  constructor(
    private readonly outShape: Int32Array,
    private readonly outStrides: Int32Array,
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
      this.idx = this.as = this.bs = NO_STRIDES;
      return;
    }
    this.as = broadcastStrides(outShape, aShape, aStrides);
    // A map has no b: pb then shadows pa, unread.
    this.bs = bShape === null ? this.as : broadcastStrides(outShape, bShape, bStrides!);
    this.idx = new Int32Array(dims);
    ordinalIndex(start, outShape, this.idx);
    for (let d = 0; d < dims; d++) {
      this.po += this.idx[d]! * outStrides[d]!;
      this.pa += this.idx[d]! * this.as[d]!;
      this.pb += this.idx[d]! * this.bs[d]!;
    }
    const last = dims - 1;
    this.os = outStrides[last]!;
    this.sa = this.as[last]!;
    this.sb = this.bs[last]!;
  }

  /** Moves to the next row; false when the range is done. */
  next(): boolean {
    const remaining = this.remaining;
    if (remaining <= 0) return false;
    const idx = this.idx;
    const last = idx.length - 1;
    if (last < 0) {
      this.n = remaining;
      this.remaining = 0;
      return true;
    }
    // n > 0: a row was handed out before this one.
    if (this.n > 0) this.advance(last);
    const n = Math.min(this.outShape[last]! - idx[last]!, remaining);
    this.n = n;
    this.remaining = remaining - n;
    return true;
  }

  /** Steps past the current row, carrying into the outer dimensions. */
  private advance(last: number): void {
    const idx = this.idx;
    const n = this.n;
    let po = this.po + n * this.os;
    let pa = this.pa + n * this.sa;
    let pb = this.pb + n * this.sb;
    idx[last] = idx[last]! + n;
    let d = last;
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

  constructor(
    private readonly outShape: Int32Array,
    private readonly outStrides: Int32Array,
    private readonly aStrides: Int32Array,
    start: number,
    end: number,
  ) {
    this.remaining = end - start;
    this.idx = new Int32Array(outShape.length);
    ordinalIndex(start, outShape, this.idx);
    for (let d = 0; d < outShape.length; d++) {
      this.po += this.idx[d]! * outStrides[d]!;
      this.pa += this.idx[d]! * aStrides[d]!;
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
