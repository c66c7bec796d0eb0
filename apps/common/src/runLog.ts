/**
 * The run log: every line goes to stdout and, with `--log FILE`, is
 * appended to the file at once (an unbuffered write per line), so an
 * interrupted run keeps everything it printed.
 */
import fs from "node:fs";
import path from "node:path";

export class RunLog {
  private fd: number | null = null;
  /** Called before a line is printed (a progress bar clears itself). */
  beforeLine: () => void = () => {};
  /** Called after a line is printed (a progress bar redraws). */
  afterLine: () => void = () => {};

  /**
   * @param file the log file, created with `header` as its first line if it
   *   does not exist or is empty; appended to otherwise.
   */
  constructor(file: string | undefined, header: string) {
    if (file === undefined) return;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = fs.openSync(file, "a");
    if (fs.fstatSync(this.fd).size === 0) fs.writeSync(this.fd, `${header}\n`);
  }

  /** Print a line and append it to the log file. */
  line(text: string): void {
    this.beforeLine();
    process.stdout.write(`${text}\n`);
    if (this.fd !== null) fs.writeSync(this.fd, `${text}\n`);
    this.afterLine();
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** One record of the metrics file (JSON lines), read by the visualiser. */
export interface MetricRecord {
  /** "batch" for a training-step log, "epoch" for an end-of-epoch summary. */
  kind: "batch" | "epoch";
  epoch: number;
  batch: number;
  loss: number;
  /** Validation accuracy in [0, 1], if measured at this point. */
  valAccuracy?: number;
  /** Training accuracy in [0, 1], if measured. */
  trainAccuracy?: number;
  /** Seconds since the run started. */
  time: number;
}

/** Appends metric records as JSON lines, one unbuffered write each. */
export class MetricsWriter {
  private fd: number | null = null;
  private readonly started = performance.now();

  constructor(file: string | undefined) {
    if (file === undefined) return;
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.fd = fs.openSync(file, "a");
  }

  write(record: Omit<MetricRecord, "time">): void {
    if (this.fd === null) return;
    const full: MetricRecord = { ...record, time: Number(((performance.now() - this.started) / 1000).toFixed(3)) };
    fs.writeSync(this.fd, `${JSON.stringify(full)}\n`);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** The metrics file that goes with a log file: `run.txt` → `run.metrics.jsonl`. */
export function metricsPathFor(logFile: string): string {
  const ext = path.extname(logFile);
  return `${ext ? logFile.slice(0, -ext.length) : logFile}.metrics.jsonl`;
}
