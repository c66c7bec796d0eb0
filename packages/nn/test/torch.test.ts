/**
 * saveSafetensors against PyTorch itself: /usr/bin/python3 with torch
 * (Debian's python3-torch) reads the files with a reader written from the
 * safetensors spec (fixtures/torch_check.py), loads them into the
 * equivalent torch modules with strict=True, and trains 3 steps with the
 * same Adam / SGD settings and cross-entropy. Logits must agree to 1e-6.
 * Skipped, with the reason printed, when torch cannot be imported.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { Random } from "@minitorch/autodiff";
import { FastBackend } from "@minitorch/fast-ops";
import { fromArray, type Tensor } from "@minitorch/tensor-core";
import { Adam, Conv1d, Conv2d, Flatten, Linear, Module, ReLU, SGD, Sequential, crossEntropy, encodeSafetensors, saveSafetensors } from "../src/index.js";

const python = "/usr/bin/python3";
const probe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
const skipReason = probe.status === 0 ? null : `${python} cannot import torch (${(probe.stderr || String(probe.error)).trim().split("\n").pop()})`;
if (skipReason !== null) console.warn(`PyTorch comparison skipped: ${skipReason}`);

const backend = FastBackend;
const random = new Random(5);
const dir = mkdtempSync(join(tmpdir(), "minitorch-torch-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class Conv2dNet extends Module {
  conv = new Conv2d(1, 2, 3, 2, { backend, random });
  fc = new Linear(2 * 5 * 4, 3, { backend, random });
  override forward(x: Tensor): Tensor {
    const h = this.conv.forward(x).relu();
    return this.fc.forward(h.reshape(h.shape[0]!, -1));
  }
}

const values = (shape: number[]): Tensor =>
  fromArray(
    Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random.random() * 2 - 1),
    shape,
    backend,
  );

/** Logits before and after 3 steps of `optimiser` on cross-entropy. */
function run(forward: (x: Tensor) => Tensor, x: Tensor, targets: number[], optimiser: { step(): void; zeroGrad(): void }): [number[], number[]] {
  const before = Array.from(forward(x).toFloat64Array());
  for (let i = 0; i < 3; i++) {
    optimiser.zeroGrad();
    crossEntropy(forward(x), targets).backward();
    optimiser.step();
  }
  return [before, Array.from(forward(x).toFloat64Array())];
}

const expectClose = (got: number[], want: number[], tolerance: number): void => {
  expect(got.length).toBe(want.length);
  const worst = Math.max(...got.map((g, i) => Math.abs(g - want[i]!)));
  expect(worst).toBeLessThanOrEqual(tolerance);
};

describe.skipIf(skipReason !== null)("saveSafetensors → PyTorch", () => {
  it("Conv2d+Linear (Adam) and Sequential(Conv1d, ReLU, Flatten, Linear) (SGD momentum) load strictly into torch and give the same logits before and after 3 steps", () => {
    const net = new Conv2dNet();
    const seq = new Sequential(new Conv1d(2, 3, 3, { backend, random }), new ReLU(), new Flatten(), new Linear(3 * 6, 2, { backend, random }));
    const x2 = values([4, 1, 5, 4]);
    const t2 = [0, 2, 1, 2];
    const x1 = values([3, 2, 6]);
    const t1 = [1, 0, 1];
    saveSafetensors(net, join(dir, "conv2d.safetensors"), { dtype: "F64" });
    saveSafetensors(net, join(dir, "conv2d-f32.safetensors"));
    saveSafetensors(seq, join(dir, "conv1d.safetensors"), { dtype: "F64" });
    const data = encodeSafetensors([
      ["x2", x2],
      ["t2", fromArray(t2, [4], backend)],
      ["x1", x1],
      ["t1", fromArray(t1, [3], backend)],
    ]);
    writeFileSync(join(dir, "data.safetensors"), data);
    const script = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "torch_check.py");
    const torch = JSON.parse(execFileSync(python, [script, dir], { encoding: "utf8" })) as {
      conv2d: [number[], number[]];
      conv1d: [number[], number[]];
      conv2d_f32: number[];
      names: { conv2d: string[]; conv1d: string[] };
    };
    expect(torch.names.conv2d).toEqual(net.torchState().map(([n]) => n));
    expect(torch.names.conv1d).toEqual(seq.torchState().map(([n]) => n));

    const oursF32Input = Array.from(net.forward(x2).toFloat64Array());
    expectClose(torch.conv2d_f32, oursF32Input, 1e-5);

    const ours2 = run((x) => net.forward(x), x2, t2, new Adam(net.parameters(), { lr: 0.01, betas: [0.8, 0.9], eps: 1e-8, weightDecay: 0.01 }));
    expectClose(ours2[0], torch.conv2d[0], 1e-6);
    expectClose(ours2[1], torch.conv2d[1], 1e-6);
    expect(ours2[1]).not.toEqual(ours2[0]);

    const ours1 = run((x) => seq.forward(x), x1, t1, new SGD(seq.parameters(), 0.1, { momentum: 0.9, weightDecay: 0.01 }));
    expectClose(ours1[0], torch.conv1d[0], 1e-6);
    expectClose(ours1[1], torch.conv1d[1], 1e-6);
  });
});
