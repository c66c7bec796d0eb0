// A user's own ESM script, written as a PyTorch user would: a small conv net
// with dropout on FastBackend, a DataLoader, Adam, cross-entropy on class
// indices, evaluation under noGrad in eval mode, and the weights saved as
// safetensors for PyTorch; a fixed batch and its logits go to check.json.
//   node train.mjs OUT_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as minitorch from "minitorch";

const { Adam, Conv2d, DataLoader, Dropout, FastBackend, Linear, Module, crossEntropy, fromArray, maxpool2d, noGrad, saveSafetensors } = minitorch;
const out = process.argv[2] ?? "out";
const SIZE = 8;

/** Images of one bar on noise: class 0 a horizontal bar, class 1 a vertical one. */
function bars(count, seed) {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  const images = new Float64Array(count * SIZE * SIZE);
  const labels = new Float64Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    const line = Math.floor(next() * SIZE);
    for (let i = 0; i < SIZE; i++) {
      for (let j = 0; j < SIZE; j++) {
        const on = label === 0 ? i === line : j === line;
        images[n * SIZE * SIZE + i * SIZE + j] = (on ? 1 : 0) + 0.3 * (next() - 0.5);
      }
    }
    labels[n] = label;
  }
  return { x: fromArray(images, [count, 1, SIZE, SIZE]), y: fromArray(labels, [count]) };
}

class Net extends Module {
  conv = new Conv2d(1, 4, 3, 3);
  dropout = new Dropout(0.25);
  fc = new Linear(4 * 4 * 4, 2);
  forward(x) {
    const h = this.dropout.forward(maxpool2d(this.conv.forward(x).relu(), [2, 2]));
    return this.fc.forward(h.reshape(x.shape[0], 4 * 4 * 4));
  }
}

minitorch.setDefaultBackend(FastBackend);
minitorch.manualSeed(1);
const loader = new DataLoader(bars(256, 7), { batchSize: 16, shuffle: true, seed: 1 });
const test = bars(64, 99);
const model = new Net();
const optim = new Adam(model.parameters(), { lr: 0.02 });
for (let epoch = 1; epoch <= 8; epoch++) {
  model.train();
  let total = 0;
  let batches = 0;
  for (const { x, y } of loader) {
    optim.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    optim.step();
    total += loss.item();
    batches++;
  }
  console.log(`epoch ${epoch} loss ${(total / batches).toFixed(4)}`);
}

model.eval();
const logits = noGrad(() => model.forward(test.x));
const rows = logits.toArray();
const labels = test.y.toArray();
const correct = rows.filter((row, i) => (row[1] > row[0] ? 1 : 0) === labels[i]).length;
console.log(`test accuracy ${correct}/${labels.length}`);
if (correct < 0.9 * labels.length) throw new Error(`the conv net did not learn: ${correct}/${labels.length}`);

mkdirSync(out, { recursive: true });
saveSafetensors(model, join(out, "model.safetensors"));
// Which saved tensor is which, for the PyTorch side's forward pass (PyTorch's names and layout).
const params = { convWeight: "conv.weight", convBias: "conv.bias", fcWeight: "fc.weight", fcBias: "fc.bias" };
writeFileSync(join(out, "check.json"), JSON.stringify({ params, layout: "torch", logSoftmax: false, input: test.x.toArray(), logits: rows }));
console.log(`wrote ${join(out, "model.safetensors")}`);
