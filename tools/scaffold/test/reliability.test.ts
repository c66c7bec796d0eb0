/**
 * scaffold's --out under issue 26's probe: the output directory goes
 * through the apps' output guard before any file is written. Each test
 * names its row.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) {
    fs.chmodSync(d, 0o700);
    fs.rmSync(d, { recursive: true, force: true });
  }
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: "utf8", timeout: 30_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("reliability (issue 26): scaffold --out", () => {
  describe("rows 8 and 10: the output directory is checked at start-up, errors name --out and the path", () => {
    it.runIf(fs.existsSync("/proc/self"))("--out under /proc fails at once (a timeout would mean mkdir spinning)", () => {
      const r = run(["--module", "1", "--out", "/proc/x/copy"]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toBe("scaffold: --out /proc/x/copy: cannot create directory /proc/x (ENOENT)\n");
    });

    it("--out in a directory that takes no new file is refused before anything is written", () => {
      const parent = fs.mkdtempSync(path.join(os.tmpdir(), "scaffold-reliability-"));
      dirs.push(parent);
      let out = path.join(parent, "copy");
      if (process.getuid?.() === 0) {
        out = "/proc/self/copy";
      } else {
        fs.chmodSync(parent, 0o500);
      }
      const r = run(["--module", "1", "--out", out]);
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^scaffold: --out ${out}: cannot create directory ${out} \\((EACCES|ENOENT)\\)\\n$`));
    });
  });
});
