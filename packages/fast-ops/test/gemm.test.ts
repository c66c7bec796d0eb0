/**
 * The fast path of matmul: FastBackend's packed GEMM (gemm.ts), with the
 * same tests as Task 3.2's kernel plus the packing itself.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { FastBackend, packB, packedGemm, poolStats, setThreads } from "../src/index.js";
import { matmulTests } from "./matmulSuite.js";

beforeAll(() => {
  if (poolStats().threads < 2) setThreads(2);
});

describe("packed GEMM (FastBackend)", () => {
  it("packB lays [[5,6],[7,8]] out as one 4-column panel padded with zeros; packedGemm then gives [[19,22],[43,50]]", () => {
    const { packed, packedOffsets } = packB(Float64Array.of(5, 6, 7, 8), Int32Array.of(0), 2, 1, 2, 2, (n) => new Float64Array(n));
    expect(Array.from(packed)).toEqual([5, 6, 0, 0, 7, 8, 0, 0]);
    expect(Array.from(packedOffsets)).toEqual([0]);
    const out = new Float64Array(4);
    packedGemm(out, Float64Array.of(1, 2, 3, 4), Int32Array.of(0), 2, 1, packed, packedOffsets, 2, 2, 2, 0, 1);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
  });

  it("packB packs a B shared by every batch once", () => {
    const { packed, packedOffsets } = packB(Float64Array.of(1, 2, 3, 4), Int32Array.of(0, 0, 0), 2, 1, 2, 2, (n) => new Float64Array(n));
    expect(packed.length).toBe(8);
    expect(Array.from(packedOffsets)).toEqual([0, 0, 0]);
  });

  matmulTests("fast", FastBackend);
});
