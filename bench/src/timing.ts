/**
 * Timing on a shared, noisy machine: variants of one benchmark are warmed
 * up, then sampled in turns (A, B, A, B … or, where switching costs
 * something, in short blocks A A A, B B B, A A A …), and each is summarised
 * by its median and minimum. Numbers are only ever compared within one call.
 */

/** One way of doing the measured work. */
export interface Variant {
  name: string;
  /** The measured call (synchronous: every backend here is). */
  run: () => void;
  /** Untimed preparation whenever sampling switches to this variant (thread count, tfjs backend). */
  enter?: () => Promise<void> | void;
  /** Untimed clean-up after the comparison (disposing tfjs tensors). */
  finish?: () => void;
  /** At most this many samples (a slow reference). */
  maxSamples?: number;
  /** Why this variant cannot run at all: it is reported as n/a without being called. */
  unavailable?: string;
}

/** Summary of one variant's samples, in milliseconds per call. */
export interface Stats {
  medianMs: number;
  minMs: number;
  samples: number;
  /** Calls timed together in each sample (tiny ops are too short to time one by one). */
  callsPerSample: number;
  /** Set to `slowMs` when one call took longer than that: that single call is the only sample. */
  singleRunOverMs?: number;
}

export type Outcome = { ok: true; stats: Stats } | { ok: false; reason: string };

export interface CompareOptions {
  /** Samples per variant (before budgets and caps). */
  samples: number;
  /** Turns through the variants; samples are split evenly between them. Default: one sample per turn. */
  rounds?: number;
  /** Warm-up time per variant before sampling, ms. */
  warmupMs: number;
  /** A sample lasts at least this long (more calls per sample for fast ops), ms. */
  targetSampleMs: number;
  /** Sampling of a variant stops once its samples add up to this, ms (at least `minSamples` are taken). */
  budgetMs: number;
  minSamples?: number;
  /** A first call longer than this is the variant's only sample, reported as such (default 30 s). */
  slowMs?: number;
  /** One call per sample and an event-loop turn between calls, also in warm-up (training steps). */
  singleCalls?: boolean;
  /** Called with every sample (ms per call) of every variant, for callers that pool samples across runs. */
  onSample?: (ms: number, variant: string) => void;
}

/** Lets the event loop turn (FinalizationRegistry callbacks, worker messages). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function timeCalls(run: () => void, calls: number): number {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) run();
  return performance.now() - t0;
}

/** The first line of an error, short enough for a table cell. */
export function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split("\n").find((l) => l.trim() !== "") ?? text;
  return line.length > 140 ? `${line.slice(0, 137)}...` : line.trim();
}

interface State {
  v: Variant;
  samples: number[];
  calls: number;
  spent: number;
  limit: number;
  failed: string | null;
  singleRun: boolean;
}

/**
 * Times every variant with the same settings, interleaved, and returns one
 * outcome per variant name. A variant that throws is reported with the
 * error's first line instead of failing the benchmark.
 */
export async function compare(variants: readonly Variant[], o: CompareOptions): Promise<Map<string, Outcome>> {
  const minSamples = o.minSamples ?? 3;
  const slowMs = o.slowMs ?? 30_000;
  const states: State[] = variants.map((v) => ({
    v,
    samples: [],
    calls: 1,
    spent: 0,
    limit: Math.min(o.samples, v.maxSamples ?? Infinity),
    failed: v.unavailable ?? null,
    singleRun: false,
  }));
  let current: Variant | null = null;
  const visit = async (s: State): Promise<void> => {
    if (current === s.v) return;
    current = s.v;
    await s.v.enter?.();
  };

  for (const s of states) {
    if (s.failed !== null) continue;
    try {
      await visit(s);
      await warmUp(s, o, slowMs);
    } catch (e) {
      s.failed = reasonOf(e);
      current = null;
    }
  }

  const rounds = Math.max(1, Math.min(o.rounds ?? o.samples, o.samples));
  const perVisit = Math.ceil(o.samples / rounds);
  for (let r = 0; r < rounds; r++) {
    // Alternate the order (A B C, C B A, …) so slow drift of the machine does not favour one variant.
    const order = r % 2 === 0 ? states : [...states].reverse();
    for (const s of order) {
      if (!wantsMore(s, o.budgetMs, minSamples)) continue;
      try {
        await visit(s);
        for (let k = 0; k < perVisit && wantsMore(s, o.budgetMs, minSamples); k++) {
          await yieldToEventLoop();
          const t = timeCalls(s.v.run, s.calls);
          s.samples.push(t / s.calls);
          s.spent += t;
          o.onSample?.(t / s.calls, s.v.name);
        }
      } catch (e) {
        s.failed = reasonOf(e);
        current = null;
      }
    }
  }
  for (const s of states) s.v.finish?.();

  const out = new Map<string, Outcome>();
  for (const s of states) {
    if (s.failed !== null) out.set(s.v.name, { ok: false, reason: s.failed });
    else {
      const stats: Stats = { medianMs: median(s.samples), minMs: Math.min(...s.samples), samples: s.samples.length, callsPerSample: s.calls };
      if (s.singleRun) stats.singleRunOverMs = slowMs;
      out.set(s.v.name, { ok: true, stats });
    }
  }
  return out;
}

function wantsMore(s: State, budgetMs: number, minSamples: number): boolean {
  if (s.failed !== null || s.samples.length >= s.limit) return false;
  return s.samples.length < minSamples || s.spent < budgetMs;
}

/**
 * Runs the variant until warm and chooses how many calls make one sample.
 * A first call slower than `slowMs` becomes the only sample.
 */
async function warmUp(s: State, o: CompareOptions, slowMs: number): Promise<void> {
  const first = timeCalls(s.v.run, 1);
  if (first > slowMs) {
    s.samples.push(first);
    o.onSample?.(first, s.v.name);
    s.spent = first;
    s.limit = 1;
    s.singleRun = true;
    return;
  }
  let elapsed = first;
  let last = first;
  let calls = 1;
  let sinceYield = first;
  while (elapsed < o.warmupMs && (calls < 3 || last < o.warmupMs / 3)) {
    last = timeCalls(s.v.run, 1);
    elapsed += last;
    sinceYield += last;
    calls++;
    if (o.singleCalls || sinceYield > 5) {
      await yieldToEventLoop();
      sinceYield = 0;
    }
  }
  if (o.singleCalls) return;
  // Per-call time from a small batch: a single tiny call is below the timer's resolution.
  const probe = Math.max(1, Math.min(1000, Math.ceil(o.targetSampleMs / Math.max(last, 1e-4) / 4)));
  const per = timeCalls(s.v.run, probe) / probe;
  s.calls = Math.max(1, Math.round(o.targetSampleMs / Math.max(per, 1e-6)));
}
