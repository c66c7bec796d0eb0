#!/usr/bin/env node
/* global console, performance */
// Why the library's elementwise kernels are one function per operator: the
// same zip loop, once as a copy per scalar function (each copy's call site
// sees one target, which V8 inlines) and once shared, taking the function as
// a parameter (its call site sees every operator and goes megamorphic).
// Prints ns per element of an add, best of 20 rounds, at three sizes.
//
//   node scripts/shared-loop-check.mjs
const ops = { add: (x, y) => x + y, mul: (x, y) => x * y, lt: (x, y) => (x < y ? 1 : 0), max: (x, y) => (x > y ? x : y), sub: (x, y) => x - y };
function shared(fn, out, a, b, n) {
  for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]);
}
/** A copy of the loop per function, as generated code gives one. */
const copyOf = (fn) => new Function("fn", "return function (out, a, b, n) { for (let i = 0; i < n; i++) out[i] = fn(a[i], b[i]); }")(fn);
const copies = Object.fromEntries(Object.entries(ops).map(([k, f]) => [k, copyOf(f)]));
for (const n of [1e3, 1e5, 1e6]) {
  const a = Float64Array.from({ length: n }, Math.random);
  const b = Float64Array.from({ length: n }, Math.random);
  const out = new Float64Array(n);
  // Every operator runs through both first, as a training step's ops do.
  for (const k of Object.keys(ops)) {
    for (let r = 0; r < 5; r++) {
      copies[k](out, a, b, n);
      shared(ops[k], out, a, b, n);
    }
  }
  const best = { copy: Infinity, shared: Infinity };
  const reps = Math.max(1, Math.floor(1e6 / n));
  for (let round = 0; round < 20; round++) {
    for (const mode of ["copy", "shared"]) {
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) {
        if (mode === "copy") copies.add(out, a, b, n);
        else shared(ops.add, out, a, b, n);
      }
      best[mode] = Math.min(best[mode], ((performance.now() - t0) * 1e6) / (reps * n));
    }
  }
  console.log(`n = ${n}: copy per function ${best.copy.toFixed(2)} ns/element, shared loop ${best.shared.toFixed(2)} ns/element`);
}
