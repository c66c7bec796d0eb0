/**
 * The training step in the loop a user writes: steps in one plain
 * synchronous loop (no `await`, no event-loop turn), on FastBackend and on
 * the peer (tfjs-wasm) in the same process, in alternating blocks; and
 * FastBackend's steps again with an event-loop turn after each (untimed),
 * before and after. Reports each loop's median step and the process's RSS
 * after it.
 */
import type { PlainTable } from "../report.js";
import { fmtMs } from "../report.js";
import { median, yieldToEventLoop } from "../timing.js";
import { FAST } from "../variants.js";

/** One network's step functions and how many steps each loop runs. */
export interface LoopCase {
  name: string;
  step: () => void;
  /** The peer's step (entered and left around its blocks), or why there is none. */
  peer: { name: string; enter: () => Promise<void>; step: () => void; leave: () => void } | { name: string; unavailable: string };
  steps: number;
}

interface LoopResult {
  medianMs: number;
  rssMb: number;
}

const rss = (): number => process.memoryUsage.rss() / 2 ** 20;

/** Times `steps` calls of `step` in a plain loop, appending to `times`. */
function syncLoop(step: () => void, steps: number, times: number[]): void {
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step();
    times.push(performance.now() - t);
  }
}

async function turnLoop(step: () => void, steps: number): Promise<LoopResult> {
  const times = new Array<number>(steps);
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    step();
    times[i] = performance.now() - t;
    await yieldToEventLoop();
  }
  return { medianMs: median(times), rssMb: rss() };
}

/** Blocks each synchronous loop is split into, alternating with the peer's. */
const BLOCKS = 4;

/**
 * Runs, per case: FastBackend's turn loop; the synchronous loops of
 * FastBackend and the peer in BLOCKS alternating blocks (so a drift of the
 * machine does not favour one); the turn loop again. Tabulates every loop
 * against the peer's synchronous loop, and FastBackend's sync loop against
 * the mean of its two turn loops.
 */
export async function syncLoopTable(cases: readonly LoopCase[], progress: (m: string) => void): Promise<PlainTable> {
  const rows: string[][] = [];
  for (const c of cases) {
    progress(`train: ${c.name}, plain synchronous loops of ${c.steps} steps (FastBackend, ${c.peer.name})`);
    const peer = "step" in c.peer ? c.peer : null;
    for (let i = 0; i < 5; i++) c.step();
    if (peer !== null) {
      await peer.enter();
      for (let i = 0; i < 5; i++) peer.step();
    }
    const before = await turnLoop(c.step, c.steps);
    const ours: number[] = [];
    const theirs: number[] = [];
    let oursRss = 0;
    let theirsRss = 0;
    const block = Math.ceil(c.steps / BLOCKS);
    for (let b = 0; b < BLOCKS; b++) {
      const runOurs = (): void => {
        syncLoop(c.step, block, ours);
        oursRss = Math.max(oursRss, rss());
      };
      const runTheirs = (): void => {
        if (peer === null) return;
        syncLoop(peer.step, block, theirs);
        theirsRss = Math.max(theirsRss, rss());
      };
      if (b % 2 === 0) {
        runOurs();
        runTheirs();
      } else {
        runTheirs();
        runOurs();
      }
    }
    peer?.leave();
    const after = await turnLoop(c.step, c.steps);
    const turnMedian = (before.medianMs + after.medianMs) / 2;
    const sync = median(ours);
    const peerSync = peer === null ? null : median(theirs);
    const vsPeer = (ms: number): string => (peerSync === null ? "–" : (ms / peerSync).toFixed(2));
    rows.push([c.name, FAST, "sync loop (no turn)", String(ours.length), fmtMs(sync), oursRss.toFixed(0), (sync / turnMedian).toFixed(2), vsPeer(sync)]);
    rows.push([c.name, FAST, "turn per step", `2 × ${c.steps}`, fmtMs(turnMedian), Math.max(before.rssMb, after.rssMb).toFixed(0), "1.00", vsPeer(turnMedian)]);
    if (peerSync !== null) rows.push([c.name, c.peer.name, "sync loop (no turn)", String(theirs.length), fmtMs(peerSync), theirsRss.toFixed(0), "–", "1.00"]);
    else rows.push([c.name, c.peer.name, "sync loop (no turn)", "–", "n/a", "–", "–", "–"]);
  }
  const peerName = cases[0]?.peer.name ?? "peer";
  return {
    title: `Training steps in a plain synchronous loop: FastBackend (and with a turn per step) vs ${peerName}, same process`,
    columns: ["case", "variant", "loop", "steps", "median ms", "RSS after (MB)", "× turn per step", `× ${peerName} sync loop`],
    rows,
  };
}
