/**
 * `pnpm mnist`, `pnpm train-mnist …` and the other app scripts print the
 * app's own output only: they build through scripts/turbo.mjs --quiet,
 * which says nothing unless the build fails, and then says everything.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, "utf8")) as { scripts: Record<string, string> };
const turbo = (args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, ["scripts/turbo.mjs", ...args], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });

describe("quiet app scripts", () => {
  it.each(["mnist", "train-mnist", "train-sentiment", "export-onnx", "visualize"])("pnpm %s builds quietly, then runs the app", (name) => {
    expect(pkg.scripts[name]).toMatch(/^node scripts\/turbo\.mjs --quiet run build --filter @minitorch\/[a-z-]+ && node apps\/[a-z-]+\/dist\/[a-z-]+\.js/);
  });

  it("a build that succeeds prints nothing", () => {
    const r = turbo(["--quiet", "run", "build", "--filter", "@minitorch/train-mnist"]);
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });

  it("a build that fails prints turbo's output and fails", () => {
    const r = turbo(["--quiet", "run", "no-such-task"]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("no-such-task");
  });

  it("pnpm shows no update box (.npmrc)", () => {
    expect(readFileSync(`${ROOT}.npmrc`, "utf8")).toMatch(/^update-notifier=false$/m);
  });
});
