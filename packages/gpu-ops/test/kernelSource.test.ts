/**
 * WGSL compile errors name the .ts file and line where the kernel's text
 * was written (kernelSource.ts): the course's kernel bodies, and any text
 * marked with wgslFrom.
 */
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { operators } from "@minitorch/autodiff";
import { conv2dShader, gpu, mapShader, matmulShader, reduceShader, wgslOperator, type GpuKernel } from "../src/index.js";
import { sourceLineOf, wgslFrom } from "../src/kernelSource.js";
import { describeGpu } from "./helpers.js";

/** The 1-based line of `file` holding `text`, and the file as the error names it. */
function lineOf(url: string, text: string): { file: string; line: number } {
  const path = fileURLToPath(url);
  const lines = readFileSync(path, "utf8").split("\n");
  const at = lines.findIndex((l) => l.includes(text));
  expect(at, `${text} in ${path}`).toBeGreaterThanOrEqual(0);
  return { file: relative(process.cwd(), path), line: at + 1 };
}

/** The 1-based line of `shader` holding `text`. */
const shaderLine = (shader: string, text: string): number => shader.split("\n").findIndex((l) => l.includes(text)) + 1;

// A kernel body with a syntax error on its second line, written here as a student writes one.
const brokenBody = wgslFrom(
  import.meta.url,
  /* wgsl */ `
  var x = 1.0;
  x = x +* 2.0;`,
);
const brokenKernel: GpuKernel = {
  name: "broken_body",
  source: () => `@compute @workgroup_size(1)\nfn main() {\n${brokenBody}\n}\n`,
};

describe("kernel source lines", () => {
  it("a line of a course kernel's body maps to its line in tensorKernels.ts", () => {
    const url = new URL("../src/tensorKernels.ts", import.meta.url).href;
    for (const [shader, text] of [
      [mapShader(wgslOperator(operators.neg, "map")), "broadcast_index(&out_index, OUT, IN, &in_index);"],
      [reduceShader(wgslOperator(operators.add, "reduce")), "let step_a = stride(A, reduce_dim());"],
    ] as const) {
      const { file, line } = lineOf(url, text);
      expect(sourceLineOf(shader, shaderLine(shader, text))).toBe(`${file}:${line}`);
    }
  });

  it("so do the bodies of Task 3.4's matmul (matmulKernels.ts) and Task 4.4b's conv2d (convKernels.ts)", () => {
    for (const [shader, module, text] of [
      [matmulShader(), "matmulKernels.ts", "let a_col = stride(A, dims(A) - 1u);"],
      [conv2dShader(), "convKernels.ts", "let kh = shape(WEIGHT, 2u);"],
    ] as const) {
      const { file, line } = lineOf(new URL(`../src/${module}`, import.meta.url).href, text);
      expect(sourceLineOf(shader, shaderLine(shader, text))).toBe(`${file}:${line}`);
    }
  });

  it("a line outside any marked text (the given entry point) maps to nothing", () => {
    const shader = mapShader(wgslOperator(operators.neg, "map"));
    expect(sourceLineOf(shader, shaderLine(shader, "fn tensor_map("))).toBeNull();
  });

  it("the marked text of this file maps to this file", () => {
    const shader = brokenKernel.source();
    const { file, line } = lineOf(import.meta.url, "x = x +* 2.0;");
    expect(sourceLineOf(shader, shaderLine(shader, "x = x +* 2.0;"))).toBe(`${file}:${line}`);
  });
});

describeGpu("kernel source lines on the GPU", () => {
  it("a WGSL syntax error in a kernel body is reported with the .ts file and line of the error", () => {
    const { file, line } = lineOf(import.meta.url, "x = x +* 2.0;");
    expect(() => gpu.run("brokenOp", brokenKernel, [1, 1, 1], [])).toThrow(
      new RegExp(`^brokenOp: shader compile error in broken_body:\\nline \\d+:\\d+: .*\\(in ${file.replace(/[.]/g, "\\.")}:${line}\\)`),
    );
  });
});
