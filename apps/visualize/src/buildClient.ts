/**
 * Build step of the page (run by the package's `build` script after tsc):
 * esbuild bundles src/client (with uPlot and @viz-js/viz) into dist/public,
 * so the page needs nothing from the internet. @viz-js/viz is split into its
 * own chunk, loaded only when an expression graph is first drawn.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const client = path.join(root, "src", "client");
const out = path.join(root, "dist", "public");

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, "assets"), { recursive: true });
const result = await build({
  entryPoints: [path.join(client, "main.ts")],
  outdir: path.join(out, "assets"),
  bundle: true,
  format: "esm",
  splitting: true,
  minify: true,
  charset: "utf8",
  target: ["es2022"],
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  metafile: true,
  logLevel: "warning",
});
fs.copyFileSync(path.join(client, "index.html"), path.join(out, "index.html"));
const sizes = Object.entries(result.metafile.outputs)
  .map(([file, o]) => `${path.relative(out, path.resolve(file))} ${(o.bytes / 1024).toFixed(0)} KiB`)
  .join(", ");
process.stdout.write(`visualize: page built into ${path.relative(root, out)}: ${sizes}\n`);
