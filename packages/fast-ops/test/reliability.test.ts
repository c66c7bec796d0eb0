/**
 * The library's API under issue 26's probe: creation functions take the
 * same option forms, every backend refuses an async scalar function the
 * same way, and FastOps accepts every self-contained function (methods,
 * standard globals) while saying how to write one it refuses. Each test
 * names its row.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SimpleBackend, fromArray, ones, rand, tensor, zeros, type TensorBackend } from "@minitorch/tensor-core";
import { CourseBackend, FastBackend, FastOps, PlainBackend, poolStats, setThreads } from "../src/index.js";
import { expectSameValues, onWorkers } from "./helpers.js";

const backends: ReadonlyArray<readonly [string, TensorBackend]> = [
  ["SimpleBackend", SimpleBackend],
  ["FastBackend", FastBackend],
  ["PlainBackend", PlainBackend],
  ["CourseBackend", CourseBackend],
];

beforeAll(() => setThreads(2));

describe("reliability (issue 26): the library's API", () => {
  describe("row 17: rand/zeros/ones/fromArray take the options form tensor() takes", () => {
    it.each(backends)("%s: rand([2, 3], { backend }), zeros, ones, fromArray", (_, backend) => {
      const r = rand([2, 3], { backend });
      expect(r.backend).toBe(backend);
      expect(r.shape).toEqual([2, 3]);
      expect(r.toFloat64Array().every((v) => v >= 0 && v < 1)).toBe(true);
      expect(zeros([2], { backend }).toArray()).toEqual([0, 0]);
      expect(ones([2], { backend, dtype: "float64" }).toArray()).toEqual([1, 1]);
      const f32 = ones([2], { backend, dtype: "float32" });
      expect([f32.dtype, f32.storage instanceof Float32Array, f32.toArray()]).toEqual(["float32", true, [1, 1]]);
      expect(fromArray([1, 2], [2], { backend }).backend).toBe(backend);
      expect(zeros([2], backend).backend).toBe(backend);
    });

    it("requiresGrad in the options makes a leaf that takes a gradient", () => {
      const x = rand([3], { backend: SimpleBackend, requiresGrad: true });
      x.sum().backward();
      expect(x.grad?.toArray()).toEqual([1, 1, 1]);
      expect(tensor([1, 2], { requiresGrad: true }).requiresGrad()).toBe(true);
    });

    it.each([
      ["rand dtype float16", () => rand([2], { dtype: "float16" } as never), 'rand: options.dtype must be "float64" or "float32", got "float16"'],
      ["zeros dtype 32", () => zeros([2], { dtype: 32 } as never), 'zeros: options.dtype must be "float64" or "float32", got 32'],
      ["ones with a misspelt option", () => ones([2], { backnd: SimpleBackend } as never), 'ones: unknown option "backnd"; the options are backend, dtype and requiresGrad'],
      ["rand with a backend name", () => rand([2], { backend: "fast" } as never), "rand: options.backend must be a backend (SimpleBackend, FastBackend, …), got string"],
      ["rand with a number", () => rand([2], 3 as never), "rand: expected a backend or an options object { backend?, dtype?, requiresGrad? }, got number"],
      ["tensor with requiresGrad \"yes\"", () => tensor([1], { requiresGrad: "yes" } as never), 'tensor: options.requiresGrad must be true or false, got "yes"'],
    ] as const)("%s is refused naming the function and the option", (_, make, message) => {
      expect(make).toThrow(message);
    });
  });

  describe("row 18: map(async fn) is refused the same way on every backend", () => {
    it.each(backends)("%s", (_, backend) => {
      expect(() => backend.ops.map((async (x: number) => x * 2) as never)).toThrow("map(anonymous function): the function must return a number, not be async (its Promise would be stored as NaN)");
      async function half(x: number, y: number): Promise<number> {
        return x * y;
      }
      expect(() => backend.ops.zip(half as never)).toThrow("zip(half): the function must return a number, not be async");
      function* gen(x: number): Generator<number> {
        yield x;
      }
      expect(() => backend.ops.reduce(gen as never, 0)).toThrow("reduce(gen): the function must return a number, not be a generator");
    });
  });

  describe("row 19: self-contained functions are accepted; a refusal says how to write one", () => {
    const x = fromArray(Array.from({ length: 40_000 }, (_, i) => i / 7), [200, 200], FastBackend);
    const expected = x.toFloat64Array().map((v) => v * 2);

    it("an object's method (method shorthand), compiled as a function, in the workers too", async () => {
      const obj = {
        double(v: number): number {
          return v * 2;
        },
      };
      const mapped = await onWorkers(() => FastOps.map(obj.double)(x), poolStats);
      expectSameValues(mapped.toFloat64Array(), expected, 0);
    });

    it("a class's static method", async () => {
      class Scale {
        static double(v: number): number {
          return v * 2;
        }
      }
      const mapped = await onWorkers(() => FastOps.map(Scale.double)(x), poolStats);
      expectSameValues(mapped.toFloat64Array(), expected, 0);
    });

    it('the standard globals: (v) => parseFloat("2") * v', async () => {
      const mapped = await onWorkers(() => FastOps.map((v) => parseFloat("2") * v)(x), poolStats);
      expectSameValues(mapped.toFloat64Array(), expected, 0);
    });

    it("a function that cannot be rebuilt alone is refused with how to write it", () => {
      const k = 2;
      expect(() => FastOps.map((v) => v * k)).toThrow(/map\(anonymous function\): the function uses k, a variable from its surroundings/);
      const obj = {
        get double(): (v: number) => number {
          return (v) => v * 2;
        },
      };
      const getter = Object.getOwnPropertyDescriptor(obj, "double")!.get!;
      expect(() => FastOps.map(getter as never)).toThrow(/write it as an arrow function, \(x\) => 2 \* x, or a function expression/);
    });
  });
});
