/**
 * The run log: every line goes to stdout and, with `--log FILE`, is
 * appended to the file at once (an unbuffered write per line), so an
 * interrupted run keeps everything it printed. The file is opened by the
 * first line, so a run that fails before printing anything leaves none; a
 * run that stops after printing (an error, Ctrl-C) ends its log with a line
 * saying why (`stopRuns`).
 */
import fs from "node:fs";
import path from "node:path";

/** A failed write to an output, as "<option> <file>: cannot write (ENOSPC: no space left on device)". */
function writeError(option: string, file: string, e: unknown): Error {
  const err = e as NodeJS.ErrnoException;
  const why = err.code !== undefined ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, "").replace(/, (write|open)$/, "")}` : err.message;
  return new Error(`${option} ${file}: cannot write (${why})`, { cause: e });
}

/** Logs and metrics files open in this process, for `stopRuns`. */
const active = new Set<RunLog | MetricsWriter>();

/**
 * Ends every open run log with `# stopped: <reason>` (if it has written
 * anything) and closes the logs and metrics files. Called when the app
 * fails or is interrupted.
 */
export function stopRuns(reason: string): void {
  for (const f of [...active]) {
    if (f instanceof RunLog) f.stop(reason);
    else f.close();
  }
}

export class RunLog {
  private fd: number | null = null;
  private wrote = false;
  /** Called before a line is printed (a progress bar clears itself). */
  beforeLine: () => void = () => {};
  /** Called after a line is printed (a progress bar redraws). */
  afterLine: () => void = () => {};

  /**
   * @param file the log file (already checked with `prepareOutput`), created
   *   by the first line with `header` before it if it does not exist or is
   *   empty; appended to otherwise.
   * @param option the option that named it, for errors.
   */
  constructor(
    private readonly file: string | undefined,
    private readonly header: string,
    private readonly option = "--log",
  ) {
    if (file !== undefined) active.add(this);
  }

  /** Print a line and append it to the log file. */
  line(text: string): void {
    this.beforeLine();
    process.stdout.write(`${text}\n`);
    this.append(text);
    this.afterLine();
  }

  private append(text: string): void {
    if (this.file === undefined || !active.has(this)) return;
    try {
      if (this.fd === null) {
        this.fd = fs.openSync(this.file, "a");
        if (fs.fstatSync(this.fd).size === 0) fs.writeSync(this.fd, `${this.header}\n`);
      }
      fs.writeSync(this.fd, `${text}\n`);
    } catch (e) {
      throw writeError(this.option, this.file, e);
    }
    this.wrote = true;
  }

  /** Ends the log with why the run stopped (only if this run wrote to it), then closes it. */
  stop(reason: string): void {
    try {
      if (this.wrote) this.append(`# stopped: ${reason}`);
    } catch {
      // The log cannot take the line (a full disk): the reason still reaches stderr.
    }
    this.close();
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    active.delete(this);
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
  /** Seconds since the run started, continuing from the last record of the file (a resumed run goes on counting). */
  time: number;
}

/** The records of a metrics file's text that parse, with the line each came from. */
function parseRecords(text: string): Array<{ line: string; record: MetricRecord }> {
  const out: Array<{ line: string; record: MetricRecord }> = [];
  for (const line of text.split("\n")) {
    try {
      const record = JSON.parse(line) as MetricRecord;
      if (typeof record === "object" && record !== null && Number.isFinite(record.epoch) && Number.isFinite(record.time)) out.push({ line, record });
    } catch {
      // Not a record (a line cut short by an interrupted writer): skipped.
    }
  }
  return out;
}

/**
 * Appends metric records as JSON lines, one unbuffered write each. The file
 * is opened by the first record (a run that fails before it leaves none).
 * Times continue from the file's last record, so they never go backwards;
 * a resumed run first drops the records of epochs after its checkpoint (the
 * training they describe was rolled back), so its records continue the
 * curve instead of repeating it.
 */
export class MetricsWriter {
  private fd: number | null = null;
  private readonly started = performance.now();
  private offset = 0;
  private resumedAfter: number | null = null;

  /** @param file the metrics file, already checked with `prepareOutput`; `option` names it in errors. */
  constructor(
    private readonly file: string | undefined,
    private readonly option = "--metrics",
  ) {
    if (file !== undefined) active.add(this);
  }

  /** This run resumes from a checkpoint taken after `epoch`: later records in the file are dropped at the first write. */
  continueAfter(epoch: number): void {
    this.resumedAfter = epoch;
  }

  write(record: Omit<MetricRecord, "time">): void {
    if (this.file === undefined || !active.has(this)) return;
    try {
      if (this.fd === null) this.open(this.file);
      const full: MetricRecord = { ...record, time: Number((this.offset + (performance.now() - this.started) / 1000).toFixed(3)) };
      fs.writeSync(this.fd!, `${JSON.stringify(full)}\n`);
    } catch (e) {
      throw writeError(this.option, this.file, e);
    }
  }

  private open(file: string): void {
    let text = "";
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    let records = parseRecords(text);
    if (this.resumedAfter !== null && records.some((r) => r.record.epoch > this.resumedAfter!)) {
      const after = this.resumedAfter;
      records = records.filter((r) => r.record.epoch <= after);
      text = records.map((r) => `${r.line}\n`).join("");
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    }
    this.offset = records.reduce((m, r) => Math.max(m, r.record.time), 0);
    this.fd = fs.openSync(file, "a");
    // A last line cut short by an interrupted writer gets its own line, not the next record glued to it.
    if (text !== "" && !text.endsWith("\n")) fs.writeSync(this.fd, "\n");
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    active.delete(this);
  }
}

/** The metrics file that goes with a log file: `run.txt` → `run.metrics.jsonl`. */
export function metricsPathFor(logFile: string): string {
  const ext = path.extname(logFile);
  return `${ext ? logFile.slice(0, -ext.length) : logFile}.metrics.jsonl`;
}
