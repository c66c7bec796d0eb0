/**
 * docs/library.md stays runnable: its program is examples/library/train.mjs
 * (checked verbatim), which this test runs against the BUILT umbrella
 * package as a user's project would import it, comparing its output with
 * the guide's; the TypeScript twin typechecks under NodeNext strict; and,
 * where /usr/bin/python3 has torch, the guide's Python loads the saved
 * file into PyTorch and classifies two bars correctly.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { readSafetensors } from "minitorch";

const here = dirname(fileURLToPath(import.meta.url));
const examples = resolve(here, "../examples/library");
const root = resolve(here, "../../..");
const guide = readFileSync(join(root, "docs/library.md"), "utf8");
const out = mkdtempSync(join(tmpdir(), "minitorch-guide-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The fenced blocks of the guide with language tag `lang` ("" for none), each with its final newline. */
function blocks(lang: string): string[] {
  const found: string[] = [];
  let open: { lang: string; lines: string[] } | null = null;
  for (const line of guide.split("\n")) {
    if (open === null && line.startsWith("```")) open = { lang: line.slice(3), lines: [] };
    else if (open !== null && line === "```") {
      if (open.lang === lang) found.push(open.lines.map((l) => l + "\n").join(""));
      open = null;
    } else open?.lines.push(line);
  }
  return found;
}

const python = "/usr/bin/python3";
const torchProbe = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
const noTorch = torchProbe.status === 0 ? null : `${python} cannot import torch`;
if (noTorch !== null) console.warn(`guide's PyTorch step skipped: ${noTorch}`);

describe("docs/library.md", () => {
  it("shows train.mjs and load_in_torch.py verbatim", () => {
    expect(blocks("js")).toContain(readFileSync(join(examples, "train.mjs"), "utf8"));
    expect(blocks("python")).toContain(readFileSync(join(examples, "load_in_torch.py"), "utf8"));
  });

  it("train.mjs runs in a plain node process, prints the guide's output, and writes both files", () => {
    const run = spawnSync(process.execPath, ["train.mjs"], { cwd: examples, encoding: "utf8", env: { ...process.env, OUT: out }, timeout: 120_000 });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const shown = blocks("").find((b) => b.startsWith("Net("));
    expect(run.stdout).toBe(shown);
    const names = [...readSafetensors(join(out, "bars.safetensors"))].map(([k, e]) => `${k} [${e.shape.join(", ")}] ${e.dtype}`);
    expect(names).toEqual(["conv.weight [4, 1, 3, 3] F32", "conv.bias [4] F32", "fc.weight [2, 64] F32", "fc.bias [2] F32"]);
    expect(existsSync(join(out, "bars.minitorch.safetensors"))).toBe(true);
  });

  it("train.ts typechecks under NodeNext, strict", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    const run = spawnSync(process.execPath, [tsc, "-p", join(examples, "tsconfig.json")], { encoding: "utf8", timeout: 120_000 });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });

  it.skipIf(noTorch !== null)("load_in_torch.py loads the saved file into PyTorch (strict) and classifies a horizontal and a vertical bar", () => {
    const file = join(out, "bars.safetensors");
    if (!existsSync(file)) spawnSync(process.execPath, ["train.mjs"], { cwd: examples, env: { ...process.env, OUT: out } });
    const run = spawnSync(python, [join(examples, "load_in_torch.py"), file], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("predicted classes: [0, 1]\n");
  });
});
