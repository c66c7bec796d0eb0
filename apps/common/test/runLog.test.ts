import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EpochProgress, MetricsWriter, RunLog, metricsPathFor, type MetricRecord } from "../src/index.js";
import { tempDirs } from "./tempDirs.js";

const tempDir = tempDirs("app-common-log-");

/** Captures what is written to stdout meanwhile (and keeps it off the test output). */
let stdout: string[] = [];
beforeEach(() => {
  stdout = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe("app-common", () => {
  describe("RunLog", () => {
    it("writes the header once, then appends; a second RunLog on the same file does not repeat it", () => {
      const file = path.join(tempDir(), "run.txt");
      const a = new RunLog(file, "# header one");
      a.line("first");
      a.close();
      const b = new RunLog(file, "# header two");
      b.line("second");
      b.close();
      expect(fs.readFileSync(file, "utf8")).toBe("# header one\nfirst\nsecond\n");
    });

    it("creates the file with its first line (header first); a log closed before any line leaves no file", () => {
      const dir = tempDir();
      const file = path.join(dir, "run.txt");
      new RunLog(file, "# h").close();
      expect(fs.existsSync(file)).toBe(false);
      const log = new RunLog(file, "# h");
      expect(fs.existsSync(file)).toBe(false);
      log.line("one");
      expect(fs.readFileSync(file, "utf8")).toBe("# h\none\n");
      log.close();
      const empty = path.join(dir, "empty.txt");
      fs.writeFileSync(empty, "");
      const again = new RunLog(empty, "# h2");
      again.line("two");
      again.close();
      expect(fs.readFileSync(empty, "utf8")).toBe("# h2\ntwo\n");
    });

    it("puts every line on disk at once, before close()", () => {
      const file = path.join(tempDir(), "run.txt");
      const log = new RunLog(file, "# h");
      log.line("Epoch 1 loss 2.3 valid acc 1/16");
      expect(fs.readFileSync(file, "utf8")).toBe("# h\nEpoch 1 loss 2.3 valid acc 1/16\n");
      log.line("Epoch 1 loss 2.2 valid acc 2/16");
      expect(fs.readFileSync(file, "utf8").split("\n")).toHaveLength(4);
      log.close();
    });

    it("prints every line to stdout, with or without a file; close() twice is harmless", () => {
      const log = new RunLog(undefined, "# not printed");
      log.line("hello");
      log.close();
      log.close();
      expect(stdout).toEqual(["hello\n"]);
    });

    it("calls beforeLine and afterLine around each line", () => {
      const calls: string[] = [];
      const log = new RunLog(undefined, "");
      log.beforeLine = () => calls.push("before");
      log.afterLine = () => calls.push("after");
      log.line("x");
      expect(calls).toEqual(["before", "after"]);
    });
  });

  describe("MetricsWriter", () => {
    it("appends one valid JSON record per line, on disk immediately, with a time in seconds", () => {
      const file = path.join(tempDir(), "run.metrics.jsonl");
      const m = new MetricsWriter(file);
      m.write({ kind: "batch", epoch: 1, batch: 0, loss: 2.3, valAccuracy: 0.125 });
      expect(fs.readFileSync(file, "utf8").trim().split("\n")).toHaveLength(1);
      m.write({ kind: "epoch", epoch: 1, batch: 4, loss: 9.2, valAccuracy: 0.5, trainAccuracy: 0.75 });
      m.close();
      const again = new MetricsWriter(file);
      again.write({ kind: "epoch", epoch: 2, batch: 4, loss: 8 });
      again.close();
      const lines = fs.readFileSync(file, "utf8").split("\n");
      expect(lines.at(-1)).toBe("");
      const records = lines.slice(0, -1).map((l) => JSON.parse(l) as MetricRecord);
      expect(records.map((r) => [r.kind, r.epoch, r.batch, r.loss])).toEqual([
        ["batch", 1, 0, 2.3],
        ["epoch", 1, 4, 9.2],
        ["epoch", 2, 4, 8],
      ]);
      expect(records[1]).toMatchObject({ valAccuracy: 0.5, trainAccuracy: 0.75 });
      for (const r of records) {
        expect(typeof r.time).toBe("number");
        expect(r.time).toBeGreaterThanOrEqual(0);
      }
    });

    it("writes nothing without a file", () => {
      const m = new MetricsWriter(undefined);
      m.write({ kind: "batch", epoch: 1, batch: 0, loss: 1 });
      m.close();
      expect(stdout).toEqual([]);
    });

    it("metricsPathFor puts the metrics file beside the log", () => {
      expect(metricsPathFor("runs/run.txt")).toBe("runs/run.metrics.jsonl");
      expect(metricsPathFor("/tmp/x/mnist.log")).toBe("/tmp/x/mnist.metrics.jsonl");
      expect(metricsPathFor("runlog")).toBe("runlog.metrics.jsonl");
    });
  });

  describe("EpochProgress", () => {
    it("draws nothing when disabled (stderr not a terminal) and leaves log lines alone", () => {
      const stderr: string[] = [];
      vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
        stderr.push(String(chunk));
        return true;
      });
      const file = path.join(tempDir(), "run.txt");
      const log = new RunLog(file, "# h");
      const progress = new EpochProgress(log, false);
      progress.start(1, 10);
      progress.update(1, 16, 2.3);
      log.line("Epoch 1 loss 2.3 valid acc 1/16");
      progress.stop();
      log.close();
      expect(stderr).toEqual([]);
      expect(stdout).toEqual(["Epoch 1 loss 2.3 valid acc 1/16\n"]);
      expect(fs.readFileSync(file, "utf8")).toBe("# h\nEpoch 1 loss 2.3 valid acc 1/16\n");
    });
  });
});
