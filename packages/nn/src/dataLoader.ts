/**
 * PyTorch's DataLoader for tensors held in memory: batches of examples,
 * in order or shuffled by a seeded generator.
 */
import { Random } from "@minitorch/autodiff";
import { Tensor, fromArray, shapeSize } from "@minitorch/tensor-core";
import { checkOptions } from "./optim.js";

/** One batch: `batchSize` rows of x and the matching rows of y. */
export interface Batch {
  x: Tensor;
  y: Tensor;
}

export interface DataLoaderOptions {
  /** Examples per batch (default 1). */
  batchSize?: number;
  /** A new random order every pass (default false: in order). */
  shuffle?: boolean;
  /** Seed of the shuffling; the same seed gives the same sequence of orders (default 0). */
  seed?: number;
  /** Leave out a last batch smaller than batchSize (default false, as in PyTorch). */
  dropLast?: boolean;
}

/**
 * An iterable of `{ x, y }` batches over the first dimension of `x` and
 * `y` (which must agree in length). Each `for … of` is one pass (an
 * epoch); with `shuffle`, each pass draws a new order from a generator
 * seeded once, so a program run twice sees the same batches. Batches are
 * copies on the data's backend.
 */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly random: Random;
  private readonly data: { x: Tensor; y: Tensor };

  constructor(data: { x: Tensor; y: Tensor }, options: DataLoaderOptions = {}) {
    if (typeof data !== "object" || data === null || !(data.x instanceof Tensor) || !(data.y instanceof Tensor)) {
      throw new TypeError("DataLoader: data must be { x: Tensor, y: Tensor }");
    }
    checkOptions("DataLoader", data, ["x", "y"]);
    checkOptions("DataLoader", options, ["batchSize", "shuffle", "seed", "dropLast"]);
    const { x, y } = data;
    if (x.dims === 0 || y.dims === 0 || x.shape[0] !== y.shape[0]) {
      throw new RangeError(`DataLoader: x and y must have the same first dimension (examples), got shapes [${x.shape.join(", ")}] and [${y.shape.join(", ")}]`);
    }
    const batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${String(batchSize)}`);
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed)) throw new RangeError(`DataLoader: seed must be an integer, got ${String(seed)}`);
    for (const key of ["shuffle", "dropLast"] as const) {
      if (options[key] !== undefined && typeof options[key] !== "boolean") {
        throw new TypeError(`DataLoader: ${key} must be true or false, got ${String(options[key])}`);
      }
    }
    this.data = { x, y };
    this.batchSize = batchSize;
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.random = new Random(seed);
  }

  /** Number of examples. */
  get examples(): number {
    return this.data.x.shape[0]!;
  }

  /** Number of batches in a pass. */
  get length(): number {
    const n = this.examples / this.batchSize;
    return this.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const n = this.examples;
    const order = Array.from({ length: n }, (_, i) => i);
    if (this.shuffle) this.random.shuffle(order);
    const xs = this.data.x.toFloat64Array();
    const ys = this.data.y.toFloat64Array();
    for (let b = 0; b < this.length; b++) {
      const rows = order.slice(b * this.batchSize, (b + 1) * this.batchSize);
      yield { x: gather(xs, this.data.x, rows), y: gather(ys, this.data.y, rows) };
    }
  }
}

/** Rows `rows` of `t` (whose row-major values are `values`), as a new tensor on t's backend. */
function gather(values: Float64Array, t: Tensor, rows: readonly number[]): Tensor {
  const rest = t.shape.slice(1);
  const width = shapeSize(rest);
  const out = new Float64Array(rows.length * width);
  rows.forEach((r, i) => out.set(values.subarray(r * width, (r + 1) * width), i * width));
  return fromArray(out, [rows.length, ...rest], { backend: t.backend, dtype: t.dtype });
}
