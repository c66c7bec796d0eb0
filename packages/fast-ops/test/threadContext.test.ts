import { describe, expect, it } from "vitest";
import { ThreadContext, resetThreadContext, threadContext } from "../src/threadContext.js";
import { simdThread } from "../src/simd/kernels.js";

describe("threadContext", () => {
  it("scratch(name, 8) then (name, 4) is the same buffer; (name, 16) a larger one", () => {
    const ctx = new ThreadContext();
    const a = ctx.scratch("x", 8, Float64Array);
    expect(a.length).toBe(8);
    expect(ctx.scratch("x", 4, Float64Array)).toBe(a);
    const b = ctx.scratch("x", 16, Float64Array);
    expect(b).not.toBe(a);
    expect(b.length).toBe(16);
    expect(ctx.scratch("y", 4, Int32Array)).toBeInstanceOf(Int32Array);
  });

  it("scratch of a name under another element type is an error naming both types", () => {
    const ctx = new ThreadContext();
    ctx.scratch("taps", 4, Int32Array);
    expect(() => ctx.scratch("taps", 4, Float64Array)).toThrow('threadContext.scratch: "taps" is a Int32Array, asked for a Float64Array');
  });

  it("resource(name, create) calls create once", () => {
    const ctx = new ThreadContext();
    let made = 0;
    const first = ctx.resource("r", () => ({ n: ++made }));
    expect(ctx.resource("r", () => ({ n: ++made }))).toBe(first);
    expect(made).toBe(1);
  });

  it("threadContext() is one object per thread; reset gives a fresh one whose stamps go on counting", () => {
    const ctx = threadContext();
    expect(threadContext()).toBe(ctx);
    const simd = simdThread();
    const stamp = ctx.nextStamp();
    resetThreadContext();
    const fresh = threadContext();
    expect(fresh).not.toBe(ctx);
    expect(simdThread()).not.toBe(simd);
    expect(fresh.nextStamp()).toBeGreaterThan(stamp);
  });
});
