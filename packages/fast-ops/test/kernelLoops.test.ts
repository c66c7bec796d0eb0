/**
 * How the Task 3.1 kernels reach the threads: CourseBackend's workers import
 * kernelLoops.ts and build its kernels there, so an error in a loop names
 * that file; MINITORCH_INLINE=1 keeps every kernel on the calling thread.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { operators } from "@minitorch/autodiff";
import { broadcastIndex, indexToPosition, rand, toIndex } from "@minitorch/tensor-core";
import { CourseBackend, CourseOps, fastMap, fastZip, poolStats, setThreads } from "../src/index.js";
import { onWorkers, permutationOf, shapes, sizeOf } from "./helpers.js";

describe("task3_1 kernels as modules", () => {
  it("an error thrown inside a course map, on a worker or inline, names kernelLoops and a line", async () => {
    if (poolStats().threads < 2) setThreads(2);
    const explode = CourseOps.map((x) => {
      if (x > 0.25) throw new Error("too big");
      return x;
    });
    const small = rand([200_000], CourseBackend).mul(0.1);
    await onWorkers(() => explode(small), poolStats);
    let caught: unknown = null;
    try {
      explode(rand([200_000], CourseBackend));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    const error = caught as Error;
    expect(error.message).toMatch(/^fnMap: too big/);
    const where = `${error.message}\n${(error.cause as Error | undefined)?.stack ?? ""}`;
    expect(where).toMatch(/kernelLoops\.(ts|js):\d+:\d+/);
  });
});

describe("operatorKernels.ts", () => {
  it("is what scripts/gen-operator-kernels.mjs makes from autodiff's operators (rerun it after adding an operator)", () => {
    const root = fileURLToPath(new URL("../../..", import.meta.url));
    const check = spawnSync(process.execPath, ["scripts/gen-operator-kernels.mjs", "--check"], { cwd: root, encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
  });
});

/** out[i] = f(a[ja], b[jb]) over [start, end) by the definition (Module 2's index functions), for checking the library's walks. */
function zipByDefinition(
  f: (x: number, y: number) => number,
  out: Float64Array,
  outShape: Int32Array,
  outStrides: Int32Array,
  a: Float64Array,
  aShape: Int32Array,
  aStrides: Int32Array,
  b: Float64Array,
  bShape: Int32Array,
  bStrides: Int32Array,
  start: number,
  end: number,
): void {
  const oi = new Int32Array(outShape.length);
  const ai = new Int32Array(aShape.length);
  const bi = new Int32Array(bShape.length);
  for (let i = start; i < end; i++) {
    toIndex(i, outShape, oi);
    broadcastIndex(oi, outShape, aShape, ai);
    broadcastIndex(oi, outShape, bShape, bi);
    out[indexToPosition(oi, outStrides)] = f(a[indexToPosition(ai, aStrides)]!, b[indexToPosition(bi, bStrides)]!);
  }
}

const rowMajor = (shape: readonly number[]): Int32Array => {
  const strides = new Int32Array(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; s *= shape[d]!, d--) strides[d] = s;
  return strides;
};

describe("library elementwise kernels (operatorKernels.ts, rowWalk.ts)", () => {
  it("zip add and map neg over any range [start, end) of permuted, broadcast operands equal the definition", () => {
    const cases = shapes.chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        perm: permutationOf(shape.length),
        bShape: fc.tuple(...shape.map((s) => fc.constantFrom(s, 1))),
        range: fc.tuple(fc.nat(sizeOf(shape)), fc.nat(sizeOf(shape))).map(([x, y]) => [Math.min(x, y), Math.max(x, y)] as const),
      }),
    );
    fc.assert(
      fc.property(cases, ({ shape, perm, bShape, range: [start, end] }) => {
        const size = sizeOf(shape);
        const a = Float64Array.from({ length: size }, (_, i) => Math.sin(i + 1));
        const b = Float64Array.from({ length: sizeOf(bShape) }, (_, i) => Math.cos(i + 1));
        // a is stored with its dimensions in the order `perm`.
        const stored = rowMajor(perm.map((p) => shape[p]!));
        const aStrides = new Int32Array(shape.length);
        perm.forEach((p, d) => (aStrides[p] = stored[d]!));
        const outShape = Int32Array.from(shape);
        const args = [outShape, rowMajor(shape), a, outShape, aStrides, b, Int32Array.from(bShape), rowMajor(bShape), start, end] as const;
        const got = new Float64Array(size);
        const expected = new Float64Array(size);
        fastZip(operators.add)(got, ...args);
        zipByDefinition(operators.add, expected, ...args);
        expect(got).toEqual(expected);
        const negGot = new Float64Array(size);
        fastMap(operators.neg)(negGot, outShape, rowMajor(shape), a, outShape, aStrides, start, end);
        const negExpected = new Float64Array(size);
        zipByDefinition((x) => -x, negExpected, ...args);
        expect(negGot).toEqual(negExpected);
      }),
      { numRuns: 300 },
    );
  });
});
