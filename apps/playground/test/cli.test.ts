/**
 * `pnpm playground` and `pnpm visualize` are one page behind two command
 * lines: visualize keeps the options and defaults it always had (--runs
 * required, port 8050, --sst2-dir). Runs the built entries.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const app = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const run = (entry: string, args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [path.join(app, "dist", entry), ...args], { encoding: "utf8", timeout: 30_000 });

describe("the playground and visualize command lines", () => {
  it("visualize --help: --runs required, port 8050, --sst2-dir", () => {
    const r = run("visualize.js", ["--help"]);
    expect(r.status).toBe(0);
    const help = r.stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/^Usage: visualize \[options\]/);
    expect(help).toMatch(/--runs <dir> .*\(required\)/);
    expect(help).toContain("(default: 8050)");
    expect(help).toContain("--sst2-dir <dir>");
  });

  it("playground --help: --runs optional, port 8060, --sst2-dir", () => {
    const help = run("main.js", ["--help"]).stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/^Usage: playground \[options\]/);
    expect(help).not.toContain("(required)");
    expect(help).toContain("(default: 8060)");
    expect(help).toContain("--sst2-dir <dir>");
  });

  it("visualize without --runs, or with a --runs that is not a directory, fails naming the option", () => {
    const missing = run("visualize.js", []);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toBe("error: required option '--runs <dir>' not specified\n");
    const bad = run("visualize.js", ["--runs", "/no/such/dir", "--port", "0"]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("--runs /no/such/dir is not a directory");
  });

  it("visualize --runs DIR serves the playground page and points at its Runs tab", async () => {
    const runs = fs.mkdtempSync(path.join(os.tmpdir(), "playground-cli-"));
    const child = spawn(process.execPath, [path.join(app, "dist/visualize.js"), "--runs", runs, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (c: Buffer) => {
          out += c.toString();
          if (out.includes("\n")) resolve(out);
        });
        child.on("exit", (code) => reject(new Error(`visualize exited with ${code}`)));
      });
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)![0];
      expect(line).toBe(`visualize: serving at ${url} (runs ${fs.realpathSync(runs)}: ${url}?page=runs)\n`);
      const page = await fetch(url);
      expect(page.headers.get("cross-origin-embedder-policy")).toBe("require-corp");
      expect(await page.text()).toContain("playground");
      expect(((await (await fetch(`${url}api/runs`)).json()) as { runs: unknown[] }).runs).toEqual([]);
    } finally {
      child.kill();
      fs.rmSync(runs, { recursive: true, force: true });
    }
  });
});
