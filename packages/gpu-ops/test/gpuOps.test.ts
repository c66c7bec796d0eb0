/**
 * GpuOps as a TensorOps: storage policy, which kernel an operation picks
 * (flat for contiguous operands, one invocation per output for reductions
 * with many outputs — each checked against SimpleBackend), CPU kernels
 * through runKernel, and its errors.
 */
import { describe, expect, it } from "vitest";
import { SimpleBackend, Tensor, fromArray, type Kernel, type KernelArg } from "@minitorch/tensor-core";
import { GpuBackend, GpuOps, coversStorage, gpu } from "../src/index.js";
import { describeGpu } from "./helpers.js";
import { expectAgree } from "./agree.js";

/** Jobs of kernel `name` that `f` runs. */
function jobsOf(name: string, f: () => void): number {
  const before = gpu.stats().byKernel[name] ?? 0;
  f();
  return (gpu.stats().byKernel[name] ?? 0) - before;
}

const ramp = (n: number, backend = GpuBackend, shape: number[] = [n]): Tensor =>
  fromArray(
    Array.from({ length: n }, (_, i) => ((i * 13) % 29) - 14),
    shape,
    backend,
  );

describe("GpuOps", () => {
  it("storage of 1024 elements or more is a SharedArrayBuffer (the GPU thread reads it in place), smaller a plain array", () => {
    expect(GpuOps.zeros(1024).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(GpuOps.empty(4096).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(GpuOps.zeros(1023).buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(GpuOps.zeros(3))).toEqual([0, 0, 0]);
  });

  it("coversStorage: true when a layout fills its storage exactly once, in any order", () => {
    const s = new Float64Array(6);
    expect(coversStorage(Tensor.fromStorage(s, [2, 3], undefined, GpuBackend))).toBe(true);
    expect(coversStorage(Tensor.fromStorage(s, [3, 2], [1, 3], GpuBackend))).toBe(true);
    expect(coversStorage(Tensor.fromStorage(s, [2, 2], [3, 1], GpuBackend))).toBe(false);
    expect(coversStorage(Tensor.fromStorage(new Float64Array(4), [2, 1, 2], [2, 7, 1], GpuBackend))).toBe(true);
  });

  it("runKernel runs any CPU kernel on the host storage", () => {
    const fill: Kernel = {
      name: "fillIndex",
      module: "",
      fn: (...args: KernelArg[]) => {
        const [out, start, end] = args as [Float64Array, number, number];
        for (let i = start; i < end; i++) out[i] = i * 0.5;
      },
    };
    const out = GpuOps.zeros(5);
    GpuOps.runKernel(fill, [out], 5, 1);
    expect(Array.from(out)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it("tensors of more than 16 dimensions are refused, naming the op and the shape", () => {
    const a = fromArray([1], new Array(17).fill(1), GpuBackend);
    expect(() => a.neg()).toThrow(/neg map: GpuBackend handles tensors of at most 16 dimensions, got shape \[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1\]/);
  });

  describeGpu("kernel choice", () => {
    it("contiguous operands of one shape, and one-element operands, take the flat kernels", () => {
      const a = ramp(3000);
      const b = ramp(3000).neg();
      let sum: Tensor | undefined;
      expect(jobsOf("flat_zip(add)", () => (sum = a.add(b)))).toBe(1);
      expect(Array.from(sum!.storage).every((x) => x === 0)).toBe(true);
      let scaled: Tensor | undefined;
      expect(jobsOf("flat_zip(mul)", () => (scaled = a.mul(2)))).toBe(1);
      expectAgree(scaled!, ramp(3000, SimpleBackend).mul(2), 0);
      expect(jobsOf("flat_map(exp)", () => expectAgree(a.exp(), ramp(3000, SimpleBackend).exp(), 1e-6))).toBe(1);
    });

    it("a permuted or broadcast operand takes the general (Task 3.3) kernels", () => {
      const a = ramp(12, GpuBackend, [3, 4]);
      const row = ramp(4, GpuBackend, [4]);
      expect(jobsOf("tensor_zip(add)", () => expectAgree(a.add(row), ramp(12, SimpleBackend, [3, 4]).add(ramp(4, SimpleBackend, [4])), 0))).toBe(1);
      expect(jobsOf("tensor_map(neg)", () => expectAgree(a.permute(1, 0).neg(), ramp(12, SimpleBackend, [3, 4]).permute(1, 0).neg(), 0))).toBe(1);
    });

    it("a reduction with fewer outputs than a workgroup (64) shares each row in a workgroup; with more, one invocation per output", () => {
      const few = ramp(63 * 50, GpuBackend, [63, 50]);
      const many = ramp(64 * 50, GpuBackend, [64, 50]);
      expect(jobsOf("tensor_reduce(add)", () => expectAgree(few.sum(1), ramp(63 * 50, SimpleBackend, [63, 50]).sum(1), 0))).toBe(1);
      expect(jobsOf("row_reduce(add)", () => expectAgree(many.sum(1), ramp(64 * 50, SimpleBackend, [64, 50]).sum(1), 0))).toBe(1);
      expect(jobsOf("row_reduce(max)", () => expectAgree(GpuBackend.maxReduce(many.permute(1, 0), 0), SimpleBackend.maxReduce(ramp(64 * 50, SimpleBackend, [64, 50]).permute(1, 0), 0), 0))).toBe(1);
    });
  });
});
