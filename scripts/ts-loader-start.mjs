#!/usr/bin/env node
/* global console, performance, process, URL */
// How long a worker thread takes to run TypeScript source without a build:
// from `new Worker` to a source module graph imported (fast-ops' src/fastOps.ts,
// which imports the package's sources and tensor-core's build), for the
// built JavaScript (no loader), tsx (its ESM API's register() inside the
// thread, as fast-ops' runtime does) and ts-node's ESM loader in
// transpile-only mode (--loader in the worker's execArgv; measured only if
// ts-node is installed: `corepack pnpm --filter @minitorch/fast-ops add -D ts-node`).
// Each variant starts `runs` fresh workers in turn, alternating variants.
//
//   node scripts/ts-loader-start.mjs [runs=5]
import { createRequire } from "node:module";
import { pathToFileURL, fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

const runs = Number(process.argv[2] ?? 5);
const pkg = new URL("../packages/fast-ops/", import.meta.url);
const require = createRequire(new URL("package.json", pkg));
const resolve = (id) => {
  try {
    return pathToFileURL(require.resolve(id)).href;
  } catch {
    return null;
  }
};
const tsxApi = resolve("tsx/esm/api")?.replace(/index\.cjs$/, "index.mjs");
const tsNode = resolve("ts-node/esm");
const source = new URL("src/fastOps.ts", pkg).href;
const built = new URL("dist/fastOps.js", pkg).href;

const variants = {
  "built .js (no loader)": { target: built, prelude: "", execArgv: [] },
  "tsx register()": tsxApi && { target: source, prelude: `const { register } = await import(${JSON.stringify(tsxApi)}); register();`, execArgv: [] },
  "ts-node/esm --loader, transpile-only": tsNode && { target: source, prelude: "", execArgv: ["--no-warnings", "--loader", tsNode] },
};

function start({ target, prelude, execArgv }) {
  const code = `import { parentPort } from "node:worker_threads"; ${prelude} await import(${JSON.stringify(target)}); parentPort.postMessage(0);`;
  const t0 = performance.now();
  return new Promise((done, fail) => {
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), {
      execArgv,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "1", TS_NODE_PROJECT: fileURLToPath(new URL("tsconfig.json", pkg)) },
    });
    w.once("message", () => {
      done(performance.now() - t0);
      void w.terminate();
    });
    w.once("error", fail);
  });
}

const times = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < runs; r++) {
  for (const [name, v] of Object.entries(variants)) if (v) times[name].push(await start(v));
}
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const [name, t] of Object.entries(times)) {
  if (t.length === 0) console.log(`${name}: not installed`);
  else console.log(`${name}: median ${median(t).toFixed(0)} ms, min ${Math.min(...t).toFixed(0)} ms over ${t.length} workers`);
}
