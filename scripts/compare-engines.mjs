#!/usr/bin/env node
/* global console, performance, process, setImmediate */
// Before/after of a training step across two built checkouts of this
// repository: OLD's LeNet and Kim-CNN steps with an event-loop turn after
// each (how apps ran before per-tensor storage), NEW's in a plain
// synchronous loop, in alternating blocks within one process so both see
// the same load. Two copies of the library in one process do not run
// alike — the one loaded second measured up to 1.35× slower than the first
// on identical code — so the comparison runs twice, in two child
// processes, once with each checkout loaded first, and reports the
// geometric mean of the two after/before ratios (which cancels a
// load-order factor). Needs `pnpm build` in both checkouts (bench included).
//
//   node scripts/compare-engines.mjs OLD_ROOT NEW_ROOT [rounds=8] [lenetBlock=40] [kimBlock=6]
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [oldRoot, newRoot] = process.argv.slice(2, 4).map((p) => (p === undefined ? undefined : resolve(p)));
if (oldRoot === undefined || newRoot === undefined) {
  console.error("usage: node scripts/compare-engines.mjs OLD_ROOT NEW_ROOT [rounds] [lenetBlock] [kimBlock]");
  process.exit(2);
}
const [rounds, lenetBlock, kimBlock] = [4, 5, 6].map((i, k) => Number(process.argv[i] ?? [8, 40, 6][k]));
const loadNewFirst = process.argv[7] === "--new-first";
const isChild = process.argv.includes("--child");

if (!isChild) {
  const f = (x) => x.toFixed(2);
  const runs = [false, true].map((newFirst) => {
    const args = [fileURLToPath(import.meta.url), oldRoot, newRoot, String(rounds), String(lenetBlock), String(kimBlock), newFirst ? "--new-first" : "--old-first", "--child"];
    const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`child (${newFirst ? "new" : "old"} loaded first) exited with ${r.status}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1));
  });
  for (const [name, steps] of [["LeNet", 312], ["Kim-CNN", 45]]) {
    const key = name === "LeNet" ? "lenet" : "kim";
    const ratios = runs.map((r) => r[key].after / r[key].before);
    for (const [i, r] of runs.entries()) {
      console.log(`${name} step median, ${i === 0 ? "old" : "new"} loaded first: before (turn per step) ${f(r[key].before)} ms, after (plain loop) ${f(r[key].after)} ms, after/before ${f(ratios[i])} (${r[key].steps} steps each)`);
    }
    const ratio = Math.sqrt(ratios[0] * ratios[1]);
    const before = Math.sqrt(runs[0][key].before * runs[1][key].before);
    console.log(`${name}: after/before ${f(ratio)} (geometric mean of both orders); epoch of ${steps} steps ≈ ${f((before * steps) / 1000)} s → ${f((before * ratio * steps) / 1000)} s`);
  }
  process.exit(0);
}

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
let before;
let after;
if (loadNewFirst) {
  after = await engine(newRoot);
  before = await engine(oldRoot);
} else {
  before = await engine(oldRoot);
  after = await engine(newRoot);
}
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
const [ol, nl, ok, nk] = [times.oldLenet, times.newLenet, times.oldKim, times.newKim].map(median);
console.log(JSON.stringify({ lenet: { before: ol, after: nl, steps: times.oldLenet.length }, kim: { before: ok, after: nk, steps: times.oldKim.length } }));
process.exit(0);
