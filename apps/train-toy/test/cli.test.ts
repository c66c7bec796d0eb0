/**
 * The three commands as a user runs them: from their defaults they reach
 * the guides' accuracies on simple, split and xor; they print minitorch's
 * log lines and write them to --log; bad options fail with one line.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../../common/test/tempDirs.js";

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist");
const tempDir = tempDirs("train-toy-cli-");

const COMMANDS = { "train-scalar": "trainScalar.js", "train-tensor": "trainTensor.js", "train-fast-tensor": "trainFastTensor.js" } as const;
type Command = keyof typeof COMMANDS;

function run(command: Command, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.MINITORCH_DEBUG;
  const r = spawnSync(process.execPath, [path.join(dist, COMMANDS[command]), ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The share of points right in the run's last line ("Done: 49 of 50 correct …"). */
function accuracyOf(stdout: string): number {
  const done = /^Done: (\d+) of (\d+) correct/m.exec(stdout);
  expect(done, stdout).not.toBeNull();
  return Number(done![1]) / Number(done![2]);
}

/** docs/module-1.md, module-2.md and module-3.md state these for the defaults (seed 0). */
const GUIDE_ACCURACY: Record<string, number> = { simple: 0.96, split: 0.96, xor: 0.9 };

describe("train-toy commands", () => {
  it.each((Object.keys(COMMANDS) as Command[]).flatMap((c) => Object.keys(GUIDE_ACCURACY).map((d): [Command, string] => [c, d])))(
    "%s --dataset %s reaches the guide's accuracy from the defaults",
    (command, dataset) => {
      const r = run(command, ["--dataset", dataset]);
      expect(r.status, r.stderr).toBe(0);
      expect(accuracyOf(r.stdout)).toBeGreaterThanOrEqual(GUIDE_ACCURACY[dataset]!);
    },
  );

  it("prints minitorch's lines every 10th epoch and writes them to --log after the command line", () => {
    const log = path.join(tempDir(), "scalar.txt");
    const r = run("train-scalar", ["--dataset", "xor", "--hidden", "4", "--epochs", "25", "--log", log]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe("Scalar network: dataset xor, 50 points, hidden 4, lr 0.5, 25 epochs, seed 0");
    expect(lines.slice(1, 4).map((l) => l.replace(/loss {2}\S+ correct \d+/, "loss  L correct C"))).toEqual([
      "Epoch  10  loss  L correct C",
      "Epoch  20  loss  L correct C",
      "Epoch  25  loss  L correct C",
    ]);
    expect(lines[4]).toMatch(/^Done: \d+ of 50 correct \(\d+\.\d\d%\) after 25 epochs$/);
    expect(fs.readFileSync(log, "utf8")).toBe(`# train-scalar --dataset xor --hidden 4 --epochs 25 --log ${log} (seed 0)\n${r.stdout}`);
  });

  it("train-fast-tensor adds the time per epoch to each line", () => {
    const r = run("train-fast-tensor", ["--epochs", "10", "--threads", "1"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Epoch {2}10 {2}loss {2}\S+ correct \d+ time per epoch \d+\.\d{4} s$/m);
    expect(r.stdout).toMatch(/^Done: \d+ of 50 correct \(.*\) after 10 epochs, \d+\.\d{4} s per epoch$/m);
  });

  it("the same seed gives the same run; another seed another", () => {
    const a = run("train-tensor", ["--epochs", "20", "--seed", "3"]);
    const b = run("train-tensor", ["--epochs", "20", "--seed", "3"]);
    const c = run("train-tensor", ["--epochs", "20", "--seed", "4"]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split("\n").slice(1)).not.toEqual(c.stdout.split("\n").slice(1));
  });

  it.each<[Command, string[], RegExp]>([
    ["train-scalar", ["--dataset", "moons"], /--dataset must be one of simple, diag, split, xor, circle, spiral, got "moons"/],
    ["train-tensor", ["--hidden", "0"], /--hidden must be a positive integer, got "0"/],
    ["train-scalar", ["--lr", "-1"], /--lr must be a positive number, got "-1"/],
    ["train-fast-tensor", ["--backend", "tpu"], /--backend must be one of .*fast.*gpu.*, got "tpu"/],
    ["train-fast-tensor", ["--batch-size", "x"], /--batch-size must be a positive integer, got "x"/],
  ])("%s %j fails with one line", (command, args, message) => {
    const r = run(command, args);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.split("\n");
    expect(lines, r.stderr).toHaveLength(2);
    expect(lines[0]).toMatch(message);
  });

  it("a --log that is a directory fails with one line naming it, before training", () => {
    const dir = tempDir();
    const r = run("train-tensor", ["--log", dir]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^train-tensor: --log ${dir.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*\n$`));
  });
});
