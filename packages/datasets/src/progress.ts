/**
 * Progress bars for slow steps (downloads, scanning embeddings). They draw on
 * stderr only when it is a terminal, so logs, pipes and CI stay quiet.
 */
import cliProgress from "cli-progress";

/** A running progress report; `stop()` is safe to call more than once. */
export interface Progress {
  /** Set the amount done (bytes or items, same unit as the total). */
  update(done: number): void;
  /** Change the total, when it becomes known late (e.g. no Content-Length). */
  setTotal(total: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, setTotal() {}, stop() {} };

/** Whether to draw: the explicit choice, else whether stderr is a TTY. */
export function progressEnabled(choice?: boolean): boolean {
  return choice ?? process.stderr.isTTY === true;
}

function megabytes(n: number): string {
  return (n / 1e6).toFixed(1);
}

/**
 * Start a progress bar labelled `label` for `total` units; `bytes` shows the
 * amounts in MB. Returns a no-op when not {@link progressEnabled}.
 */
export function startProgress(label: string, total: number, options: { enabled?: boolean; bytes?: boolean } = {}): Progress {
  if (!progressEnabled(options.enabled)) return silent;
  const bytes = options.bytes ?? false;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {done}/{all}${bytes ? " MB" : ""} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: false,
      clearOnComplete: false,
      fps: 10,
      // When forced on without a terminal, print a line every few seconds instead.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    cliProgress.Presets.shades_classic,
  );
  const show = (n: number): string => (bytes ? megabytes(n) : String(n));
  let all = Math.max(total, 1);
  bar.start(all, 0, { done: show(0), all: show(total) });
  let stopped = false;
  return {
    update(done) {
      if (!stopped) bar.update(Math.min(done, all), { done: show(done), all: show(all) });
    },
    setTotal(t) {
      all = Math.max(t, 1);
      if (!stopped) bar.setTotal(all);
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}
