/**
 * Test support: a module made of one function, running exported models on
 * onnxruntime-node (CPU), and loading one in a child process to read what
 * onnxruntime logs at warning level (its native logger writes to stderr,
 * which a test cannot capture in-process).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { Module } from "@minitorch/nn";
import type { Tensor } from "@minitorch/tensor-core";
import { expect } from "vitest";

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A module computing `f(x, p0, p1, …)`, its parameters `p0, p1, …` given as tensors. */
export class Fn extends Module {
  constructor(
    private readonly f: (x: Tensor, ...params: Tensor[]) => Tensor,
    ...params: Tensor[]
  ) {
    super();
    params.forEach((t, i) => this.addParameter(`p${i}`, t));
  }

  override forward(x: Tensor): Tensor {
    return this.f(x, ...this.parameters().map((p) => p.value as Tensor));
  }
}

export interface OrtResult {
  data: Float64Array;
  dims: number[];
}

/** Runs `model` on `input` (its row-major values, in the model's float type) and returns the single output. */
export async function runOnnx(model: Uint8Array, input: Tensor, dtype: "float32" | "float64" = "float32"): Promise<OrtResult> {
  const session = await ort.InferenceSession.create(model);
  try {
    const values = input.toFloat64Array();
    const feed = new ort.Tensor(dtype, dtype === "float64" ? values : Float32Array.from(values), input.shape.slice());
    const result = await session.run({ [session.inputNames[0]!]: feed });
    const out = result[session.outputNames[0]!]!;
    return { data: Float64Array.from(out.data as Float32Array | Float64Array), dims: out.dims.slice() };
  } finally {
    await session.release();
  }
}

/** Largest |a − b| over two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/** Largest |x| (at least 1e-30, so a relative tolerance never becomes 0). */
export function maxAbs(a: ArrayLike<number>): number {
  let m = 1e-30;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/**
 * Expects onnxruntime's output on `input` to match `expected` (the library's
 * forward pass) within `tolerance` of the output's scale, in shape as well.
 */
export async function expectOrtMatches(model: Uint8Array, input: Tensor, expected: Tensor, dtype: "float32" | "float64" = "float32", tolerance?: number): Promise<OrtResult> {
  const got = await runOnnx(model, input, dtype);
  expect(got.dims).toEqual(expected.shape);
  const want = expected.toFloat64Array();
  const tol = tolerance ?? (dtype === "float32" ? 1e-4 : 1e-9);
  expect(maxAbsDiff(got.data, want)).toBeLessThanOrEqual(tol * maxAbs(want));
  return got;
}

/**
 * Loads `model` in a fresh Node process with onnxruntime's log at warning
 * level and returns everything it wrote to stderr ("" for a clean load).
 */
export function loadWarnings(model: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onnx-load-"));
  try {
    const file = path.join(dir, "model.onnx");
    fs.writeFileSync(file, model);
    const script =
      "require('onnxruntime-node').InferenceSession.create(process.argv[1], { logSeverityLevel: 2 })" +
      ".then(() => process.stdout.write('loaded'), (e) => { process.stderr.write(String(e)); process.exit(1); });";
    const r = spawnSync(process.execPath, ["-e", script, file], { cwd: packageDir, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout, r.stderr).toBe("loaded");
    return r.stderr;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
