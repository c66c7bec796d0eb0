import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Context, Random, defaultRandom, manualSeed } from "@minitorch/autodiff";
import { SimpleBackend as BuiltSimpleBackend } from "@minitorch/tensor-core";
import {
  IndexingError,
  SimpleBackend,
  SimpleOps,
  Tensor,
  TensorBackend,
  TensorFunction,
  fromArray,
  gradCheck,
  ones,
  rand,
  tensor,
  zeros,
  type NestedArray,
} from "../src/index.js";
import { describeBackendSuite } from "./backendSuite.js";
import { float32 } from "./precision.js";
import { forwardValues } from "./tensorArbitraries.js";

// The shared suite runs on the built package (see backendSuite.ts), so it gets that copy's SimpleBackend.
describeBackendSuite("simple", BuiltSimpleBackend, { forward: "task2_3", gradients: "task2_4" });
// The same suite on float32 tensors, outside the course's task tags (the course is float64).
describeBackendSuite("simple float32", BuiltSimpleBackend, { forward: "float32 tensor suite", gradients: "float32 tensor suite gradients" }, float32);

/** exp whose backward forgets the factor exp(a): a deliberately wrong gradient. */
class WrongExp extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor): Tensor {
    return a.backend.expMap(a);
  }
  static override backward(_ctx: Context, grad: Tensor): Tensor {
    return grad;
  }
}

/** A two-input function whose backward returns one gradient. */
class OneGradForTwo extends TensorFunction {
  static override forward(_ctx: Context, a: Tensor, b: Tensor): Tensor {
    return a.backend.addZip(a, b);
  }
  static override backward(_ctx: Context, grad: Tensor): readonly Tensor[] {
    return [grad];
  }
}

describe("tensor creation and errors", () => {
  it("tensor([[2,3,4],[4,5,7]]) has shape [2,3]; one more level gives [1,2,3]", () => {
    const t = tensor([[2, 3, 4], [4, 5, 7]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.size).toBe(6);
    expect(t.dims).toBe(2);
    expect(t.get(1, 2)).toBe(7);
    expect(t.backend).toBe(SimpleBackend);
    expect(tensor([[[2, 3, 4], [4, 5, 7]]]).shape).toEqual([1, 2, 3]);
  });

  it("tensor of a list holds its elements in order", () => {
    fc.assert(
      fc.property(fc.array(forwardValues, { minLength: 1, maxLength: 20 }), (list) => {
        const t = tensor(list);
        expect(t.shape).toEqual([list.length]);
        list.forEach((x, i) => expect(t.get(i)).toBe(x));
      }),
      { numRuns: 50 },
    );
  });

  it("tensor(5) is 0-d: shape [], size 1, item() 5, toArray() 5", () => {
    const t = tensor(5);
    expect(t.shape).toEqual([]);
    expect(t.dims).toBe(0);
    expect(t.size).toBe(1);
    expect(t.item()).toBe(5);
    expect(t.get()).toBe(5);
    expect(t.toArray()).toBe(5);
    expect(tensor([]).shape).toEqual([0]);
  });

  it("tensor(…, { requiresGrad: true }) makes a leaf; detach() shares data without history", () => {
    const t = tensor([1, 2], { requiresGrad: true });
    expect(t.isLeaf()).toBe(true);
    expect(t.requiresGrad()).toBe(true);
    const d = t.mul(2).detach();
    expect(d.requiresGrad()).toBe(false);
    expect(d.toArray()).toEqual([2, 4]);
    expect(tensor([1]).requiresGrad()).toBe(false);
  });

  it("a ragged nested array is an IndexingError naming where it is ragged", () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(/tensor: ragged nested array: expected length 2 at \[1\], got length 1/);
    expect(() => tensor([[1, 2], 3])).toThrow(/expected length 2 at \[1\], got number/);
    expect(() => tensor([[[1], [2]], [[3], [4, 5]]])).toThrow(/expected length 1 at \[1, 1\], got length 2/);
  });

  it("a non-number element is an IndexingError naming its position and type", () => {
    expect(() => tensor([1, "a"] as unknown as NestedArray)).toThrow(/tensor: expected a number at \[1\], got string/);
    expect(() => tensor([[1], [[2]]])).toThrow(/tensor: expected a number at \[1, 0\], got an array/);
    expect(() => tensor([1, null] as unknown as NestedArray)).toThrow(IndexingError);
  });

  it("zeros, ones and rand make the shapes asked for", () => {
    expect(zeros([2, 3]).shape).toEqual([2, 3]);
    expect(Array.from(zeros([2, 3]).toFloat64Array())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(ones([2, 2]).toArray()).toEqual([[1, 1], [1, 1]]);
    expect(zeros([]).size).toBe(1);
    const r = rand([3, 4, 2]);
    expect(r.shape).toEqual([3, 4, 2]);
    expect(r.toFloat64Array().every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(r.toFloat64Array()).size).toBe(24);
    expect(() => zeros([2, -1])).toThrow(/zeros: shape must be a list of non-negative integers, got \[2, -1\]/);
    expect(() => rand([1.5])).toThrow(/rand: shape must be a list of non-negative integers/);
  });

  it("rand is reproducible from manualSeed / defaultRandom.seed, and an own Random leaves the default alone", () => {
    manualSeed(42);
    const a = rand([5]).toArray();
    manualSeed(42);
    expect(rand([5]).toArray()).toEqual(a);
    expect(rand([5]).toArray()).not.toEqual(a);
    defaultRandom.seed(42);
    expect(rand([5]).toArray()).toEqual(a);
    defaultRandom.seed(7);
    const next = defaultRandom.random();
    defaultRandom.seed(7);
    expect(rand([2], SimpleBackend, new Random(3)).toArray()).toEqual(rand([2], SimpleBackend, new Random(3)).toArray());
    expect(defaultRandom.random()).toBe(next);
  });

  it("fromArray fills a shape row-major; a size mismatch is an error naming both sizes", () => {
    expect(fromArray([1, 2, 3, 4, 5, 6], [3, 2]).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(() => fromArray([1, 2, 3], [2, 2])).toThrow(/fromArray: 3 values cannot fill shape \[2, 2\] \(4 elements\)/);
  });

  it("zip of shapes that do not broadcast names the op and both shapes", () => {
    expect(() => tensor([1, 2]).add(tensor([1, 2, 3]))).toThrow(/add: cannot broadcast shapes \[2\] and \[3\]/);
    expect(() => tensor([[1, 2]]).mul(tensor([[1], [2], [3]]).view(1, 3))).toThrow(/mul: cannot broadcast shapes \[1, 2\] and \[1, 3\]/);
    expect(() => tensor([1, 2]).lt(tensor([1, 2, 3]))).toThrow(/lt: cannot broadcast/);
    expect(() => tensor([1, 2]).add(tensor([1, 2, 3]))).toThrow(IndexingError);
  });

  it("matmul with mismatched inner dimensions or fewer than 2 dimensions is an error naming both shapes", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => a.matmul(a)).toThrow(/matmul: inner dimensions must match, got \[2, 3\] @ \[2, 3\] \(3 vs 2\)/);
    expect(() => tensor([1, 2, 3]).matmul(a.permute(1, 0))).toThrow(/matmul: both inputs need at least 2 dimensions, got \[3\] @ \[3, 2\]/);
    expect(() => a.matmul(tensor([1, 2, 3]))).toThrow(/at least 2 dimensions, got \[2, 3\] @ \[3\]/);
    expect(() => zeros([2, 2, 3]).matmul(zeros([3, 3, 2]))).toThrow(/matmul: cannot broadcast shapes \[2\] and \[3\]/);
  });

  it("view of a non-contiguous tensor is an error telling to call contiguous()", () => {
    const p = tensor([[2, 3, 4], [4, 5, 7]]).permute(1, 0);
    expect(() => p.view(6)).toThrow(/view: tensor of shape \[3, 2\] with strides \[1, 3\] is not contiguous; call contiguous\(\) first/);
  });

  it("view to a different size, or with a bad -1, is an error naming both shapes", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => a.view(4)).toThrow(/view: cannot view shape \[2, 3\] \(6 elements\) as \[4\] \(4 elements\)/);
    expect(() => a.view(4, -1)).toThrow(/view: cannot view shape \[2, 3\] \(6 elements\) as \[4, -1\]/);
    expect(() => a.view(-1, -1)).toThrow(/view: shape must be non-negative integers with at most one -1, got \[-1, -1\]/);
    expect(() => a.view(2.5, 2)).toThrow(/at most one -1, got \[2.5, 2\]/);
  });

  it("permute with a wrong order is an error naming order and shape", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => a.permute(0, 2)).toThrow(/permute: order must be a permutation of 0..1 for shape \[2, 3\], got \[0, 2\]/);
    expect(() => a.permute(0)).toThrow(/got \[0\]/);
  });

  it("get() out of range or with the wrong number of indices is an IndexingError", () => {
    const a = tensor([[2, 3, 4], [4, 5, 7]]);
    expect(() => a.get(50, 2)).toThrow(/index: \[50, 2\] is out of range for shape \[2, 3\]/);
    expect(() => a.get(1)).toThrow(/index: \[1\] must have 2 entries for shape \[2, 3\]/);
  });

  it("item() of a tensor with more than one element is an error naming the shape", () => {
    expect(() => tensor([1, 2]).item()).toThrow(/item: tensor must have exactly one element, got shape \[2\]/);
    expect(tensor([[3]]).item()).toBe(3);
  });

  it("a reduction over a dimension the tensor lacks is a RangeError naming the range", () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => a.sum(2)).toThrow(/dim must be an integer in \[0, 2\) for shape \[2, 3\], got 2/);
    expect(() => a.all(-1)).toThrow(RangeError);
  });

  it("an operand that is neither tensor nor number is a TypeError", () => {
    expect(() => tensor([1]).add("2" as unknown as number)).toThrow(/Tensor: operand must be a Tensor or a number, got string/);
  });

  it("gradCheck throws on a wrong gradient, naming input, index and both values", () => {
    const x = tensor([0, 1, 2]);
    expect(() => gradCheck((a) => WrongExp.apply(a), x)).toThrow(
      /gradCheck: gradient of input 0 \(shape \[3\]\) at \[1\] is 1, central difference gives 2\.718/,
    );
    expect(() => gradCheck((a) => a.exp(), tensor([0, 1, 2]))).not.toThrow();
  });

  it("gradCheck perOutput: an output the step does not touch cancels instead of rounding the sum away", () => {
    // sum(w · x²) at x = [1, 2] with w = [1, 1e12]: the total is 4e12, whose rounding (5e-4)
    // swamps the 4e-6 that a step of 1e-6 on x[0] changes it by; per output it is exact.
    const w = tensor([1, 1e12]);
    const f = (a: Tensor): Tensor => a.mul(a).mul(w);
    expect(() => gradCheck(f, tensor([1, 2]))).toThrow(/gradCheck: gradient of input 0 \(shape \[2\]\) at \[0\] is 2, central difference gives/);
    expect(() => gradCheck(f, tensor([1, 2]), { perOutput: true })).not.toThrow();
    expect(() => gradCheck((a) => WrongExp.apply(a), tensor([0, 1, 2]), { perOutput: true })).toThrow(/at \[1\] is 1, central difference gives 2\.718/);
  });

  it("gradCheck throws when an input receives no gradient", () => {
    expect(() => gradCheck((_a, b) => b.mul(2), tensor([1]), tensor([2]))).toThrow(/gradCheck: input 0 received no gradient/);
  });

  it("a TensorFunction without forward, or a backward with too few gradients, is an error naming the function", () => {
    class NoForward extends TensorFunction {}
    expect(() => NoForward.apply(tensor([1]))).toThrow(/NoForward.forward must be defined by the subclass/);
    const a = tensor([1], { requiresGrad: true });
    const out = OneGradForTwo.apply(a, tensor([2], { requiresGrad: true }));
    expect(() => out.sum().backward()).toThrow(/OneGradForTwo.backward returned 1 gradients for 2 inputs/);
  });
});

describe("tensor method errors name the method", () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([1, 2]);
  it.each([
    ["add", () => a.add(b)],
    ["sub", () => a.sub(b)],
    ["mul", () => a.mul(b)],
    ["div", () => a.div(b)],
    ["lt", () => a.lt(b)],
    ["gt", () => a.gt(b)],
    ["eq", () => a.eq(b)],
  ] as const)("%s of [2, 3] and [2] names %s and both shapes", (op, f) => {
    expect(f).toThrow(new RegExp(`^${op}: cannot broadcast shapes \\[2, 3\\] and \\[2\\]$`));
  });
  it.each([
    ["sum", () => a.sum(2)],
    ["mean", () => a.mean(-1)],
    ["all", () => a.all(1.5)],
  ] as const)("%s with a bad dim names %s", (op, f) => {
    expect(f).toThrow(new RegExp(`^${op}: dim must be an integer in \\[0, 2\\) for shape \\[2, 3\\]`));
  });
});

describe("dtype", () => {
  it("the default is float64; { dtype: \"float32\" } stores Float32Array on every creation function", () => {
    expect(tensor([1, 2]).dtype).toBe("float64");
    expect(tensor([1, 2]).storage).toBeInstanceOf(Float64Array);
    for (const t of [
      tensor([1.5, 2], { dtype: "float32" }),
      zeros([2], { dtype: "float32" }),
      ones([2], { dtype: "float32" }),
      rand([2], { dtype: "float32" }),
      fromArray([1, 2], [2], { dtype: "float32" }),
    ]) {
      expect(t.dtype).toBe("float32");
      expect(t.storage).toBeInstanceOf(Float32Array);
    }
  });

  it("fromArray of a Float32Array is float32 unless asked otherwise; of anything else float64", () => {
    expect(fromArray(Float32Array.of(1, 2), [2]).dtype).toBe("float32");
    expect(fromArray(Float32Array.of(1, 2), [2], { dtype: "float64" }).dtype).toBe("float64");
    expect(fromArray(Float32Array.of(1, 2), [2], SimpleBackend).dtype).toBe("float32");
    expect(fromArray(Float64Array.of(1, 2), [2]).dtype).toBe("float64");
    expect(fromArray([1, 2], [2]).dtype).toBe("float64");
  });

  it("float32 storage rounds: 0.1 is stored as Math.fround(0.1)", () => {
    expect(tensor([0.1], { dtype: "float32" }).item()).toBe(Math.fround(0.1));
    expect(tensor([0.1], { dtype: "float32" }).add(tensor([0.2], { dtype: "float32" })).item()).toBe(Math.fround(Math.fround(0.1) + Math.fround(0.2)));
  });

  it("a number operand takes the tensor's dtype", () => {
    const a = tensor([1, 2], { dtype: "float32" });
    expect(a.add(0.1).dtype).toBe("float32");
    expect(a.add(0.1).get(0)).toBe(Math.fround(1 + Math.fround(0.1)));
  });

  it("t.to(dtype) converts, and the gradient comes back in the source's dtype", () => {
    const x = tensor([0.1, 2], { requiresGrad: true });
    const y = x.to("float32");
    expect(y.dtype).toBe("float32");
    expect(y.toArray()).toEqual([Math.fround(0.1), 2]);
    expect(x.to("float64")).toBe(x);
    y.mul(3).sum().backward();
    expect(x.grad!.dtype).toBe("float64");
    expect(x.grad!.toArray()).toEqual([3, 3]);
    expect(() => x.to("float16" as never)).toThrow('to: expected a TensorBackend (SimpleBackend, FastBackend, …) or a dtype ("float32", "float64"), got "float16"');
  });

  it("gradCheck of a float32 input needs an explicit epsilon its elements can hold", () => {
    const x = tensor([0.5, 1], { dtype: "float32" });
    expect(() => gradCheck((a) => a.mul(a), x)).toThrow(
      'gradCheck: input 0 is float32; the default step 1e-6 vanishes in its rounding — check float64 inputs (x.to("float64")) or pass an epsilon its elements can hold',
    );
    gradCheck((a) => a.mul(a), x, { epsilon: 1 / 128, perOutput: true });
  });

  it("a backend whose storage is float64 only refuses float32 tensors, naming itself", () => {
    const legacy = new TensorBackend({ ...SimpleOps, name: "legacy", zeros: (n: number) => new Float64Array(n), empty: (n: number) => new Float64Array(n) });
    expect(() => zeros([2], { backend: legacy, dtype: "float32" })).toThrow('backend "legacy" cannot store float32 tensors (its storage is float64)');
    expect(zeros([2], { backend: legacy }).dtype).toBe("float64");
  });
});
