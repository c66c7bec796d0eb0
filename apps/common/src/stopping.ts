/**
 * How an app stops: one policy for SIGINT, SIGTERM and SIGHUP (Ctrl-C, a
 * `kill`, a closed terminal) — every open run log ends with why, and the
 * process exits with 128 + the signal's number — and a sweep at start-up
 * of the temporary files a killed run (kill -9, a power cut) left beside
 * its outputs. Writes of outputs are synchronous, so a handled signal never
 * lands between a temporary file's creation and its rename; only a
 * signal that cannot be handled leaves one, and the next run removes it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The signals an app stops cleanly on. */
export const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

/** The exit code of a run stopped by `signal`, as a shell reports it (130 for SIGINT). */
export function exitCodeFor(signal: StopSignal): number {
  return 128 + os.constants.signals[signal];
}

/** Calls `stop` once, on the first of the stop signals. */
export function onStopSignal(stop: (signal: StopSignal) => void): void {
  let stopped = false;
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopped) return;
      stopped = true;
      stop(signal);
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes the temporary files that writers of `file` leave only when their
 * process is killed outright — `.<name>.<pid>.tmp` (a checkpoint),
 * `<name>.<pid>.tmp` (a rewritten metrics file), `<name>.<pid>.<hex>.part`
 * (an atomic write) — if that process is gone. Returns the files removed.
 */
export function sweepStaleTemporaries(file: string): string[] {
  const dir = path.dirname(path.resolve(file));
  const name = path.basename(file);
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const pattern = new RegExp(`^(?:\\.${escaped}\\.(\\d+)\\.tmp|${escaped}\\.(\\d+)\\.tmp|${escaped}\\.(\\d+)\\.[0-9a-f]+\\.part)$`);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    const m = pattern.exec(entry);
    if (m === null) continue;
    const pid = Number(m[1] ?? m[2] ?? m[3]);
    if (pid === process.pid || alive(pid)) continue;
    const stale = path.join(dir, entry);
    try {
      if (fs.lstatSync(stale).isFile()) {
        fs.rmSync(stale);
        removed.push(stale);
      }
    } catch {
      // Gone already, or not ours to remove: the next run tries again.
    }
  }
  return removed;
}
