// A user's own TypeScript file (NodeNext, strict): the same small conv net as
// train.mjs, typed, on FastBackend, with what minitorch exported before the
// PyTorch-style names (SGD, batches cut by hand, a safetensors writer of its own).
//   tsc -p . && node dist/train.js OUT_DIR
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Conv2d, FastBackend, Linear, Module, SGD, fromArray, logsoftmax, manualSeed, maxpool2d, nllLoss, type Tensor } from "minitorch";

const out = process.argv[2] ?? "out";
const SIZE = 8;

interface Bars {
  images: Float64Array;
  labels: number[];
}

/** Images of one bar on noise: class 0 a horizontal bar, class 1 a vertical one. */
function bars(count: number, seed: number): Bars {
  let s = seed;
  const next = (): number => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const images = new Float64Array(count * SIZE * SIZE);
  const labels: number[] = [];
  for (let n = 0; n < count; n++) {
    const label = n % 2;
    const line = Math.floor(next() * SIZE);
    for (let i = 0; i < SIZE; i++) {
      for (let j = 0; j < SIZE; j++) {
        const on = label === 0 ? i === line : j === line;
        images[n * SIZE * SIZE + i * SIZE + j] = (on ? 1 : 0) + 0.3 * (next() - 0.5);
      }
    }
    labels.push(label);
  }
  return { images, labels };
}

class Net extends Module {
  conv = new Conv2d(1, 4, 3, 3, { backend: FastBackend });
  fc = new Linear(4 * 4 * 4, 2, { backend: FastBackend });
  override forward(x: Tensor): Tensor {
    const h = maxpool2d(this.conv.forward(x).relu(), [2, 2]);
    return logsoftmax(this.fc.forward(h.contiguous().view(x.shape[0]!, 4 * 4 * 4)), 1);
  }
}

function batch(data: Bars, start: number, size: number): { x: Tensor; y: Tensor; labels: number[] } {
  const x = fromArray(data.images.subarray(start * SIZE * SIZE, (start + size) * SIZE * SIZE), [size, 1, SIZE, SIZE], FastBackend);
  const oneHot = new Float64Array(size * 2);
  for (let i = 0; i < size; i++) oneHot[i * 2 + data.labels[start + i]!] = 1;
  return { x, y: fromArray(oneHot, [size, 2], FastBackend), labels: data.labels.slice(start, start + size) };
}

/** The safetensors format: 8-byte little-endian header length, JSON header, raw little-endian data. */
function saveSafetensors(model: Module, file: string): void {
  const header: Record<string, { dtype: "F64"; shape: number[]; data_offsets: [number, number] }> = {};
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [name, p] of model.namedParameters()) {
    const t = p.value as Tensor;
    const values = t.toFloat64Array();
    header[name] = { dtype: "F64", shape: [...t.shape], data_offsets: [offset, offset + values.byteLength] };
    chunks.push(Buffer.from(values.buffer, values.byteOffset, values.byteLength));
    offset += values.byteLength;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(file, Buffer.concat([length, Buffer.from(json), ...chunks]));
}

manualSeed(1);
const train = bars(256, 7);
const test = bars(64, 99);
const model = new Net();
const optim = new SGD(model.parameters(), 0.25);
const BATCH = 16;
for (let epoch = 1; epoch <= 8; epoch++) {
  let total = 0;
  for (let start = 0; start < train.labels.length; start += BATCH) {
    const { x, y } = batch(train, start, BATCH);
    const loss = nllLoss(model.forward(x), y);
    loss.backward();
    optim.step();
    total += loss.item();
  }
  console.log(`epoch ${epoch} loss ${(total / (train.labels.length / BATCH)).toFixed(4)}`);
}

model.eval();
const t = batch(test, 0, test.labels.length);
const logits = model.forward(t.x);
const rows = logits.toArray() as number[][];
const correct = rows.filter((row, i) => (row[1]! > row[0]! ? 1 : 0) === t.labels[i]).length;
console.log(`test accuracy ${correct}/${t.labels.length}`);
if (correct < 0.9 * t.labels.length) throw new Error(`the conv net did not learn: ${correct}/${t.labels.length}`);

mkdirSync(out, { recursive: true });
saveSafetensors(model, join(out, "model.safetensors"));
// Which saved tensor is which, for the PyTorch side's forward pass.
const params = { convWeight: "conv.weights", convBias: "conv.bias", fcWeight: "fc.weights", fcBias: "fc.bias" };
writeFileSync(join(out, "check.json"), JSON.stringify({ params, input: t.x.toArray(), logits: rows }));
console.log(`wrote ${join(out, "model.safetensors")}`);
