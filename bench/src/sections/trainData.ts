/**
 * Synthetic batches for the `train` section, shaped like the real data
 * (speed does not depend on the values): MNIST-sized images with pixel
 * values 0..255 and digit labels, and 100-d "embeddings" of 52-word
 * sentences with 0/1 labels. A fixed-seed generator keeps runs comparable.
 */
import type { makeBatch } from "@minitorch/train-mnist";
import type { sentimentBatch } from "@minitorch/train-sentiment";

export type MnistSplit = Parameters<typeof makeBatch>[0];
export type EncodedSplit = Parameters<typeof sentimentBatch>[0];

export interface MnistData {
  split: MnistSplit;
  batch: number;
  batches: number;
  /** The pixels again as float values (for tfjs), and one-hot labels. */
  pixels: Float64Array;
  oneHot: Float64Array;
}

export interface KimData {
  split: EncodedSplit;
  batch: number;
  batches: number;
  length: number;
  dim: number;
  features: number;
  embeddings: Float64Array;
  labels: number[];
}

/** mulberry32: a small seeded generator, uniform in [0, 1). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function mnistData(batch: number, batches: number): MnistData {
  const random = generator(1);
  const count = batch * batches;
  const bytes = new Uint8Array(count * 784);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  const labels = new Int32Array(count);
  const oneHot = new Float64Array(count * 10);
  for (let i = 0; i < count; i++) {
    labels[i] = Math.floor(random() * 10);
    oneHot[i * 10 + labels[i]!] = 1;
  }
  const split: MnistSplit = { images: Float64Array.from(bytes, (b) => b / 255), bytes, labels, count, height: 28, width: 28 };
  return { split, batch, batches, pixels: Float64Array.from(bytes), oneHot };
}

export function kimData(batch: number, batches: number, length = 52, dim = 100, features = 100): KimData {
  const random = generator(2);
  const count = batch * batches;
  const embeddings = new Float64Array(count * length * dim);
  for (let i = 0; i < embeddings.length; i++) embeddings[i] = random() - 0.5;
  const labels = Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
  return { split: { x: embeddings, shape: [count, length, dim], y: labels }, batch, batches, length, dim, features, embeddings, labels };
}
