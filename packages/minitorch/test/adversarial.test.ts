/**
 * The tensor API as a skeptical new user tries it (issue 17): every input
 * gets a clear answer — the same on every backend, for every size, whether
 * the worker pool is up or not. Run on the BUILT umbrella package, as user
 * code imports it. Each test names the row of the issue it keeps fixed.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import * as mt from "minitorch";

const { FastBackend, FastOps, SimpleBackend, tensor, zeros, rand } = mt;
const backends = [
  ["simple", SimpleBackend],
  ["fast", FastBackend],
] as const;

describe("adversarial: the tensor API", () => {
  describe("row 3: a map/zip/reduce function is accepted or refused from its source, once, for every size and pool state", () => {
    it("a free variable is refused when the kernel is made, naming the op and the variable, even where a trial call would pass", () => {
      const k = 2;
      // 0.5 never takes the branch that reads k: only reading the source finds it.
      expect(() => FastOps.map((x: number) => (x > 0.9 ? x * k : x))).toThrow(
        /^map\(anonymous function\): the function uses k, a variable from its surroundings; .*self-contained/,
      );
      expect(() => FastOps.zip(function scaled(x: number, y: number) { return y > 0.9 ? x * k : x; })).toThrow(/^zip\(scaled\): the function uses k,/);
      expect(() => FastOps.reduce((acc: number, x: number) => (x > 0.9 ? acc + k : acc + x), 0)).toThrow(/^reduce\(anonymous function\): the function uses k,/);
    });

    it("refusals name what is wrong: a built-in, `this`, an async function (a method is compiled as a function: issue 26 row 19)", () => {
      expect(() => FastOps.map(Math.abs)).toThrow(/^map\(abs\): a built-in or bound function has no source/);
      expect(() => FastOps.map(function (this: { k: number }, x: number) { return x * this.k; })).toThrow(/uses `this`/);
      const holder = { twice(x: number): number { return 2 * x; } };
      expect(FastOps.map(holder.twice)(mt.fromArray([1.5], [1], FastBackend)).toArray()).toEqual([3]);
      expect(() => FastOps.map((async (x: number) => x) as unknown as (x: number) => number)).toThrow(/must return a number, not be async/);
    });

    it("a self-contained function (its own variables, Math, Number, itself by name) gives the same values inline and on the pool", () => {
      const fn = FastOps.map(function clampSteps(x: number): number {
        const steps = Math.floor(x * 10);
        return steps > 5 ? clampSteps(x / 2) : Number.isFinite(steps) ? steps : NaN;
      });
      const reference = (x: number): number => {
        let v = x;
        for (;;) {
          const steps = Math.floor(v * 10);
          if (steps > 5) v /= 2;
          else return steps;
        }
      };
      for (const size of [10, 200_000]) {
        const a = rand([size], FastBackend);
        const out = fn(a).toFloat64Array();
        const values = a.toFloat64Array();
        for (let i = 0; i < size; i += Math.max(1, size / 1000)) expect(out[i]).toBe(reference(values[i]!));
      }
      const made = FastOps.map(new Function("x", "return x * 3") as (x: number) => number);
      expect(made(tensor([1, 2], { backend: FastBackend })).toArray()).toEqual([3, 6]);
    });
  });

  describe.each(backends)("row 5: NaN as in PyTorch on %s", (_name, backend) => {
    const t = (data: mt.NestedArray): mt.Tensor => tensor(data, { backend });

    it("relu(NaN) = NaN; comparisons with NaN are 0", () => {
      expect(t([NaN, -1, 2]).relu().toArray()).toEqual([NaN, 0, 2]);
      expect(t([NaN, 1]).lt(t([1, NaN])).toArray()).toEqual([0, 0]);
      expect(t([NaN, 1]).eq(t([NaN, 1])).toArray()).toEqual([0, 1]);
    });

    it("max([[NaN, 1]], 1) = max([[1, NaN]], 1) = NaN: the position of the NaN does not matter", () => {
      expect(mt.max(t([[NaN, 1]]), 1).toArray()).toEqual([[NaN]]);
      expect(mt.max(t([[1, NaN]]), 1).toArray()).toEqual([[NaN]]);
      expect(mt.max(t([[1, NaN, 3], [4, 5, 6]]), 1).toArray()).toEqual([[NaN], [6]]);
    });

    it("argmax of a row holding NaN points at the NaN; other rows are unchanged", () => {
      expect(mt.argmax(t([[1, NaN, 3], [4, 6, 5]]), 1).toArray()).toEqual([[0, 1, 0], [0, 1, 0]]);
      expect(mt.argmax(t([[NaN, 2], [3, 1]]), 1).toArray()).toEqual([[1, 0], [1, 0]]);
    });

    it("max's gradient flows to the NaN; maxpool2d of a window holding NaN is NaN", () => {
      const x = t([[1, NaN, 3]]).requiresGrad_(true);
      mt.max(x, 1).sum().backward();
      expect(x.grad!.toArray()).toEqual([[0, 1, 0]]);
      const image = t([[[[1, 2, 3, 4], [5, NaN, 7, 8]]]]);
      expect(mt.maxpool2d(image, [2, 2]).toArray()).toEqual([[[[NaN, 8]]]]);
    });
  });

  describe.each(backends)("rows 9-10: gradients as PyTorch defines them, on %s", (_name, backend) => {
    it("row 9: requiresGrad_(true) on a computed tensor keeps it in the graph: x.grad is 2 after (x·2).sum().backward()", () => {
      const x = tensor([1, 2], { backend, requiresGrad: true });
      const y = x.mul(2);
      y.requiresGrad_(true);
      y.sum().backward();
      expect(x.grad?.toArray()).toEqual([2, 2]);
    });

    it("row 9: requiresGrad_(false) on a computed tensor is an error pointing at detach()", () => {
      const y = tensor([1, 2], { backend, requiresGrad: true }).mul(2);
      expect(() => y.requiresGrad_(false)).toThrow(/^requiresGrad_: only leaf tensors can stop tracking gradients; this one was computed by Mul — use detach\(\)/);
    });

    it("row 10: a second backward through the same graph is an error unless the first kept it", () => {
      const x = tensor([1, 2], { backend, requiresGrad: true });
      const loss = x.mul(x).sum();
      loss.backward();
      expect(() => loss.backward()).toThrow(/^backward: trying to backward through the graph a second time/);
      expect(x.grad?.toArray()).toEqual([2, 4]);
      const kept = x.mul(x).sum();
      kept.backward(undefined, { retainGraph: true });
      kept.backward();
      expect(x.grad?.toArray()).toEqual([6, 12]);
    });

    it("row 10: backward on a tensor that does not require a gradient is an error", () => {
      expect(() => tensor([1, 2], { backend }).sum().backward()).toThrow(/^backward: this tensor of shape \[1\] does not require a gradient/);
    });
  });

  describe.each(backends)("row 11: empty tensors on %s", (_name, backend) => {
    it("max and argmax over an empty dimension are errors, not −Infinity", () => {
      expect(() => mt.max(zeros([2, 0], backend), 1)).toThrow(/^max: dim 1 of shape \[2, 0\] is empty; the max of no elements is undefined$/);
      expect(() => mt.argmax(zeros([0, 3], backend), 0)).toThrow(/^argmax: dim 0 of shape \[0, 3\] is empty/);
    });

    it("a sum over an empty dimension is 0; a mean over one is an error", () => {
      expect(zeros([2, 0], backend).sum(1).toArray()).toEqual([[0], [0]]);
      expect(() => zeros([2, 0], backend).mean(1)).toThrow(/^mean: dim 1 of shape \[2, 0\] is empty/);
      expect(() => zeros([0], backend).mean()).toThrow(/^mean: the tensor of shape \[0\] is empty/);
    });

    it("conv1d and conv2d of a batch of 0 give an empty batch, like Linear and avgpool2d; backward gives a zero weight gradient", () => {
      const x1 = zeros([0, 2, 5], backend).requiresGrad_(true);
      const w1 = rand([3, 2, 2], backend).requiresGrad_(true);
      const out1 = mt.conv1d(x1, w1);
      expect(out1.shape).toEqual([0, 3, 5]);
      out1.sum().backward();
      expect(w1.grad!.toArray()).toEqual(zeros([3, 2, 2], backend).toArray());
      const x2 = zeros([0, 2, 4, 4], backend);
      const w2 = rand([3, 2, 2, 2], backend).requiresGrad_(true);
      const out2 = mt.conv2d(x2, w2);
      expect(out2.shape).toEqual([0, 3, 4, 4]);
      out2.sum().backward();
      expect(w2.grad!.toArray()).toEqual(zeros([3, 2, 2, 2], backend).toArray());
      expect(new mt.Linear(4, 3, { backend }).forward(zeros([0, 4], backend)).shape).toEqual([0, 3]);
      expect(mt.avgpool2d(zeros([0, 1, 4, 4], backend), [2, 2]).shape).toEqual([0, 1, 2, 2]);
      expect(() => mt.conv2d(zeros([1, 2, 0, 4], backend), w2)).toThrow(/^conv2d: every size but the batch must be at least 1/);
    });

    it("nllLoss and bceLoss of an empty batch are errors, not 0", () => {
      expect(() => mt.nllLoss(zeros([0, 10], backend), zeros([0, 10], backend))).toThrow(/^nllLoss: the batch is empty \(shape \[0, 10\]\)/);
      expect(() => mt.bceLoss(zeros([0], backend), zeros([0], backend))).toThrow(/^bceLoss: the batch is empty/);
    });
  });

  describe("row 12: tensors of two backends are never mixed silently", () => {
    const s = tensor([[1, 2]], { backend: SimpleBackend });
    const f = tensor([[3, 4]], { backend: FastBackend });
    it.each([
      ["add", () => s.add(f)],
      ["sub", () => f.sub(s)],
      ["mul", () => s.mul(f)],
      ["lt", () => s.lt(f)],
      ["eq", () => f.eq(s)],
    ])("%s names the op and both backends", (op, call) => {
      expect(call).toThrow(new RegExp(`^${op}: tensors are on different backends \\((simple and fast|fast and simple)\\)`));
    });

    it("matmul, conv2d, nllLoss and backward(grad) refuse too", () => {
      expect(() => s.matmul(tensor([[1], [2]], { backend: FastBackend }))).toThrow(/^MatMul: tensors are on different backends \(simple and fast\)/);
      expect(() => mt.conv2d(zeros([1, 1, 3, 3], SimpleBackend), zeros([1, 1, 2, 2], FastBackend))).toThrow(/^Conv2dFun: tensors are on different backends/);
      expect(() => mt.nllLoss(zeros([2, 3], FastBackend), zeros([2, 3], SimpleBackend))).toThrow(/tensors are on different backends \(fast and simple\)/);
      const x = tensor([1, 2], { backend: SimpleBackend, requiresGrad: true });
      expect(() => x.mul(2).backward(tensor([1, 1], { backend: FastBackend }))).toThrow(/^backward: tensors are on different backends/);
    });
  });

  describe("row 14: MINITORCH_* variables are validated, not read as NaN", () => {
    const load = (env: Record<string, string>): { status: number | null; stderr: string; stdout: string } => {
      const script = `import("minitorch").then((m) => console.log("loaded", m.datasets.defaultCacheDir()))`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        cwd: new URL("..", import.meta.url).pathname,
        env: { ...process.env, ...env },
        encoding: "utf8",
        timeout: 30_000,
      });
      return { status: r.status, stderr: r.stderr, stdout: r.stdout };
    };

    it.each([
      [{ MINITORCH_PARALLEL_MIN: "abc" }, 'MINITORCH_PARALLEL_MIN must be a non-negative integer, got "abc"'],
      [{ MINITORCH_PARALLEL_MIN: "-1" }, 'MINITORCH_PARALLEL_MIN must be a non-negative integer, got "-1"'],
      [{ MINITORCH_PARALLEL_MIN: "1e4" }, 'MINITORCH_PARALLEL_MIN must be a non-negative integer, got "1e4"'],
      [{ MINITORCH_DATA_DIR: "/tmp/cache " }, 'MINITORCH_DATA_DIR must be a path without surrounding white space or line breaks, got "/tmp/cache "'],
    ])("%j is refused with a message naming it", (env, message) => {
      const r = load(env);
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain(message);
    });

    it("valid values load", () => {
      const r = load({ MINITORCH_PARALLEL_MIN: "20000", MINITORCH_DATA_DIR: "/tmp/some cache" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe("loaded /tmp/some cache");
    });
  });
});
