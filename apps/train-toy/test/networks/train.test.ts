/**
 * The trainers' given parts, outside any task: minitorch's log line, which
 * epochs are logged, and the errors for bad settings and data.
 */
import { Random } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { describe, expect, it } from "vitest";
import { ScalarLinear, ScalarNetwork } from "../../src/networks/scalar.js";
import { TensorLinear, TensorNetwork } from "../../src/networks/tensor.js";
import { FastLinear, FastNetwork } from "../../src/networks/fast.js";
import { epochLine, fastTrainer, isLogEpoch, scalarTrainer, tensorTrainer } from "../../src/networks/train.js";
import { Scalar } from "@minitorch/autodiff";
import { tensor } from "@minitorch/tensor-core";

const one = { N: 1, X: [[0.2, 0.4] as [number, number]], y: [1] };

describe("toy trainers (given code)", () => {
  it("prints minitorch's line: print(\"Epoch \", epoch, \" loss \", total_loss, \"correct\", correct)", () => {
    expect(epochLine(10, { loss: 12.5, correct: 45 })).toBe("Epoch  10  loss  12.5 correct 45");
    expect(epochLine(500, { loss: 0.25, correct: 50 }, 0.01234)).toBe("Epoch  500  loss  0.25 correct 50 time per epoch 0.0123 s");
  });

  it("logs every 10th epoch and the last", () => {
    const logged = Array.from({ length: 25 }, (_, i) => i + 1).filter((e) => isLogEpoch(e, 25));
    expect(logged).toEqual([10, 20, 25]);
  });

  it.each([
    ["scalarTrainer", () => scalarTrainer({ N: 0, X: [], y: [] }, { hidden: 2, lr: 0.5 })],
    ["tensorTrainer", () => tensorTrainer({ N: 2, X: [[0, 0]], y: [1, 0] }, { hidden: 2, lr: 0.5 })],
    ["fastTrainer", () => fastTrainer({ N: 1, X: [[0, 0]], y: [] }, { hidden: 2, lr: 0.5, backend: FastBackend })],
  ])("%s refuses data whose points and labels do not match N", (name, make) => {
    expect(make).toThrow(new RegExp(`^${name}: data must hold N ≥ 1 points and N labels, got N = \\d+, \\d+ points, \\d+ labels$`));
  });

  it("fastTrainer refuses a batch size that is not a positive integer", () => {
    expect(() => fastTrainer(one, { hidden: 2, lr: 0.5, backend: FastBackend, batchSize: 0 })).toThrow("fastTrainer: batchSize must be a positive integer, got 0");
  });

  it("SGD refuses a learning rate that is not positive", () => {
    expect(() => scalarTrainer(one, { hidden: 2, lr: -1 })).toThrow(/SGD: lr must be a positive number, got -1/);
  });

  it.each([
    ["ScalarNetwork", () => new ScalarNetwork(0)],
    ["TensorNetwork", () => new TensorNetwork(1.5)],
    ["FastNetwork", () => new FastNetwork(-1, FastBackend)],
  ])("%s refuses a hidden width that is not a positive integer", (name, make) => {
    expect(make).toThrow(new RegExp(`^${name}: hidden must be a positive integer, got -?[0-9.]+$`));
  });

  it("the layers refuse an input of the wrong width, naming the shape", () => {
    expect(() => new ScalarLinear(2, 1, new Random(0)).forward([new Scalar(1)])).toThrow("ScalarLinear: expected 2 inputs, got 1");
    expect(() => new TensorLinear(2, 1).forward(tensor([[1, 2, 3]]))).toThrow("TensorLinear: input must be [batch, 2], got shape [1, 3]");
    expect(() => new FastLinear(2, 1, FastBackend).forward(tensor([1, 2], { backend: FastBackend }))).toThrow("FastLinear: input must be [batch, 2], got shape [2]");
  });
});
