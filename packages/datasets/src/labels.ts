/** Class labels ↔ one-hot rows. */

/**
 * One-hot encode integer labels.
 * @param labels N labels, each an integer in [0, classes)
 * @returns N × classes values, row-major: row i has 1 at column labels[i], 0 elsewhere
 */
export function oneHot(labels: ArrayLike<number>, classes: number): Float64Array {
  if (!Number.isInteger(classes) || classes <= 0) {
    throw new Error(`oneHot: classes must be a positive integer, got ${classes}`);
  }
  const out = new Float64Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l) || l < 0 || l >= classes) {
      throw new Error(`oneHot: label ${i} must be an integer in [0, ${classes}), got ${l}`);
    }
    out[i * classes + l] = 1;
  }
  return out;
}

/**
 * One-hot encode labels as nested rows (`number[][]`, N × classes), the shape
 * minitorch's `make_mnist` builds and `tensor()` accepts.
 */
export function oneHotRows(labels: ArrayLike<number>, classes: number): number[][] {
  const flat = oneHot(labels, classes);
  const rows: number[][] = [];
  for (let i = 0; i < labels.length; i++) rows.push(Array.from(flat.subarray(i * classes, (i + 1) * classes)));
  return rows;
}

/**
 * The inverse of {@link oneHot}: the column of the largest value of each row
 * (the first one on ties), so it also turns class scores into predictions.
 * @param rows N × classes values, row-major
 */
export function argmaxRows(rows: ArrayLike<number>, classes: number): Int32Array {
  if (!Number.isInteger(classes) || classes <= 0 || rows.length % classes !== 0) {
    throw new Error(`argmaxRows: length ${rows.length} is not a multiple of classes ${classes}`);
  }
  const n = rows.length / classes;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (rows[i * classes + c]! > rows[i * classes + best]!) best = c;
    out[i] = best;
  }
  return out;
}
