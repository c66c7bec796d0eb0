#!/usr/bin/env node
/* global console, performance, process, setImmediate */
// The pool's per-job cost across two built checkouts: a 20,000-element zip
// (just above the inline threshold) on two threads, in alternating blocks of
// 300 jobs in one process, after 500 warm-up jobs each. Prints the median
// microseconds per job of each and new/old. Run it in both load orders
// (the copy loaded second can run slower on identical code).
//
//   node scripts/compare-pool-jobs.mjs OLD_ROOT NEW_ROOT [old-first|new-first]
import { pathToFileURL } from "node:url";
const [oldRoot, newRoot, order] = process.argv.slice(2);
const load = async (root) => {
  const f = await import(pathToFileURL(`${root}/packages/fast-ops/dist/index.js`).href);
  const tc = await import(pathToFileURL(`${root}/packages/tensor-core/dist/index.js`).href);
  f.setThreads(2);
  const a = tc.rand([20000], f.FastBackend), b = tc.rand([20000], f.FastBackend);
  const out = tc.zeros([20000], f.FastBackend);
  return () => f.FastBackend.ops.zip((x, y) => x + y)(a, b, out);
};
const engines = order === "new-first" ? [await load(newRoot), await load(oldRoot)].reverse() : [await load(oldRoot), await load(newRoot)];
const [o, n] = engines;
const times = [[], []];
for (let i = 0; i < 500; i++) { o(); n(); }
for (let r = 0; r < 16; r++) {
  for (const k of r % 2 ? [1, 0] : [0, 1]) {
    const fn = engines[k];
    const t = performance.now();
    for (let i = 0; i < 300; i++) fn();
    times[k].push((performance.now() - t) / 300);
    await new Promise((res) => setImmediate(res));
  }
}
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
console.log(order, "old µs/job", (med(times[0]) * 1000).toFixed(1), "new µs/job", (med(times[1]) * 1000).toFixed(1), "new/old", (med(times[1]) / med(times[0])).toFixed(3));
process.exit(0);
