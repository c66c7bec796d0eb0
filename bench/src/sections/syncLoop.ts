/**
 * The training step in the loop a user writes: N steps in one plain
 * synchronous loop (no `await`, no event-loop turn), beside the same N steps
 * with an event-loop turn after each (untimed), on FastBackend in the same
 * process. Reports each loop's median step and the process's RSS after it.
 */
import type { PlainTable } from "../report.js";
import { fmtMs } from "../report.js";
import { median, yieldToEventLoop } from "../timing.js";

/** One network's step function and how many steps each loop runs. */
export interface LoopCase {
  name: string;
  step: () => void;
  steps: number;
}

interface LoopResult {
  medianMs: number;
  rssMb: number;
}

function syncLoop(step: () => void, steps: number): LoopResult {
  const times = new Array<number>(steps);
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step();
    times[i] = performance.now() - t;
  }
  return { medianMs: median(times), rssMb: process.memoryUsage.rss() / 2 ** 20 };
}

async function turnLoop(step: () => void, steps: number): Promise<LoopResult> {
  const times = new Array<number>(steps);
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step();
    times[i] = performance.now() - t;
    await yieldToEventLoop();
  }
  return { medianMs: median(times), rssMb: process.memoryUsage.rss() / 2 ** 20 };
}

/**
 * Runs, per case: the turn loop, the sync loop, the turn loop again (so a
 * drift of the machine does not favour one), and tabulates the sync loop
 * against the mean of the two turn loops.
 */
export async function syncLoopTable(cases: readonly LoopCase[], progress: (m: string) => void): Promise<PlainTable> {
  const rows: string[][] = [];
  for (const c of cases) {
    progress(`train: ${c.name}, plain synchronous loop of ${c.steps} steps`);
    for (let i = 0; i < 5; i++) c.step();
    const before = await turnLoop(c.step, c.steps);
    const sync = syncLoop(c.step, c.steps);
    const after = await turnLoop(c.step, c.steps);
    const turnMedian = (before.medianMs + after.medianMs) / 2;
    rows.push([c.name, "sync loop (no turn)", String(c.steps), fmtMs(sync.medianMs), sync.rssMb.toFixed(0), (sync.medianMs / turnMedian).toFixed(2)]);
    rows.push([c.name, "turn per step", `2 × ${c.steps}`, fmtMs(turnMedian), Math.max(before.rssMb, after.rssMb).toFixed(0), "1.00"]);
  }
  return {
    title: "FastBackend in a plain synchronous loop vs an event-loop turn per step (same process)",
    columns: ["case", "loop", "steps", "median ms", "RSS after (MB)", "× turn per step"],
    rows,
  };
}
