#!/usr/bin/env node
/* global console, performance, process */
// Before/after of the library's elementwise kernels across two built
// checkouts: zip add, map relu and reduce sum at 10^3..10^6 elements,
// each kernel called directly on one thread over its whole range (what a
// pool chunk does), so only the loop is measured. OLD's kernels are made
// with its own API (compileZip/compileMap/compileReduce: `new Function`
// per operator, before kernels were modules), NEW's with fastZip/fastMap/
// fastReduce (one generated function per operator). Blocks alternate
// within one process so both see the same load, and each figure is the
// best of its rounds (on a shared machine the median mostly measures the
// neighbours); the comparison runs in two
// child processes, one per load order, and reports per case the geometric
// mean of the two new/old ratios (a copy loaded second can run slower on
// identical code). Needs `pnpm build` in both checkouts.
//
//   node scripts/compare-elementwise.mjs OLD_ROOT NEW_ROOT [rounds=60]
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [oldRoot, newRoot] = process.argv.slice(2, 4).map((p) => (p === undefined ? undefined : resolve(p)));
if (oldRoot === undefined || newRoot === undefined) {
  console.error("usage: node scripts/compare-elementwise.mjs OLD_ROOT NEW_ROOT [rounds]");
  process.exit(2);
}
const rounds = Number(process.argv[4] ?? 60);
const isChild = process.argv.includes("--child");

if (!isChild) {
  const runs = [false, true].map((newFirst) => {
    const args = [fileURLToPath(import.meta.url), oldRoot, newRoot, String(rounds), newFirst ? "--new-first" : "--old-first", "--child"];
    const r = spawnSync(process.execPath, args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    if (r.status !== 0) throw new Error(`child (${newFirst ? "new" : "old"} loaded first) exited with ${r.status}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1));
  });
  const f = (x, d = 2) => x.toFixed(d);
  console.log("| kernel | layout | elements | old ns/elem (old first, new first) | new ns/elem (old first, new first) | new/old (geo. mean) |");
  console.log("| --- | --- | ---: | ---: | ---: | ---: |");
  for (const [i, c] of runs[0].entries()) {
    const d = runs[1][i];
    const ratio = Math.sqrt((c.after / c.before) * (d.after / d.before));
    console.log(`| ${c.kernel} | ${c.layout} | ${c.n.toExponential(0)} | ${f(c.before)}, ${f(d.before)} | ${f(c.after)}, ${f(d.after)} | ${f(ratio)} |`);
  }
  process.exit(0);
}

const newFirst = process.argv.includes("--new-first");

/** One checkout's map relu, zip add and reduce sum kernels. */
async function kernels(root, isNew) {
  const fast = await import(pathToFileURL(`${root}/packages/fast-ops/dist/index.js`).href);
  const { operators } = await import(pathToFileURL(`${root}/packages/autodiff/dist/index.js`).href);
  return isNew
    ? { map: fast.fastMap(operators.relu), zip: fast.fastZip(operators.add), reduce: fast.fastReduce(operators.add) }
    : { map: fast.compileMap(operators.relu), zip: fast.compileZip(operators.add), reduce: fast.compileReduce(operators.add) };
}

const loaded = newFirst ? [await kernels(newRoot, true), await kernels(oldRoot, false)] : [await kernels(oldRoot, false), await kernels(newRoot, true)];
const [after, before] = newFirst ? loaded : [loaded[1], loaded[0]];

const i32 = (...xs) => Int32Array.from(xs);
const values = (n) => Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);

/** The cases at n elements: each returns a call of a checkout's kernel over the whole output. */
function cases(n) {
  const cols = 100;
  const rows = n / cols;
  const a = values(n);
  const b = values(n).reverse();
  const row = values(cols);
  const out = new Float64Array(n);
  const sums = new Float64Array(Math.max(rows, cols, n / 4));
  return [
    ["zip add", "contiguous", (k) => k.zip(out, i32(n), i32(1), a, i32(n), i32(1), b, i32(n), i32(1), 0, n)],
    ["zip add", `[${rows},${cols}] + [${cols}]`, (k) => k.zip(out, i32(rows, cols), i32(cols, 1), a, i32(rows, cols), i32(cols, 1), row, i32(cols), i32(1), 0, n)],
    ["map relu", "contiguous", (k) => k.map(out, i32(n), i32(1), a, i32(n), i32(1), 0, n)],
    ["map relu", `[${cols},${rows}] transposed`, (k) => k.map(out, i32(cols, rows), i32(rows, 1), a, i32(cols, rows), i32(1, cols), 0, n)],
    ["reduce sum", `[${rows},${cols}] dim 1`, (k) => k.reduce(sums, i32(rows, 1), i32(1, 1), a, i32(rows, cols), i32(cols, 1), 1, 0, 0, rows)],
    ["reduce sum", `[${rows},${cols}] dim 0`, (k) => k.reduce(sums, i32(1, cols), i32(cols, 1), a, i32(rows, cols), i32(cols, 1), 0, 0, 0, cols)],
    // Short rows, as pooling's tiles make them: a per-row broadcast and a fold of 4.
    ["zip add", `[${n / 4},4] + [${n / 4},1]`, (k) => k.zip(out, i32(n / 4, 4), i32(4, 1), a, i32(n / 4, 4), i32(4, 1), b, i32(n / 4, 1), i32(1, 1), 0, n)],
    ["reduce sum", `[${n / 4},4] dim 1`, (k) => k.reduce(sums, i32(n / 4, 1), i32(1, 1), a, i32(n / 4, 4), i32(4, 1), 1, 0, 0, n / 4)],
  ];
}

/** ns per element of `call`, repeated for about 3 ms. */
function time(call, n) {
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) call();
    const ms = performance.now() - t0;
    if (ms >= 3) return (ms * 1e6) / (reps * n);
    reps *= 2;
  }
}

const best = (xs) => Math.min(...xs);
const results = [];
for (const n of [1e3, 1e4, 1e5, 1e6]) {
  for (const [kernel, layout, call] of cases(n)) {
    // Warm both up, then alternate blocks.
    time(() => call(before), n);
    time(() => call(after), n);
    const old = [];
    const neu = [];
    for (let r = 0; r < rounds; r++) {
      old.push(time(() => call(before), n));
      neu.push(time(() => call(after), n));
    }
    results.push({ kernel, layout, n, before: best(old), after: best(neu) });
  }
}
console.log(JSON.stringify(results));
