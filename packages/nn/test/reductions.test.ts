import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { fromArray, gradCheck, tensor, zeros, type Tensor } from "@minitorch/tensor-core";
import { argmax, logsoftmax, max, softmax } from "../src/index.js";
import { backends, distinctValues, expectClose, expectFloat32Agrees, floatArray, floatsIn, indicesOf, tensorOf } from "./helpers.js";

const runs = { numRuns: 30 };

/** Shapes of 1–3 dimensions with sizes 1–4, with a dimension of them. */
const shapeAndDim = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) => fc.record({ shape: fc.constant(shape), dim: fc.integer({ min: 0, max: shape.length - 1 }) }));
const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Random values for a shape and dim; `transposed` makes the input a non-contiguous view. */
const cases = shapeAndDim.chain(({ shape, dim }) =>
  fc.record({ shape: fc.constant(shape), dim: fc.constant(dim), values: floatArray(sizeOf(shape)), transposed: fc.boolean() }),
);
/** Distinct values (no ties) for a shape and dim. */
const distinctCases = shapeAndDim.chain(({ shape, dim }) =>
  fc.record({ shape: fc.constant(shape), dim: fc.constant(dim), values: distinctValues(sizeOf(shape)) }),
);

/**
 * For every slice along `dim` (row-major over the other dimensions), the
 * elements of the slice: the brute-force view of a reduction.
 */
function slices(t: Tensor, dim: number): number[][] {
  const outShape = t.shape.slice();
  outShape[dim] = 1;
  return [...indicesOf(outShape)].map((index) =>
    Array.from({ length: t.shape[dim]! }, (_, k) => {
      const at = index.slice();
      at[dim] = k;
      return t.get(...at);
    }),
  );
}

/** Softmax of one slice, computed stably in plain numbers. */
function softmaxOf(xs: number[]): number[] {
  const m = Math.max(...xs);
  const e = xs.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Log-softmax of one slice, computed stably in plain numbers. */
function logsoftmaxOf(xs: number[]): number[] {
  const m = Math.max(...xs);
  const lse = m + Math.log(xs.reduce((a, x) => a + Math.exp(x - m), 0));
  return xs.map((x) => x - lse);
}

describe("task4_4", () => {
  const t234 = (): Tensor =>
    fromArray(
      Array.from({ length: 24 }, (_, i) => (i * 7) % 24),
      [2, 3, 4],
    );

  it("max of a 2×3×4 tensor along each dim keeps the dim with size 1", () => {
    // Values (7·i) mod 24: row-major 0, 7, 14, 21, 4, 11, 18, 1, 8, 15, 22, 5 | 12, 19, 2, 9, 16, 23, 6, 13, 20, 3, 10, 17.
    expect(max(t234(), 2).toArray()).toEqual([
      [[21], [18], [22]],
      [[19], [23], [20]],
    ]);
    expect(max(t234(), 1).toArray()).toEqual([[[8, 15, 22, 21]], [[20, 23, 10, 17]]]);
    expect(max(t234(), 0).toArray()).toEqual([
      [
        [12, 19, 14, 21],
        [16, 23, 18, 13],
        [20, 15, 22, 17],
      ],
    ]);
  });

  for (const [name, backend] of backends) {
    it(`max of a random 2×3×4 tensor along each dim equals a brute-force max (${name})`, () => {
      fc.assert(
        fc.property(floatArray(24), fc.boolean(), (values, transposed) => {
          const t = tensorOf(values, [2, 3, 4], backend, transposed);
          for (const dim of [0, 1, 2]) {
            const out = max(t, dim);
            expect(out.shape).toEqual([2, 3, 4].map((s, d) => (d === dim ? 1 : s)));
            expect(Array.from(out.toFloat64Array())).toEqual(slices(t, dim).map((s) => Math.max(...s)));
          }
        }),
        runs,
      );
    });
  }

  it("max over random shapes and dims equals a brute-force max", () => {
    fc.assert(
      fc.property(cases, ({ shape, dim, values, transposed }) => {
        const t = tensorOf(values, shape, undefined, transposed);
        expect(Array.from(max(t, dim).toFloat64Array())).toEqual(slices(t, dim).map((s) => Math.max(...s)));
      }),
      runs,
    );
  });

  it("max's gradient without ties is the upstream gradient at the argmax and 0 elsewhere", () => {
    fc.assert(
      fc.property(distinctCases, fc.integer({ min: 1, max: 1000 }), ({ shape, dim, values }, seed) => {
        const t = fromArray(values, shape).requiresGrad_(true);
        const outShape = shape.map((s, d) => (d === dim ? 1 : s));
        const upstream = fromArray(
          Array.from({ length: sizeOf(outShape) }, (_, i) => ((seed * (i + 1)) % 17) + 1),
          outShape,
        );
        max(t, dim).backward(upstream);
        const gradSlices = slices(t.grad!, dim);
        slices(t, dim).forEach((slice, n) => {
          const at = slice.indexOf(Math.max(...slice));
          const want = slice.map((_, k) => (k === at ? upstream.storage[n]! : 0));
          expect(gradSlices[n]).toEqual(want);
        });
      }),
      runs,
    );
  });

  it("max's gradient with upstream ones sums to 1 over every slice (no ties)", () => {
    fc.assert(
      fc.property(distinctCases, ({ shape, dim, values }) => {
        const t = fromArray(values, shape).requiresGrad_(true);
        max(t, dim).sum().backward();
        expect(slices(t.grad!, dim).map((s) => s.reduce((a, b) => a + b, 0))).toEqual(slices(t, dim).map(() => 1));
      }),
      runs,
    );
  });

  it("gradCheck: max over random shapes and dims on inputs without ties", () => {
    fc.assert(
      fc.property(distinctCases, ({ shape, dim, values }) => {
        gradCheck((a) => max(a, dim), fromArray(values, shape));
      }),
      runs,
    );
  });

  it("ties [[3, 1, 3], [2, 2, 0]] along dim 1: every tied maximum receives the full gradient", () => {
    const t = tensor(
      [
        [3, 1, 3],
        [2, 2, 0],
      ],
      { requiresGrad: true },
    );
    max(t, 1).backward(tensor([[5], [7]]));
    expect(t.grad!.toArray()).toEqual([
      [5, 0, 5],
      [7, 7, 0],
    ]);
  });

  it("argmax [[1, 5, 2], [7, 0, 7]] along dims 1 and 0: one-hot, with a 1 at each tied maximum", () => {
    const t = tensor([
      [1, 5, 2],
      [7, 0, 7],
    ]);
    expect(argmax(t, 1).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
    expect(argmax(t, 0).toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 1],
    ]);
  });

  it("argmax without ties is one-hot at the brute-force maximum of each slice", () => {
    fc.assert(
      fc.property(distinctCases, ({ shape, dim, values }) => {
        const t = fromArray(values, shape);
        const hot = argmax(t, dim);
        expect(hot.shape).toEqual(shape);
        const hotSlices = slices(hot, dim);
        slices(t, dim).forEach((slice, n) => {
          const at = slice.indexOf(Math.max(...slice));
          expect(hotSlices[n]).toEqual(slice.map((_, k) => (k === at ? 1 : 0)));
        });
      }),
      runs,
    );
  });

  it("softmax [0, ln 2, ln 3] = [1/6, 2/6, 3/6]; logsoftmax = its log", () => {
    const t = tensor([0, Math.log(2), Math.log(3)]);
    expectClose(softmax(t, 0).toFloat64Array(), [1 / 6, 2 / 6, 3 / 6], 1e-15);
    expectClose(logsoftmax(t, 0).toFloat64Array(), [Math.log(1 / 6), Math.log(2 / 6), Math.log(3 / 6)], 1e-15);
  });

  for (const [name, backend] of backends) {
    it(`softmax sums to 1 along the dim, with every entry in [0, 1] (${name})`, () => {
      fc.assert(
        fc.property(cases, ({ shape, dim, values, transposed }) => {
          const q = softmax(tensorOf(values, shape, backend, transposed), dim);
          expect(q.shape).toEqual(shape);
          for (const x of q.toFloat64Array()) expect(x >= 0 && x <= 1).toBe(true);
          expectClose(q.sum(dim).toFloat64Array(), new Array<number>(sizeOf(shape) / shape[dim]!).fill(1), 1e-12);
        }),
        runs,
      );
    });
  }

  it("softmax and logsoftmax equal a stable per-slice computation", () => {
    fc.assert(
      fc.property(cases, ({ shape, dim, values, transposed }) => {
        const t = tensorOf(values, shape, undefined, transposed);
        expectClose(slices(softmax(t, dim), dim).flat(), slices(t, dim).flatMap(softmaxOf), 1e-12);
        expectClose(slices(logsoftmax(t, dim), dim).flat(), slices(t, dim).flatMap(logsoftmaxOf), 1e-12);
      }),
      runs,
    );
  });

  it("logsoftmax equals log(softmax), and softmax equals exp(logsoftmax)", () => {
    // Values in [−10, 10] keep softmax far from 0, where log(softmax) loses precision.
    fc.assert(
      fc.property(
        shapeAndDim.chain(({ shape, dim }) => fc.record({ shape: fc.constant(shape), dim: fc.constant(dim), values: floatArray(sizeOf(shape), -10, 10) })),
        ({ shape, dim, values }) => {
          const t = fromArray(values, shape);
          expectClose(logsoftmax(t, dim).toFloat64Array(), softmax(t, dim).log().toFloat64Array(), 1e-9);
          expectClose(softmax(t, dim).toFloat64Array(), logsoftmax(t, dim).exp().toFloat64Array(), 1e-12);
        },
      ),
      runs,
    );
  });

  it("inputs around ±1000 give finite, correct values and gradients", () => {
    const rows = [
      [1000, 1001, 999, 1000.5],
      [-1000, -1001, -999, -1000.5],
      [1000, -1000, 0, 999],
      [-1000, -1000, -1000, -1000],
    ];
    const upstream = tensor([
      [1, 2, 3, 4],
      [-1, 0.5, 2, 1],
      [3, 1, -2, 0.25],
      [1, 1, 1, 1],
    ]);
    for (const [fn, reference, gradOf] of [
      [logsoftmax, logsoftmaxOf, (xs: number[], g: number[]): number[] => {
        const p = softmaxOf(xs);
        const total = g.reduce((a, b) => a + b, 0);
        return g.map((gi, i) => gi - p[i]! * total);
      }],
      [softmax, softmaxOf, (xs: number[], g: number[]): number[] => {
        const p = softmaxOf(xs);
        const dot = p.reduce((a, pi, i) => a + pi * g[i]!, 0);
        return p.map((pi, i) => pi * (g[i]! - dot));
      }],
    ] as const) {
      const t = tensor(rows, { requiresGrad: true });
      const out = fn(t, 1);
      expect(out.toFloat64Array().every(Number.isFinite)).toBe(true);
      expectClose(out.toFloat64Array(), rows.flatMap(reference), 1e-12);
      out.backward(upstream);
      const grad = t.grad!.toFloat64Array();
      expect(grad.every(Number.isFinite)).toBe(true);
      const g = upstream.toArray() as number[][];
      expectClose(grad, rows.flatMap((r, i) => gradOf(r, g[i]!)), 1e-12);
    }
  });

  // gradCheck differentiates sum(fn(x)); the sum of a softmax is 1 whatever x
  // is, so the outputs are weighted to make every gradient non-trivial.
  const weighted = shapeAndDim.chain(({ shape, dim }) =>
    fc.record({
      shape: fc.constant(shape),
      dim: fc.constant(dim),
      values: floatArray(sizeOf(shape), -5, 5),
      weights: floatArray(sizeOf(shape), -3, 3),
    }),
  );

  it("gradCheck: softmax over random shapes and dims (outputs weighted)", () => {
    fc.assert(
      fc.property(weighted, ({ shape, dim, values, weights }) => {
        const w = fromArray(weights, shape);
        gradCheck((a) => softmax(a, dim).mul(w), fromArray(values, shape));
      }),
      runs,
    );
  });

  it("gradCheck: logsoftmax over random shapes and dims (outputs weighted)", () => {
    fc.assert(
      fc.property(weighted, ({ shape, dim, values, weights }) => {
        const w = fromArray(weights, shape);
        gradCheck((a) => logsoftmax(a, dim).mul(w), fromArray(values, shape));
      }),
      runs,
    );
  });

  it("gradCheck: softmax and logsoftmax of a 1×1×4×4 along dim 2 (minitorch's tests)", () => {
    fc.assert(
      fc.property(floatArray(16, -10, 10), (values) => {
        gradCheck((a) => softmax(a, 2), fromArray(values, [1, 1, 4, 4]));
        gradCheck((a) => logsoftmax(a, 2), fromArray(values, [1, 1, 4, 4]));
      }),
      { numRuns: 10 },
    );
  });

  it("softmax and logsoftmax are constant under a shift of the slice", () => {
    fc.assert(
      fc.property(cases, floatsIn(-50, 50), ({ shape, dim, values }, shift) => {
        const t = fromArray(values, shape);
        const moved = t.add(shift);
        expectClose(softmax(moved, dim).toFloat64Array(), softmax(t, dim).toFloat64Array(), 1e-9);
        expectClose(logsoftmax(moved, dim).toFloat64Array(), logsoftmax(t, dim).toFloat64Array(), 1e-9);
      }),
      runs,
    );
  });

});

describe("reduction argument checks (given with Task 4.4)", () => {
  it("bad input: a dim out of range is a RangeError naming the op, the valid range and the shape", () => {
    const t = zeros([2, 3, 4]);
    for (const [name, fn] of [
      ["max", max],
      ["argmax", argmax],
      ["softmax", softmax],
      ["logsoftmax", logsoftmax],
    ] as const) {
      for (const dim of [3, -1, 1.5]) {
        expect(() => fn(t, dim)).toThrow(RangeError);
        expect(() => fn(t, dim)).toThrow(new RegExp(`^${name}: dim must be an integer in \\[0, 3\\) for shape \\[2, 3, 4\\], got ${dim}$`));
      }
    }
  });
});

describe("reductions in float32", () => {
  const values = { values: Array.from({ length: 3 * 5 }, (_, i) => ((i * 7) % 15) / 2 - 3), shape: [3, 5] };
  for (const [name, backend] of backends) {
    it(`[${name}] max, softmax and logsoftmax along each dim of 3×5 agree with float64, values and gradients; argmax is exact`, () => {
      for (const dim of [0, 1]) {
        expectFloat32Agrees((x) => max(x, dim), [values], backend);
        expectFloat32Agrees((x) => softmax(x, dim), [values], backend);
        expectFloat32Agrees((x) => logsoftmax(x, dim), [values], backend);
        const x32 = fromArray(values.values, values.shape, { backend, dtype: "float32" });
        const a = argmax(x32, dim);
        expect(a.dtype).toBe("float32");
        expect(a.toArray()).toEqual(argmax(fromArray(values.values, values.shape, backend), dim).toArray());
      }
    });
  }
});
