import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, rand, type MapFn, type ReduceFn, type TensorBackend, type ZipFn } from "@minitorch/tensor-core";
import { CourseBackend, FastBackend, PARALLEL_MIN_COST, poolStats, setThreads } from "../src/index.js";
import { broadcastableTo, expectSameTensor, expectSameValues, layoutTensor, layouts, onWorkers, permutationOf, shapes, sizeOf } from "./helpers.js";

type Kernels<F> = ReadonlyArray<readonly [string, (backend: TensorBackend) => F]>;

const maps: Kernels<MapFn> = [
  ["neg", (b) => b.negMap],
  ["sigmoid", (b) => b.sigmoidMap],
  ["relu", (b) => b.reluMap],
  ["log", (b) => b.logMap],
  ["exp", (b) => b.expMap],
  ["id", (b) => b.idMap],
  ["inv", (b) => b.invMap],
];

const zips: Kernels<ZipFn> = [
  ["add", (b) => b.addZip],
  ["mul", (b) => b.mulZip],
  ["lt", (b) => b.ltZip],
  ["eq", (b) => b.eqZip],
  ["isClose", (b) => b.isCloseZip],
  ["reluBack", (b) => b.reluBackZip],
  ["sigmoidBack", (b) => b.sigmoidBackZip],
  ["logBack", (b) => b.logBackZip],
  ["invBack", (b) => b.invBackZip],
];

const reduces: Kernels<ReduceFn> = [
  ["add", (b) => b.addReduce],
  ["mul", (b) => b.mulReduce],
  ["max", (b) => b.maxReduce],
];

const runs = { numRuns: 40 };

/** The same values and layout on `backend` and SimpleBackend. */
const pairOn = (backend: TensorBackend, values: ArrayLike<number>, shape: readonly number[], perm: readonly number[]) =>
  [layoutTensor(values, shape, perm, backend), layoutTensor(values, shape, perm, SimpleBackend)] as const;

/**
 * Task 3.1's kernels run on CourseBackend (in a student copy, the
 * student's loops, on the workers too); FastBackend runs the library's
 * (operatorKernels.ts) and must agree with them and with SimpleBackend.
 */
const backends = [
  { suite: "task3_1 course", backend: CourseBackend },
  // The library's kernels pass whatever the student wrote: no task tag.
  { suite: "library kernels: fast", backend: FastBackend },
] as const;

/** Uniform values of `shape`, row-major. */
const randomValues = (shape: readonly number[]): Float64Array => rand(shape).toFloat64Array();

beforeAll(() => {
  // The worker tests need at least one worker, even on a one-core machine.
  if (poolStats().threads < 2) setThreads(2);
});

for (const { suite, backend: B } of backends) {
  const ops = B.ops;
  describe(suite, () => {
    it("map neg [[1,-2],[3,0]] = [[-1,2],[-3,-0]], on a transposed view too", () => {
      const a = fromArray([1, -2, 3, 0], [2, 2], B);
      expect(B.negMap(a).toArray()).toEqual([[-1, 2], [-3, -0]]);
      expect(B.negMap(a.permute(1, 0)).toArray()).toEqual([[-1, -3], [2, -0]]);
    });

    it("zip add [[1],[2]] + [10,20,30] broadcasts to [[11,21,31],[12,22,32]]", () => {
      const out = B.addZip(fromArray([1, 2], [2, 1], B), fromArray([10, 20, 30], [3], B));
      expect(out.toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
    });

    it("reduce add of [[1,2,3],[4,5,6]]: dim 0 = [[5,7,9]], dim 1 = [[6],[15]]; max dim 1 = [[3],[6]]", () => {
      const a = fromArray([1, 2, 3, 4, 5, 6], [2, 3], B);
      expect(B.addReduce(a, 0).toArray()).toEqual([[5, 7, 9]]);
      expect(B.addReduce(a, 1).toArray()).toEqual([[6], [15]]);
      expect(B.maxReduce(a, 1).toArray()).toEqual([[3], [6]]);
    });

    for (const [name, kernel] of maps) {
      it(`map ${name} on random shapes and layouts equals SimpleBackend`, () => {
        fc.assert(
          fc.property(layouts(), ({ shape, values, perm }) => {
            const [fast, simple] = pairOn(B, values, shape, perm);
            expectSameTensor(kernel(B)(fast), kernel(SimpleBackend)(simple));
          }),
          runs,
        );
      });
    }

    it("map into a larger `out` broadcasts its input, as SimpleBackend does", () => {
      const operands = shapes.chain((big) =>
        broadcastableTo(big).chain((small) => fc.tuple(layouts(fc.constant(small)), permutationOf(big.length).map((perm) => ({ big, perm })))),
      );
      fc.assert(
        fc.property(operands, ([a, out]) => {
          const [fast, simple] = pairOn(B, a.values, a.shape, a.perm);
          const zerosOf = (backend: TensorBackend) => layoutTensor(new Float64Array(sizeOf(out.big)), out.big, out.perm, backend);
          const fastOut = zerosOf(B);
          const simpleOut = zerosOf(SimpleBackend);
          expect(B.negMap(fast, fastOut)).toBe(fastOut);
          SimpleBackend.negMap(simple, simpleOut);
          expectSameTensor(fastOut, simpleOut);
        }),
        runs,
      );
    });

    for (const [name, kernel] of zips) {
      it(`zip ${name} on random shapes, layouts and broadcasts equals SimpleBackend`, () => {
        const operands = shapes.chain((big) =>
          fc
            .tuple(broadcastableTo(big), fc.boolean())
            .chain(([small, swap]) => {
              const [sa, sb] = swap ? [small, big] : [big, small];
              return fc.tuple(layouts(fc.constant(sa)), layouts(fc.constant(sb)));
            }),
        );
        fc.assert(
          fc.property(operands, ([a, b]) => {
            const [fa, sa] = pairOn(B, a.values, a.shape, a.perm);
            const [fb, sb] = pairOn(B, b.values, b.shape, b.perm);
            expectSameTensor(kernel(B)(fa, fb), kernel(SimpleBackend)(sa, sb));
          }),
          runs,
        );
      });
    }

    for (const [name, kernel] of reduces) {
      it(`reduce ${name} over every dim of random shapes and layouts equals SimpleBackend`, () => {
        fc.assert(
          fc.property(layouts(shapes, -2, 2), ({ shape, values, perm }) => {
            const [fast, simple] = pairOn(B, values, shape, perm);
            for (let dim = 0; dim < shape.length; dim++) {
              expectSameTensor(kernel(B)(fast, dim), kernel(SimpleBackend)(simple, dim));
            }
          }),
          runs,
        );
      });
    }

    it("a map of 1000 elements costs less than PARALLEL_MIN_COST and runs inline, without the pool", () => {
      expect(1000).toBeLessThan(PARALLEL_MIN_COST);
      const a = fromArray(randomValues([1000]), [1000], B);
      const before = poolStats();
      B.expMap(a);
      const after = poolStats();
      expect(after.parallelJobs).toBe(before.parallelJobs);
      expect(after.inlineJobs).toBe(before.inlineJobs);
    });

    it("map neg of 200,000 elements runs on the workers and equals SimpleBackend", async () => {
      const values = randomValues([200_000]);
      const fast = fromArray(values, [200_000], B);
      const before = poolStats().parallelJobs;
      const out = await onWorkers(() => B.negMap(fast), poolStats);
      expect(poolStats().parallelJobs).toBeGreaterThan(before);
      expectSameTensor(out, SimpleBackend.negMap(fromArray(values, [200_000])));
    });

    it("zip on [500, 400] with a transposed operand and a broadcast row runs on the workers and equals SimpleBackend", async () => {
      const aValues = randomValues([500, 400]);
      const bValues = randomValues([400]);
      const [fa, sa] = pairOn(B, aValues, [500, 400], [1, 0]);
      const [fb, sb] = pairOn(B, bValues, [400], [0]);
      expect(fa.isContiguous()).toBe(false);
      for (const [name, kernel] of zips.slice(0, 3)) {
        const out = await onWorkers(() => kernel(B)(fa, fb), poolStats);
        expect(out.shape, name).toEqual([500, 400]);
        expectSameTensor(out, kernel(SimpleBackend)(sa, sb));
        expectSameTensor(await onWorkers(() => kernel(B)(fb, fa), poolStats), kernel(SimpleBackend)(sb, sa));
      }
    });

    it("reduce add and max of 1000×300 over each dim (contiguous and transposed) run on the workers and equal SimpleBackend", async () => {
      const values = randomValues([1000, 300]);
      for (const perm of [[0, 1], [1, 0]]) {
        const [fast, simple] = pairOn(B, values, [1000, 300], perm);
        for (const [, kernel] of [reduces[0]!, reduces[2]!]) {
          for (const dim of [0, 1]) {
            const out = await onWorkers(() => kernel(B)(fast, dim), poolStats);
            expectSameTensor(out, kernel(SimpleBackend)(simple, dim));
          }
        }
      }
    });

    it("user functions that are not library operators run on the workers from their source: map x·3 + 1, zip x·y − 1, reduce Σ x²", async () => {
      const values = randomValues([200_000]);
      const others = randomValues([200_000]);
      const a = fromArray(values, [200_000], B);
      const b = fromArray(others, [200_000], B);
      const affine = ops.map((x) => x * 3 + 1);
      const mapped = await onWorkers(() => affine(a), poolStats);
      expectSameValues(mapped.toFloat64Array(), values.map((x) => x * 3 + 1), 0);
      const product = ops.zip((x, y) => x * y - 1);
      const zipped = await onWorkers(() => product(a, b.permute(0)), poolStats);
      expectSameValues(zipped.toFloat64Array(), values.map((x, i) => x * others[i]! - 1), 0);
      const squares = ops.reduce((acc, x) => acc + x * x, 0);
      const rows = a.view(500, 400);
      const reduced = await onWorkers(() => squares(rows, 1), poolStats);
      const expected = Array.from({ length: 500 }, (_, r) => values.slice(r * 400, r * 400 + 400).reduce((acc, x) => acc + x * x, 0));
      expect(reduced.shape).toEqual([500, 1]);
      expectSameValues(reduced.toFloat64Array(), expected, 0);
    });
  });
}

// Given code: the check runs before any student loop, so it passes on the stubs.
describe("kernel functions are self-contained", () => {
  for (const { backend: B } of backends) {
    const ops = B.ops;
    it(`[${ops.name}] a function that uses a variable from its surroundings is rejected when the kernel is made`, () => {
      const k = 3;
      expect(() => ops.map((x) => x * k)).toThrow(/map\(anonymous function\): the function uses k, a variable from its surroundings/);
      const scaleBy = (x: number, y: number): number => x * y * k;
      expect(() => ops.zip(scaleBy)).toThrow(/zip\(scaleBy\): the function uses k, a variable from its surroundings/);
      expect(() => ops.reduce(scaleBy, 0)).toThrow(/reduce\(scaleBy\): .*self-contained/);
    });
  }
});
