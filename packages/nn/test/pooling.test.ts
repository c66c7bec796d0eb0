import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { IndexingError, fromArray, gradCheck, zeros, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { avgpool2d, maxpool2d, tile } from "../src/index.js";
import { backends, distinctValues, expectClose, expectFloat32Agrees, floatArray, indicesOf, tensorOf } from "./helpers.js";

const runs = { numRuns: 30 };

/** 0, 1, …, 15 as a 1×1×4×4 image. */
const iota16 = (): Tensor =>
  fromArray(
    Array.from({ length: 16 }, (_, i) => i),
    [1, 1, 4, 4],
  );

/** A batch whose height and width are multiples of the kernel. */
const poolShapes = fc.record({
  batch: fc.integer({ min: 1, max: 2 }),
  channel: fc.integer({ min: 1, max: 3 }),
  kh: fc.integer({ min: 1, max: 3 }),
  kw: fc.integer({ min: 1, max: 3 }),
  rows: fc.integer({ min: 1, max: 3 }),
  cols: fc.integer({ min: 1, max: 3 }),
});
type PoolShape = typeof poolShapes extends fc.Arbitrary<infer T> ? T : never;
const inputShape = (p: PoolShape): number[] => [p.batch, p.channel, p.rows * p.kh, p.cols * p.kw];
const sizeOf = (p: PoolShape): number => inputShape(p).reduce((a, b) => a * b, 1);

/** A pooling case: shape, values, and whether the input is a non-contiguous view. */
const poolCases = poolShapes.chain((p) => fc.record({ p: fc.constant(p), values: floatArray(sizeOf(p)), transposed: fc.boolean() }));
/** The same with distinct values, so no window has tied maxima. */
const distinctPoolCases = poolShapes.chain((p) => fc.record({ p: fc.constant(p), values: distinctValues(sizeOf(p)) }));

/** Pooling by plain loops: `reduce` of every kh×kw window, row-major over [B, C, H/kh, W/kw]. */
function naivePool(t: Tensor, kh: number, kw: number, reduce: (window: number[]) => number): number[] {
  const [batch, channel, height, width] = t.shape as [number, number, number, number];
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let c = 0; c < channel; c++) {
      for (let i = 0; i < height / kh; i++) {
        for (let j = 0; j < width / kw; j++) {
          const window: number[] = [];
          for (let di = 0; di < kh; di++) for (let dj = 0; dj < kw; dj++) window.push(t.get(b, c, i * kh + di, j * kw + dj));
          out.push(reduce(window));
        }
      }
    }
  }
  return out;
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const maximum = (xs: number[]): number => Math.max(...xs);

/** avgpool2d against a naive loop, its exact gradient and central differences on `backend`. */
function avgpoolTests(name: string, backend: TensorBackend): void {
  it(`avgpool2d equals a naive loop over random shapes and layouts (${name})`, () => {
    fc.assert(
      fc.property(poolCases, ({ p, values, transposed }) => {
        const t = tensorOf(values, inputShape(p), backend, transposed);
        const out = avgpool2d(t, [p.kh, p.kw]);
        expect(out.shape).toEqual([p.batch, p.channel, p.rows, p.cols]);
        expectClose(out.toFloat64Array(), naivePool(t, p.kh, p.kw, mean), 1e-12);
      }),
      runs,
    );
  });

  it(`avgpool2d's gradient is 1/(kh·kw) at every input element (${name})`, () => {
    fc.assert(
      fc.property(poolCases, ({ p, values, transposed }) => {
        const t = tensorOf(values, inputShape(p), backend, transposed).requiresGrad_(true);
        avgpool2d(t, [p.kh, p.kw]).sum().backward();
        expectClose(t.grad!.toFloat64Array(), new Array<number>(t.size).fill(1 / (p.kh * p.kw)), 1e-12);
      }),
      runs,
    );
  });
  it(`gradCheck: avgpool2d over random shapes, weighted so each output counts differently (${name})`, () => {
    fc.assert(
      fc.property(poolCases, ({ p, values, transposed }) => {
        const t = tensorOf(
          values.map((v) => v / 10),
          inputShape(p),
          backend,
          transposed,
        );
        const weights = fromArray(
          Array.from({ length: p.batch * p.channel * p.rows * p.cols }, (_, i) => 1 + i),
          [p.batch, p.channel, p.rows, p.cols],
          backend,
        );
        gradCheck((a) => avgpool2d(a, [p.kh, p.kw]).mul(weights), t);
      }),
      { numRuns: 15 },
    );
  });
}

const courseBackends = backends.filter(([name]) => name === "SimpleBackend" || name === "CourseBackend");

describe("avgpool2d library kernels", () => {
  for (const [name, backend] of backends.filter((b) => !courseBackends.includes(b))) avgpoolTests(name, backend);
});

describe("task4_3", () => {
  it("tile 1×1×4×4 by 2×2 → [1, 1, 2, 2, 4], each window along the last dim", () => {
    const [tiled, newHeight, newWidth] = tile(iota16(), [2, 2]);
    expect(tiled.shape).toEqual([1, 1, 2, 2, 4]);
    expect([newHeight, newWidth]).toEqual([2, 2]);
    expect(tiled.toArray()).toEqual([
      [
        [
          [
            [0, 1, 4, 5],
            [2, 3, 6, 7],
          ],
          [
            [8, 9, 12, 13],
            [10, 11, 14, 15],
          ],
        ],
      ],
    ]);
  });

  it("tile 1×1×4×4 by 2×1 → [1, 1, 2, 4, 2], windows down the columns", () => {
    const [tiled, newHeight, newWidth] = tile(iota16(), [2, 1]);
    expect(tiled.shape).toEqual([1, 1, 2, 4, 2]);
    expect([newHeight, newWidth]).toEqual([2, 4]);
    expect([tiled.get(0, 0, 0, 3, 0), tiled.get(0, 0, 0, 3, 1)]).toEqual([3, 7]);
    expect([tiled.get(0, 0, 1, 0, 0), tiled.get(0, 0, 1, 0, 1)]).toEqual([8, 12]);
  });

  it("avgpool2d 1×1×4×4 of 0..15: kernels 2×2, 2×1 and 1×2 against hand sums", () => {
    expect(avgpool2d(iota16(), [2, 2]).toArray()).toEqual([
      [
        [
          [(0 + 1 + 4 + 5) / 4, (2 + 3 + 6 + 7) / 4],
          [(8 + 9 + 12 + 13) / 4, (10 + 11 + 14 + 15) / 4],
        ],
      ],
    ]);
    expect(avgpool2d(iota16(), [2, 1]).toArray()).toEqual([
      [
        [
          [2, 3, 4, 5],
          [10, 11, 12, 13],
        ],
      ],
    ]);
    expect(avgpool2d(iota16(), [1, 2]).toArray()).toEqual([[[[0.5, 2.5], [4.5, 6.5], [8.5, 10.5], [12.5, 14.5]]]]);
  });

  it("avgpool2d of a random 1×1×4×4: the first window's mean for kernels 2×2, 2×1, 1×2 (minitorch's test_avg)", () => {
    fc.assert(
      fc.property(floatArray(16), (values) => {
        const t = fromArray(values, [1, 1, 4, 4]);
        const at = (i: number, j: number): number => t.get(0, 0, i, j);
        expectClose([avgpool2d(t, [2, 2]).get(0, 0, 0, 0)], [(at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1)) / 4]);
        expectClose([avgpool2d(t, [2, 1]).get(0, 0, 0, 0)], [(at(0, 0) + at(1, 0)) / 2]);
        expectClose([avgpool2d(t, [1, 2]).get(0, 0, 0, 0)], [(at(0, 0) + at(0, 1)) / 2]);
      }),
      runs,
    );
  });

  it("tile puts element [b, c, i·kh + di, j·kw + dj] at [b, c, i, j, di·kw + dj] (random shapes and layouts)", () => {
    fc.assert(
      fc.property(poolCases, ({ p, values, transposed }) => {
        const t = tensorOf(values, inputShape(p), undefined, transposed);
        const [tiled, newHeight, newWidth] = tile(t, [p.kh, p.kw]);
        expect(tiled.shape).toEqual([p.batch, p.channel, p.rows, p.cols, p.kh * p.kw]);
        expect([newHeight, newWidth]).toEqual([p.rows, p.cols]);
        const mismatches: string[] = [];
        for (const [b, c, i, j, k] of indicesOf(tiled.shape) as Iterable<[number, number, number, number, number]>) {
          const source = [b, c, i * p.kh + Math.floor(k / p.kw), j * p.kw + (k % p.kw)] as const;
          if (tiled.get(b, c, i, j, k) !== t.get(...source)) mismatches.push(`[${[b, c, i, j, k].join(", ")}]`);
        }
        expect(mismatches).toEqual([]);
      }),
      runs,
    );
  });

  // The student's avgpool2d runs on SimpleBackend and CourseBackend; PlainBackend and
  // FastBackend run the library's pooling kernel (below, under no task's tag).
  for (const [name, backend] of courseBackends) avgpoolTests(name, backend);

  it("gradCheck: avgpool2d 1×1×4×4 with kernels 2×2, 2×1, 1×2", () => {
    fc.assert(
      fc.property(floatArray(16, -10, 10), (values) => {
        for (const kernel of [[2, 2], [2, 1], [1, 2]] as const) gradCheck((a) => avgpool2d(a, kernel), fromArray(values, [1, 1, 4, 4]));
      }),
      { numRuns: 10 },
    );
  });
});

describe("avgpool2d and tile argument checks (given with Task 4.3)", () => {
  it("bad input: a kernel that does not divide H or W names both", () => {
    expect(() => avgpool2d(zeros([1, 1, 4, 4]), [3, 2])).toThrow(/avgpool2d: kernel 3×2 must divide the input's height and width, got 4×4/);
    expect(() => avgpool2d(zeros([1, 1, 4, 6]), [2, 4])).toThrow(/avgpool2d: kernel 2×4 must divide .* got 4×6/);
    expect(() => tile(zeros([2, 3, 5, 4]), [2, 2])).toThrow(IndexingError);
    expect(() => tile(zeros([2, 3, 5, 4]), [2, 2])).toThrow(/tile: kernel 2×2 must divide .* got 5×4/);
  });

  it("bad input: an input that is not 4-D names its shape", () => {
    expect(() => avgpool2d(zeros([4, 4]), [2, 2])).toThrow(/avgpool2d: input must be 4-D \[batch, channel, height, width\], got shape \[4, 4\]/);
    expect(() => avgpool2d(zeros([1, 1, 1, 4, 4]), [2, 2])).toThrow(/avgpool2d: input must be 4-D .* got shape \[1, 1, 1, 4, 4\]/);
    expect(() => tile(zeros([3, 4, 4]), [2, 2])).toThrow(/tile: input must be 4-D .* got shape \[3, 4, 4\]/);
  });

  it("bad input: zero, negative or fractional kernel sizes", () => {
    for (const kernel of [
      [0, 2],
      [2, 0],
      [-2, 2],
      [2, -1],
      [1.5, 2],
      [Number.NaN, 1],
    ] as const) {
      const shown = `\\[${kernel.join(", ")}\\]`;
      expect(() => avgpool2d(zeros([1, 1, 4, 4]), kernel)).toThrow(new RegExp(`avgpool2d: kernel must be two positive integers, got ${shown}`));
      expect(() => tile(zeros([1, 1, 4, 4]), kernel)).toThrow(new RegExp(`tile: kernel must be two positive integers, got ${shown}`));
    }
  });
});

describe("task4_4", () => {
  const image = (): Tensor =>
    fromArray(
      [
        [1, 5, 2, 0],
        [3, 4, 8, 7],
        [9, 0, 1, 1],
        [2, 6, 3, 12],
      ].flat(),
      [1, 1, 4, 4],
    );

  it("maxpool2d 1×1×4×4: kernels 2×2, 2×1 and 1×2 against hand maxima", () => {
    expect(maxpool2d(image(), [2, 2]).toArray()).toEqual([
      [
        [
          [5, 8],
          [9, 12],
        ],
      ],
    ]);
    expect(maxpool2d(image(), [2, 1]).toArray()).toEqual([
      [
        [
          [3, 5, 8, 7],
          [9, 6, 3, 12],
        ],
      ],
    ]);
    expect(maxpool2d(image(), [1, 2]).toArray()).toEqual([[[[5, 2], [4, 8], [9, 1], [6, 12]]]]);
  });

  it("maxpool2d of a random 1×1×4×4: the first window's maximum (minitorch's test_max_pool)", () => {
    fc.assert(
      fc.property(floatArray(16), (values) => {
        const t = fromArray(values, [1, 1, 4, 4]);
        const at = (i: number, j: number): number => t.get(0, 0, i, j);
        expect(maxpool2d(t, [2, 2]).get(0, 0, 0, 0)).toBe(Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1)));
        expect(maxpool2d(t, [2, 1]).get(0, 0, 0, 0)).toBe(Math.max(at(0, 0), at(1, 0)));
        expect(maxpool2d(t, [1, 2]).get(0, 0, 0, 0)).toBe(Math.max(at(0, 0), at(0, 1)));
      }),
      runs,
    );
  });

  for (const [name, backend] of backends) {
    it(`maxpool2d equals a naive loop over random shapes and layouts (${name})`, () => {
      fc.assert(
        fc.property(poolCases, ({ p, values, transposed }) => {
          const t = tensorOf(values, inputShape(p), backend, transposed);
          const out = maxpool2d(t, [p.kh, p.kw]);
          expect(out.shape).toEqual([p.batch, p.channel, p.rows, p.cols]);
          expect(Array.from(out.toFloat64Array())).toEqual(naivePool(t, p.kh, p.kw, maximum));
        }),
        runs,
      );
    });
  }

  it("maxpool2d's gradient without ties: 1 at each window's maximum, 0 elsewhere", () => {
    fc.assert(
      fc.property(distinctPoolCases, ({ p, values }) => {
        const t = tensorOf(values, inputShape(p)).requiresGrad_(true);
        maxpool2d(t, [p.kh, p.kw]).sum().backward();
        const grad = t.grad!;
        const maxima = naivePool(t, p.kh, p.kw, maximum);
        const got = naivePool(grad, p.kh, p.kw, (w) => w.reduce((a, b) => a + b, 0));
        expect(got).toEqual(maxima.map(() => 1));
        // Each window's single 1 sits where the window's maximum is.
        const atMax = naivePool(t, p.kh, p.kw, (w) => w.indexOf(Math.max(...w)));
        const gradAt = naivePool(grad, p.kh, p.kw, (w) => w.indexOf(1));
        expect(gradAt).toEqual(atMax);
      }),
      runs,
    );
  });

  it("gradCheck: maxpool2d on inputs without ties", () => {
    fc.assert(
      fc.property(distinctPoolCases, ({ p, values }) => {
        gradCheck((a) => maxpool2d(a, [p.kh, p.kw]), tensorOf(values, inputShape(p)));
      }),
      { numRuns: 15 },
    );
  });
});

describe("maxpool2d argument checks (given with Task 4.4)", () => {
  it("bad input: maxpool2d names itself for a non-dividing kernel, a wrong rank and a bad kernel", () => {
    expect(() => maxpool2d(zeros([1, 1, 4, 4]), [3, 3])).toThrow(/maxpool2d: kernel 3×3 must divide the input's height and width, got 4×4/);
    expect(() => maxpool2d(zeros([16]), [2, 2])).toThrow(/maxpool2d: input must be 4-D .* got shape \[16\]/);
    expect(() => maxpool2d(zeros([1, 1, 4, 4]), [0, 1])).toThrow(/maxpool2d: kernel must be two positive integers, got \[0, 1\]/);
  });
});

describe("pooling in float32", () => {
  // Distinct values (no ties for maxpool), a grid of 1/4 apart.
  const image = { values: Array.from({ length: 2 * 3 * 4 * 6 }, (_, i) => ((i * 37) % 144) / 4 - 18), shape: [2, 3, 4, 6] };
  for (const [name, backend] of backends) {
    it(`[${name}] tile, avgpool2d and maxpool2d of 2×3×4×6 with 2×3 windows agree with float64, values and gradients`, () => {
      expectFloat32Agrees((x) => tile(x, [2, 3])[0], [image], backend);
      expectFloat32Agrees((x) => avgpool2d(x, [2, 3]), [image], backend);
      expectFloat32Agrees((x) => maxpool2d(x, [2, 3]), [image], backend);
    });
  }
});
