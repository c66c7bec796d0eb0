/**
 * The apps' shared plumbing under issue 26's probe: one stop policy for
 * SIGINT, SIGTERM and SIGHUP, stale temporary files swept, write errors
 * naming option and file. Each test names its row.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it, vi } from "vitest";
import * as common from "../src/index.js";
import { quietStdout, tempDirs } from "./tempDirs.js";

const distUrl = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/index.js")).href;
const tempDir = tempDirs("app-common-reliability-");

quietStdout();

/** A process id that is no longer running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(r.stdout);
}

describe("reliability (issue 26): stopping and writing", () => {
  describe("row 6: SIGTERM and SIGHUP stop a run as SIGINT does", () => {
    it.each([
      ["SIGTERM", 143],
      ["SIGHUP", 129],
      ["SIGINT", 130],
    ] as const)("%s: onInterrupt runs, the log ends with the reason, exit code %i", async (signal, expected) => {
      const dir = tempDir();
      const log = path.join(dir, "run.txt");
      const script = path.join(dir, "script.mjs");
      fs.writeFileSync(
        script,
        `import { runMain, RunLog } from ${JSON.stringify(distUrl)};\n` +
          `runMain("demo", () => new Promise(() => { const l = new RunLog(${JSON.stringify(log)}, "# demo"); l.line("ready"); setInterval(() => {}, 1000); }),` +
          ` () => process.stdout.write("cleaned up\\n"));\n`,
      );
      const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"] });
      const guard = setTimeout(() => child.kill("SIGKILL"), 30_000);
      let stdout = "";
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => {
        let sent = false;
        child.stdout.on("data", (d: Buffer) => {
          stdout += d.toString();
          if (!sent && stdout.includes("ready")) {
            sent = true;
            child.kill(signal);
          }
        });
        child.on("exit", (c) => resolve(c));
      });
      clearTimeout(guard);
      expect(code).toBe(expected);
      expect(stdout).toBe("ready\ncleaned up\n");
      expect(stderr).toBe(signal === "SIGINT" ? "\ndemo: interrupted\n" : `\ndemo: interrupted by ${signal}\n`);
      expect(fs.readFileSync(log, "utf8")).toBe(`# demo\nready\n# stopped: interrupted (${signal})\n`);
    });

    it("sweepStaleTemporaries removes what a killed writer left, and nothing of a live one or of others", () => {
      const dir = tempDir();
      const target = path.join(dir, "run.ckpt");
      const dead = deadPid();
      const stale = [`.run.ckpt.${dead}.tmp`, `run.ckpt.${dead}.tmp`, `run.ckpt.${dead}.0a1b2c3d.part`];
      const kept = [`.run.ckpt.${process.pid}.tmp`, `.other.ckpt.${dead}.tmp`, "run.ckpt", `.run.ckpt.${dead}.tmp.keep`];
      for (const f of [...stale, ...kept]) fs.writeFileSync(path.join(dir, f), "x");
      expect(common.sweepStaleTemporaries(target).map((f) => path.basename(f)).sort()).toEqual([...stale].sort());
      expect(fs.readdirSync(dir).sort()).toEqual([...kept].sort());
    });
  });

  describe("row 10: a failed write names the option and the file", () => {
    it("a log write failing with ENOSPC", () => {
      const file = path.join(tempDir(), "run.txt");
      const log = new common.RunLog(file, "# header", "--log");
      const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      vi.spyOn(fs, "writeSync").mockImplementation(() => {
        throw full;
      });
      expect(() => log.line("epoch 1")).toThrow(`--log ${file}: cannot write (ENOSPC: no space left on device)`);
      log.close();
    });

    it("a metrics write failing with ENOSPC", () => {
      const file = path.join(tempDir(), "run.metrics.jsonl");
      const metrics = new common.MetricsWriter(file, "--metrics");
      const full = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      vi.spyOn(fs, "writeSync").mockImplementation(() => {
        throw full;
      });
      expect(() => metrics.write({ kind: "epoch", epoch: 1, batch: 0, loss: 1 })).toThrow(`--metrics ${file}: cannot write (ENOSPC: no space left on device)`);
      metrics.close();
    });
  });
});
