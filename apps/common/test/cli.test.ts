import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { InvalidArgumentError } from "commander";
import { afterAll, describe, expect, it } from "vitest";
import { UsageError, inSlices, nonNegativeInt, oneOf, percent, positiveInt, positiveNumber, yieldToEventLoop } from "../src/index.js";

/** The built package: child processes run plain JavaScript. */
const distUrl = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/index.js")).href;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Runs `body` (ES module code with `runMain` imported) in a child node process. */
function runScript(body: string, env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-common-cli-"));
  dirs.push(dir);
  const file = path.join(dir, "script.mjs");
  fs.writeFileSync(file, `import { runMain, UsageError } from ${JSON.stringify(distUrl)};\n${body}\n`);
  const env2 = { ...process.env, ...env };
  delete env2.MINITORCH_DEBUG;
  if (env.MINITORCH_DEBUG !== undefined) env2.MINITORCH_DEBUG = env.MINITORCH_DEBUG;
  const r = spawnSync(process.execPath, [file], { encoding: "utf8", env: env2, timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Calls `parse` and returns the message it throws (it must throw an InvalidArgumentError). */
function rejection(parse: (value: string) => unknown, value: string): string {
  try {
    parse(value);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidArgumentError);
    return (e as Error).message;
  }
  throw new Error(`${JSON.stringify(value)} was accepted`);
}

describe("app-common", () => {
  describe("option parsers", () => {
    it("positiveInt accepts positive integers and rejects the rest with a one-line message", () => {
      const p = positiveInt("--epochs");
      expect(p("1")).toBe(1);
      expect(p("250")).toBe(250);
      for (const bad of ["0", "-1", "1.5", "abc", "", "Infinity", "NaN", "2x"]) {
        const message = rejection(p, bad);
        expect(message).toBe(`--epochs must be a positive integer, got "${bad}".`);
        expect(message).not.toContain("\n");
      }
    });

    it("nonNegativeInt accepts 0", () => {
      const p = nonNegativeInt("--seed");
      expect(p("0")).toBe(0);
      expect(p("42")).toBe(42);
      for (const bad of ["-1", "0.5", "seed", "-Infinity"]) {
        expect(rejection(p, bad)).toBe(`--seed must be a non-negative integer, got "${bad}".`);
      }
    });

    it("positiveNumber accepts positive finite numbers", () => {
      const p = positiveNumber("--lr");
      expect(p("0.01")).toBe(0.01);
      expect(p("1e-3")).toBe(0.001);
      expect(p("2")).toBe(2);
      for (const bad of ["0", "-0.01", "Infinity", "NaN", "fast", ""]) {
        expect(rejection(p, bad)).toBe(`--lr must be a positive number, got "${bad}".`);
      }
    });

    it("oneOf accepts exactly the listed choices and lists them when rejecting", () => {
      const p = oneOf("--backend", ["fast", "simple"] as const);
      expect(p("fast")).toBe("fast");
      expect(p("simple")).toBe("simple");
      for (const bad of ["gpu", "Fast", "", "fast "]) {
        expect(rejection(p, bad)).toBe(`--backend must be one of fast, simple, got "${bad}".`);
      }
    });
  });

  describe("percent", () => {
    it("formats like Python's {x:.2%}", () => {
      expect(percent(0.5133)).toBe("51.33%");
      expect(percent(0)).toBe("0.00%");
      expect(percent(1)).toBe("100.00%");
      expect(percent(0.5)).toBe("50.00%");
      expect(percent(2 / 3)).toBe("66.67%");
    });
  });

  describe("UsageError / yieldToEventLoop", () => {
    it("UsageError is an Error named UsageError", () => {
      const e = new UsageError("--data-dir x does not exist");
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe("UsageError");
      expect(e.message).toBe("--data-dir x does not exist");
    });

    it("yieldToEventLoop lets pending immediates run", async () => {
      let ran = false;
      setImmediate(() => (ran = true));
      await yieldToEventLoop();
      expect(ran).toBe(true);
    });

    it("inSlices runs every unit once, in order, in slices of about sliceMs, turning the event loop between slices", async () => {
      const slices: Array<[number, number]> = [];
      let turns = 0;
      const busy = (ms: number): void => {
        for (const end = performance.now() + ms; performance.now() < end; );
      };
      const tick = (): void => {
        turns++;
        if (turns < 1000) setImmediate(tick);
      };
      setImmediate(tick);
      // 2 ms per unit, slices of about 10 ms: 1 unit, then about 5 at a time.
      await inSlices(23, (from, to) => {
        slices.push([from, to]);
        busy(2 * (to - from));
      }, 10);
      expect(slices[0]).toEqual([0, 1]);
      expect(slices.flatMap(([a, b]) => Array.from({ length: b - a }, (_, i) => a + i))).toEqual(Array.from({ length: 23 }, (_, i) => i));
      expect(slices.length).toBeLessThan(23);
      expect(turns).toBeGreaterThanOrEqual(slices.length - 1);
    });

    it("inSlices with zero units calls nothing", async () => {
      let calls = 0;
      await inSlices(0, () => calls++);
      expect(calls).toBe(0);
    });
  });

  describe("runMain", () => {
    it("exits 0 when main resolves", () => {
      const r = runScript(`runMain("demo", async () => { process.stdout.write("ran\\n"); });`);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe("ran\n");
      expect(r.stderr).toBe("");
    });

    it("turns an error into exactly one line on stderr and exit code 1, without a stack trace", () => {
      const r = runScript(`runMain("demo", async () => { throw new Error("first line\\nsecond line\\n    at nowhere"); });`);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe("demo: first line\n");
      const u = runScript(`runMain("demo", async () => { throw new UsageError("--x must be given"); });`);
      expect(u.status).toBe(1);
      expect(u.stderr).toBe("demo: --x must be given\n");
      const s = runScript(`runMain("demo", async () => { throw "a string"; });`);
      expect(s.status).toBe(1);
      expect(s.stderr).toBe("demo: a string\n");
    });

    it("also catches a synchronous throw inside the async main", () => {
      const r = runScript(`runMain("demo", async () => { JSON.parse("{"); });`);
      expect(r.status).toBe(1);
      expect(r.stderr.split("\n")).toHaveLength(2);
      expect(r.stderr).toMatch(/^demo: .*JSON/);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });

    it("prints the stack trace as well with MINITORCH_DEBUG", () => {
      const r = runScript(`runMain("demo", async () => { throw new Error("boom"); });`, { MINITORCH_DEBUG: "1" });
      expect(r.status).toBe(1);
      expect(r.stderr.split("\n")[0]).toBe("demo: boom");
      expect(r.stderr).toMatch(/^\s+at /m);
    });

    it("on SIGINT calls onInterrupt, says so on stderr and exits with 130", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "app-common-sigint-"));
      dirs.push(dir);
      const file = path.join(dir, "script.mjs");
      fs.writeFileSync(
        file,
        `import { runMain } from ${JSON.stringify(distUrl)};\n` +
          `runMain("demo", () => new Promise(() => { setInterval(() => {}, 1000); process.stdout.write("ready\\n"); }),` +
          ` () => process.stdout.write("cleaned up\\n"));\n`,
      );
      const child = spawn(process.execPath, [file], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        let sent = false;
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (!sent && stdout.includes("ready")) {
            sent = true;
            child.kill("SIGINT");
          }
        });
        child.on("exit", (c) => resolve(c));
      });
      expect(code).toBe(130);
      expect(stdout).toBe("ready\ncleaned up\n");
      expect(stderr).toBe("\ndemo: interrupted\n");
    });
  });
});
