/**
 * A small, fast, seedable pseudo-random generator (sfc32, seeded through
 * splitmix32) used everywhere the library draws random numbers, so that the
 * same seed gives the same numbers on every run and platform.
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Restart the sequence from `seed` (any finite number; its integer bits are used). */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) throw new RangeError(`Random.seed: seed must be finite, got ${seed}`);
    let s = Math.trunc(seed) >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** A uniformly distributed 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniformly distributed number in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniformly distributed integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Random.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.random() * n);
  }

  /** Shuffle `items` in place (Fisher–Yates) and return it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }

  /** The full state, to save in a checkpoint. */
  getState(): [number, number, number, number] {
    return [this.a >>> 0, this.b >>> 0, this.c >>> 0, this.d >>> 0];
  }

  /** Restore a state from `getState()`. */
  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.some((x) => !Number.isInteger(x))) {
      throw new RangeError(`Random.setState: expected 4 integers, got [${state.join(", ")}]`);
    }
    [this.a, this.b, this.c, this.d] = state.map((x) => x | 0) as [number, number, number, number];
  }
}

/** The generator behind `rand()`, parameter initialisation and dropout. */
export const defaultRandom = new Random(0);

/** Reseed the library's default generator. */
export function manualSeed(seed: number): void {
  defaultRandom.seed(seed);
}
