/**
 * The worked example of "Adding an op" in docs/architecture.md: a toy op,
 * softplus, defined in one file (fixtures/softplus.ts) that imports only
 * the public tensor-core API, runs forward and backward on every backend
 * and exports to ONNX. Nothing else in the repository names it.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CourseBackend, FastBackend, PlainBackend } from "@minitorch/fast-ops";
import { GpuBackend } from "@minitorch/gpu-ops";
import { Module } from "@minitorch/nn";
import { decodeModel, toOnnx } from "@minitorch/onnx";
import { SimpleBackend, fromArray, gradCheck, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { describeGpu } from "../../gpu-ops/test/helpers.js";
import { expectOrtMatches } from "../../onnx/test/helpers.js";
import { softplus } from "./fixtures/softplus.js";

const exact = (x: number): number => Math.log(1 + Math.exp(x));
const cpuBackends: Array<[string, TensorBackend]> = [
  ["SimpleBackend", SimpleBackend],
  ["FastBackend", FastBackend],
  ["PlainBackend", PlainBackend],
  ["CourseBackend", CourseBackend],
];

function forwardAndGrad(values: number[], backend: TensorBackend): [Float64Array, Float64Array] {
  const x = fromArray(values, [values.length], backend).requiresGrad_(true);
  const y = softplus(x);
  y.sum().backward();
  return [y.toFloat64Array(), x.grad!.toFloat64Array()];
}

describe("adding an op: softplus", () => {
  it("is one file that imports only @minitorch/tensor-core, and nothing in the packages' sources names it", () => {
    const source = readFileSync(new URL("./fixtures/softplus.ts", import.meta.url), "utf8");
    expect([...source.matchAll(/from "([^"]+)"/g)].map((m) => m[1])).toEqual(["@minitorch/tensor-core"]);
    const packages = new URL("../../", import.meta.url).pathname;
    const sources = readdirSync(packages).flatMap((p) =>
      existsSync(join(packages, p, "src")) ? readdirSync(join(packages, p, "src"), { recursive: true, encoding: "utf8" }).map((f) => join(packages, p, "src", f)) : [],
    );
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((f) => f.endsWith(".ts") && /softplus/i.test(readFileSync(f, "utf8")))).toEqual([]);
  });

  for (const [name, backend] of cpuBackends) {
    it(`${name}: softplus([0, 1, −2, 40]) = [log 2, log(1+e), log(1+e⁻²), 40], gradient σ(x)`, () => {
      const [y, g] = forwardAndGrad([0, 1, -2, 40], backend);
      [0, 1, -2, 40].forEach((x, i) => {
        expect(y[i]).toBeCloseTo(exact(x), 12);
        expect(g[i]).toBeCloseTo(1 / (1 + Math.exp(-x)), 12);
      });
    });

    it(`${name}: gradient check against central differences`, () => {
      gradCheck(softplus, fromArray([0.3, -1.2, 2.5, -0.01], [2, 2], backend).requiresGrad_(true));
    });

    it(`${name}: property: softplus(x) − softplus(−x) = x, and its gradient lies in (0, 1)`, () => {
      fc.assert(
        fc.property(fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 40 }), (values) => {
          const [y, g] = forwardAndGrad(values, backend);
          const [yNeg] = forwardAndGrad(values.map((v) => -v), backend);
          values.forEach((v, i) => {
            expect(y[i]! - yNeg[i]!).toBeCloseTo(v, 9);
            expect(g[i]).toBeGreaterThanOrEqual(0);
            expect(g[i]).toBeLessThanOrEqual(1);
          });
        }),
        { numRuns: 20 },
      );
    });
  }

  it("a bad input names the op: softplus of a number", () => {
    expect(() => softplus(3 as unknown as Tensor)).toThrow("softplus: input must be a Tensor, got number");
  });

  it("exports as one ONNX Softplus node, which onnxruntime computes as the library does", async () => {
    class Net extends Module {
      override forward(x: Tensor): Tensor {
        return softplus(x).mul(2);
      }
    }
    const x = fromArray([-3, -0.5, 0, 0.5, 3, 12], [2, 3]);
    const net = new Net();
    // onnxruntime implements Softplus in float32 only.
    const bytes = toOnnx(net, x);
    expect(decodeModel(bytes).graph.node.map((n) => n.opType)).toEqual(["Softplus", "Mul"]);
    await expectOrtMatches(bytes, x, net.forward(x), "float32", 1e-6);
  });
});

describeGpu("adding an op: softplus on GpuBackend", () => {
  it("matches SimpleBackend to float32 precision, forward and gradient", () => {
    const values = [-20, -3, -0.5, 0, 0.5, 3, 20];
    const [y, g] = forwardAndGrad(values, GpuBackend);
    const [y64, g64] = forwardAndGrad(values, SimpleBackend);
    values.forEach((_, i) => {
      expect(Math.abs(y[i]! - y64[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(y64[i]!)));
      expect(Math.abs(g[i]! - g64[i]!)).toBeLessThan(1e-6);
    });
  });
});
