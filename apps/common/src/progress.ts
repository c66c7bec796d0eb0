/**
 * A progress bar per epoch on a terminal (batches, loss, samples/s, ETA),
 * drawn on stderr with cli-progress; nothing at all when stderr is not a
 * terminal. Log lines printed meanwhile go above the bar.
 */
import cliProgress from "cli-progress";
import type { RunLog } from "./runLog.js";

export class EpochProgress {
  private bar: cliProgress.SingleBar | null = null;
  private started = 0;

  constructor(
    private readonly log: RunLog,
    private readonly enabled = Boolean(process.stderr.isTTY),
  ) {
    log.beforeLine = () => {
      if (this.bar !== null) process.stderr.write("\r\x1b[2K");
    };
    log.afterLine = () => {
      if (this.bar !== null) this.bar.render();
    };
  }

  start(epoch: number, batches: number): void {
    if (!this.enabled) return;
    this.started = performance.now();
    this.bar = new cliProgress.SingleBar(
      {
        stream: process.stderr,
        format: `epoch ${epoch} [{bar}] {value}/{total} batches | loss {loss} | {rate} samples/s | ETA {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(batches, 0, { loss: "-", rate: "-" });
  }

  update(batchesDone: number, samplesDone: number, loss: number): void {
    if (this.bar === null) return;
    const seconds = (performance.now() - this.started) / 1000;
    this.bar.update(batchesDone, { loss: loss.toFixed(4), rate: seconds > 0 ? (samplesDone / seconds).toFixed(0) : "-" });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
