/**
 * Every WGSL operator against the float64 reference on NaN and ±Infinity
 * (issue 26, row 3): WGSL leaves NaN and infinities to the implementation
 * (SwiftShader's exp(NaN) was +Infinity, its log(NaN) 89.1), so each
 * operator must decide them explicitly, and this property test runs each
 * one — as map, zip and, for the reductions, reduce — on arrays mixing
 * NaN, ±Infinity, ±0 and ordinary values, on GpuBackend and SimpleBackend.
 */
import fc from "fast-check";
import { expect, it } from "vitest";
import { operators } from "@minitorch/autodiff";
import { SimpleBackend, fromArray } from "@minitorch/tensor-core";
import { GpuBackend, wgslOperatorNames } from "../src/index.js";
import { expectAgree } from "./agree.js";
import { describeGpu } from "./helpers.js";

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 0.5, -2.5, 3, 20, -20];
const values = (n: number): fc.Arbitrary<number[]> => fc.array(fc.constantFrom(...SPECIAL), { minLength: n, maxLength: n });
const fns = operators as unknown as Record<string, (...xs: number[]) => number>;
const unary = wgslOperatorNames.filter((name) => fns[name]!.length === 1);
const binary = wgslOperatorNames.filter((name) => fns[name]!.length === 2);
/** The operators the library reduces with. */
const reductions = ["add", "mul", "max"];

describeGpu("row 3: NaN-faithful WGSL operators (GpuBackend agrees with SimpleBackend on NaN and ±Infinity)", () => {
  it("every operator is covered", () => {
    expect([...unary, ...binary].sort()).toEqual([...wgslOperatorNames].sort());
    expect(unary.length).toBeGreaterThan(5);
  });

  it.each(unary)("map(%s) on every special value", (name) => {
    const x = SPECIAL;
    const got = GpuBackend.ops.map(fns[name]!)(fromArray(x, [x.length], GpuBackend));
    const want = SimpleBackend.ops.map(fns[name]!)(fromArray(x, [x.length], SimpleBackend));
    expectAgree(got, want, 1e-5);
  });

  it.each(binary)("zip(%s) on every pair of special values", (name) => {
    const x = SPECIAL.flatMap((a) => SPECIAL.map(() => a));
    const y = SPECIAL.flatMap(() => SPECIAL);
    const got = GpuBackend.ops.zip(fns[name]!)(fromArray(x, [x.length], GpuBackend), fromArray(y, [y.length], GpuBackend));
    const want = SimpleBackend.ops.zip(fns[name]!)(fromArray(x, [x.length], SimpleBackend), fromArray(y, [y.length], SimpleBackend));
    expectAgree(got, want, 1e-5);
  });

  it.each(reductions)("reduce(%s): random rows of special values", (name) => {
    const start = name === "mul" ? 1 : name === "max" ? -Infinity : 0;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 9 }), fc.context(), (rows, cols, ctx) => {
        const v = fc.sample(values(rows * cols), 1)[0]!;
        ctx.log(JSON.stringify(v.map(String)));
        const got = GpuBackend.ops.reduce(fns[name]!, start)(fromArray(v, [rows, cols], GpuBackend), 1);
        const want = SimpleBackend.ops.reduce(fns[name]!, start)(fromArray(v, [rows, cols], SimpleBackend), 1);
        expectAgree(got, want, 1e-5);
      }),
      { numRuns: 20 },
    );
  });

  it("map and zip: random arrays of special values, every operator", () => {
    fc.assert(
      fc.property(fc.constantFrom(...wgslOperatorNames), values(7), values(7), (name, a, b) => {
        const fn = fns[name]!;
        const [ga, sa] = [fromArray(a, [7], GpuBackend), fromArray(a, [7], SimpleBackend)];
        if (fn.length === 1) return expectAgree(GpuBackend.ops.map(fn)(ga), SimpleBackend.ops.map(fn)(sa), 1e-5);
        const [gb, sb] = [fromArray(b, [7], GpuBackend), fromArray(b, [7], SimpleBackend)];
        expectAgree(GpuBackend.ops.zip(fn)(ga, gb), SimpleBackend.ops.zip(fn)(sa, sb), 1e-5);
      }),
      { numRuns: 40 },
    );
  });
});
