// The training loop of docs/library.md, as a user writes it in their own
// project (ESM). Run: node train.mjs  (EXAMPLES, EPOCHS and OUT may be set).
import {
  Adam,
  Conv2d,
  DataLoader,
  Dropout,
  FastBackend,
  Linear,
  Module,
  Random,
  crossEntropy,
  fromArray,
  loadStateDict,
  manualSeed,
  maxpool2d,
  noGrad,
  saveSafetensors,
  saveStateDict,
  setDefaultBackend,
} from "minitorch";

setDefaultBackend(FastBackend); // every tensor and layer below lives on the multi-threaded CPU backend
manualSeed(0); // the same initial weights every run

const examples = Number(process.env.EXAMPLES ?? 512);
const epochs = Number(process.env.EPOCHS ?? 5);
const out = process.env.OUT ?? ".";

/** n 8×8 images with one bright bar: class 0 horizontal, class 1 vertical. */
function bars(n, seed) {
  const random = new Random(seed);
  const x = new Float64Array(n * 64);
  const y = [];
  for (let i = 0; i < n; i++) {
    const label = random.int(2);
    const line = random.int(8);
    for (let p = 0; p < 64; p++) {
      const [row, col] = [Math.floor(p / 8), p % 8];
      const on = label === 0 ? row === line : col === line;
      x[i * 64 + p] = (on ? 1 : 0) + 0.2 * random.random();
    }
    y.push(label);
  }
  return { x: fromArray(x, [n, 1, 8, 8]), y: fromArray(y, [n]) };
}

class Net extends Module {
  conv = new Conv2d(1, 4, 3, 3);
  drop = new Dropout(0.25);
  fc = new Linear(4 * 4 * 4, 2);

  forward(x) {
    const h = maxpool2d(this.conv.forward(x).relu(), [2, 2]); // [batch, 4, 4, 4]
    return this.fc.forward(this.drop.forward(h.reshape(h.shape[0], -1)));
  }
}

/** Share of rows whose largest logit is at the target class. */
function accuracy(logits, y) {
  const rows = logits.toArray();
  const targets = y.toFloat64Array();
  const right = rows.filter((row, i) => row.indexOf(Math.max(...row)) === targets[i]).length;
  return right / rows.length;
}

const train = new DataLoader(bars(examples, 1), { batchSize: 32, shuffle: true, seed: 1 });
const test = bars(Math.max(64, examples / 4), 2);

const model = new Net();
console.log(String(model));
const optimiser = new Adam(model.parameters(), { lr: 0.01 });

for (let epoch = 1; epoch <= epochs; epoch++) {
  model.train();
  let total = 0;
  for (const { x, y } of train) {
    optimiser.zeroGrad();
    const loss = crossEntropy(model.forward(x), y);
    loss.backward();
    optimiser.step();
    total += loss.item();
  }
  model.eval();
  const testAccuracy = noGrad(() => accuracy(model.forward(test.x), test.y));
  console.log(`epoch ${epoch}: loss ${(total / train.length).toFixed(4)}, test accuracy ${testAccuracy.toFixed(3)}`);
}

saveStateDict(model, `${out}/bars.minitorch.safetensors`); // to resume here: loadStateDict(new Net(), file)
saveSafetensors(model, `${out}/bars.safetensors`); // for PyTorch: conv.weight, conv.bias, fc.weight, fc.bias

const again = new Net();
loadStateDict(again, `${out}/bars.minitorch.safetensors`);
again.eval();
console.log(`reloaded: test accuracy ${noGrad(() => accuracy(again.forward(test.x), test.y)).toFixed(3)}`);
