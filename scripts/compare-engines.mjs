#!/usr/bin/env node
/* global console, performance, process, setImmediate */
// Before/after of a training step across two built checkouts of this
// repository, in one process: OLD's LeNet and Kim-CNN steps with an
// event-loop turn after each (how apps ran before per-tensor storage),
// NEW's in a plain synchronous loop, in alternating blocks so both see the
// same load. Needs `pnpm build` in both checkouts (bench included).
//
//   node scripts/compare-engines.mjs OLD_ROOT NEW_ROOT [rounds=8] [lenetBlock=40] [kimBlock=6]
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [oldRoot, newRoot] = process.argv.slice(2, 4).map((p) => (p === undefined ? undefined : resolve(p)));
if (oldRoot === undefined || newRoot === undefined) {
  console.error("usage: node scripts/compare-engines.mjs OLD_ROOT NEW_ROOT [rounds] [lenetBlock] [kimBlock]");
  process.exit(2);
}
const [rounds, lenetBlock, kimBlock] = [4, 5, 6].map((i, k) => Number(process.argv[i] ?? [8, 40, 6][k]));

/** One checkout's LeNet and Kim-CNN steps on its FastBackend, on synthetic data of the real shapes. */
async function engine(root) {
  const load = (path) => import(pathToFileURL(`${root}/${path}`).href);
  const fast = await load("packages/fast-ops/dist/index.js");
  const nn = await load("packages/nn/dist/index.js");
  const mnist = await load("apps/train-mnist/dist/index.js");
  const sentiment = await load("apps/train-sentiment/dist/index.js");
  const data = await load("bench/dist/sections/trainData.js");
  const B = fast.FastBackend;
  const m = data.mnistData(16, 8);
  const k = data.kimData(10, 6);
  const lenet = new mnist.LeNet({ backend: B });
  const lenetOpt = new nn.SGD(lenet.parameters(), 0.01);
  const kim = new sentiment.KimCNN({ backend: B, embeddingSize: k.dim, featureMapSize: k.features });
  const kimOpt = new nn.SGD(kim.parameters(), 0.01);
  let ls = 0;
  let ks = 0;
  return {
    lenet: () => {
      const { x, y } = mnist.makeBatch(m.split, (ls++ % m.batches) * m.batch, m.batch, B);
      x.requiresGrad_(true);
      const loss = nn.nllLoss(lenet.forward(x), y);
      loss.backward();
      loss.item();
      lenetOpt.step();
    },
    kim: () => {
      const { x, y } = sentiment.sentimentBatch(k.split, (ks++ % k.batches) * k.batch, k.batch, B);
      x.requiresGrad_(true);
      const loss = nn.bceLoss(kim.forward(x), y);
      loss.backward();
      loss.item();
      kimOpt.step();
    },
  };
}

const turn = () => new Promise((r) => setImmediate(r));
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const before = await engine(oldRoot);
const after = await engine(newRoot);
const times = { oldLenet: [], newLenet: [], oldKim: [], newKim: [] };

async function block(step, count, into, turnEach) {
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    step();
    into.push(performance.now() - t);
    if (turnEach) await turn();
  }
}

for (let i = 0; i < 20; i++) {
  before.lenet();
  after.lenet();
  await turn();
}
for (let i = 0; i < 3; i++) {
  before.kim();
  after.kim();
  await turn();
}
for (let r = 0; r < rounds; r++) {
  const pairs = [
    [() => block(before.lenet, lenetBlock, times.oldLenet, true), () => block(after.lenet, lenetBlock, times.newLenet, false)],
    [() => block(before.kim, kimBlock, times.oldKim, true), () => block(after.kim, kimBlock, times.newKim, false)],
  ];
  for (const [a, b] of pairs) {
    for (const run of r % 2 === 0 ? [a, b] : [b, a]) {
      await run();
      await turn();
    }
  }
}
const f = (x) => x.toFixed(2);
const [ol, nl, ok, nk] = [times.oldLenet, times.newLenet, times.oldKim, times.newKim].map(median);
console.log(`LeNet step median: before (turn per step) ${f(ol)} ms, after (plain loop) ${f(nl)} ms, after/before ${f(nl / ol)} (${times.oldLenet.length} steps each)`);
console.log(`Kim-CNN step median: before ${f(ok)} ms, after ${f(nk)} ms, after/before ${f(nk / ok)} (${times.oldKim.length} steps each)`);
console.log(`epochs (312 / 45 steps): LeNet ${f(ol * 0.312)} s → ${f(nl * 0.312)} s; Kim ${f(ok * 0.045)} s → ${f(nk * 0.045)} s`);
process.exit(0);
