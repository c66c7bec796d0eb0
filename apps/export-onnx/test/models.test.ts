/**
 * The two networks of the course, exported and run on onnxruntime, against
 * the library's evaluation-mode forward pass: random and trained weights,
 * float32 (within 1e-4 of the output's scale) and float64 (within 1e-9),
 * identical class predictions.
 */
import { Random, manualSeed } from "@minitorch/autodiff";
import { loadMnist } from "@minitorch/datasets";
import { FastBackend } from "@minitorch/fast-ops";
import { SGD, bceLoss, nllLoss, type Module } from "@minitorch/nn";
import { toOnnx } from "@minitorch/onnx";
import { fromArray, rand, type Tensor } from "@minitorch/tensor-core";
import { LeNet, makeBatch } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { predictions } from "../src/samples.js";

const backend = FastBackend;

async function onnxruntime(model: Uint8Array, x: Tensor, dtype: "float32" | "float64"): Promise<{ data: Float64Array; dims: number[] }> {
  const session = await ort.InferenceSession.create(model);
  const values = x.toFloat64Array();
  const feed = new ort.Tensor(dtype, dtype === "float64" ? values : Float32Array.from(values), x.shape.slice());
  const out = (await session.run({ input: feed })).output!;
  await session.release();
  return { data: Float64Array.from(out.data as Float32Array | Float64Array), dims: out.dims.slice() };
}

/** Exports `model` from a one-example input, runs `x` through both, and compares. */
async function expectSameOutputs(model: Module, example: Tensor, x: Tensor): Promise<void> {
  model.eval();
  const want = model.forward(x) as Tensor;
  const w = want.toFloat64Array();
  const scale = Math.max(...Array.from(w, Math.abs));
  for (const [dtype, tolerance] of [
    ["float32", 1e-4],
    ["float64", 1e-9],
  ] as const) {
    const got = await onnxruntime(toOnnx(model, example, { dtype }), x, dtype);
    expect(got.dims).toEqual(want.shape);
    const diff = Math.max(...Array.from(got.data, (v, i) => Math.abs(v - w[i]!)));
    expect(diff, `${dtype}: max |difference| ${diff} for output scale ${scale}`).toBeLessThanOrEqual(tolerance * scale);
    expect(predictions(got.data, got.dims)).toEqual(predictions(w, want.shape));
  }
}

describe("LeNet (train-mnist) on onnxruntime", () => {
  // Loaded when a test runs, not when the file is collected (a `-t` filtered run skips it).
  const data = (): ReturnType<typeof loadMnist> => loadMnist({ trainSize: 64, valSize: 32 });

  it("random weights", async () => {
    manualSeed(3);
    const { train, validation } = data();
    await expectSameOutputs(new LeNet({ backend }), makeBatch(train, 0, 1, backend).x, makeBatch(validation, 0, 32, backend).x);
  });

  it("trained weights (4 SGD steps on 64 digits)", async () => {
    manualSeed(4);
    const model = new LeNet({ backend });
    const optim = new SGD(model.parameters(), 0.01);
    const { train, validation } = data();
    for (let start = 0; start < 64; start += 16) {
      const { x, y } = makeBatch(train, start, 16, backend);
      nllLoss(model.forward(x), y).backward();
      optim.step();
    }
    await expectSameOutputs(model, makeBatch(train, 0, 1, backend).x, makeBatch(validation, 0, 32, backend).x);
  });
});

describe("Kim CNN (train-sentiment) on onnxruntime", () => {
  const random = new Random(5);
  /** Sentences of 12 words with 20-d embeddings, the last few rows zero (padding) as encodeSentiment makes them. */
  const sentences = (n: number): Tensor => {
    const values = new Float64Array(n * 12 * 20);
    for (let s = 0; s < n; s++) {
      const words = 5 + (s % 8);
      for (let i = 0; i < words * 20; i++) values[s * 240 + i] = random.random() - 0.5;
    }
    return fromArray(values, [n, 12, 20], backend);
  };
  const options = { backend, embeddingSize: 20, featureMapSize: 16 };

  it("random weights", async () => {
    manualSeed(6);
    await expectSameOutputs(new KimCNN(options), sentences(1), sentences(24));
  });

  it("trained weights (5 SGD steps)", async () => {
    manualSeed(7);
    const model = new KimCNN(options);
    const optim = new SGD(model.parameters(), 0.05);
    for (let step = 0; step < 5; step++) {
      const x = sentences(10);
      const y = fromArray(
        Array.from({ length: 10 }, (_, i) => (i + step) % 2),
        [10],
        backend,
      );
      bceLoss(model.forward(x), y).backward();
      optim.step();
    }
    await expectSameOutputs(model, sentences(1), sentences(24));
  });

  it("the default sizes (100 feature maps, 100-d embeddings, 52 words)", async () => {
    manualSeed(8);
    const model = new KimCNN({ backend });
    const x = rand([6, 52, 100], backend).sub(0.5).mul(0.2);
    await expectSameOutputs(model, rand([1, 52, 100], backend), x);
  });
});
