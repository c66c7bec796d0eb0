/**
 * Command-line options and the timing settings derived from them.
 */
import type { CompareOptions } from "./timing.js";

export const SECTIONS = ["peak", "elementwise", "inline", "matmul", "conv", "train"] as const;
export type SectionName = (typeof SECTIONS)[number];

export interface RunConfig {
  sections: SectionName[];
  quick: boolean;
  /** Samples per variant where a section does not say otherwise. */
  reps: number;
  /** --reps was given (it then also sets the number of training steps timed). */
  repsGiven: boolean;
}

export const USAGE = `Usage: node bench/dist/main.js [--only <section,...>] [--quick] [--reps <n>]

  --only <list>  run only these sections (${SECTIONS.join(", ")})
  --quick        few repetitions: a smoke run of about a minute
  --reps <n>     samples per variant (default 30, --quick 5; also the training steps timed)
  --help         this text`;

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): RunConfig | null {
  let sections: SectionName[] = [...SECTIONS];
  let quick = false;
  let reps: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case "--only": {
        const names = value()
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "");
        for (const n of names) {
          if (!(SECTIONS as readonly string[]).includes(n)) throw new UsageError(`--only: unknown section "${n}" (sections: ${SECTIONS.join(", ")})`);
        }
        sections = SECTIONS.filter((s) => names.includes(s));
        break;
      }
      case "--quick":
        quick = true;
        break;
      case "--reps": {
        const raw = value();
        const n = Number(raw);
        if (!Number.isInteger(n) || n < 1) throw new UsageError(`--reps must be a positive integer, got "${raw}"`);
        reps = n;
        break;
      }
      case "--help":
      case "-h":
        return null;
      case "--":
        break;
      default:
        throw new UsageError(`unknown option "${arg}"`);
    }
  }
  return { sections, quick, reps: reps ?? (quick ? 5 : 30), repsGiven: reps !== undefined };
}

/**
 * Timing settings for a section: `full` in a normal run, scaled down by
 * --quick; `samples` follows --reps unless the section fixes it.
 */
export function timingFor(config: RunConfig, full: Partial<CompareOptions> = {}): CompareOptions {
  const base: CompareOptions = {
    samples: config.reps,
    warmupMs: 200,
    targetSampleMs: 4,
    budgetMs: 2000,
    minSamples: 3,
    ...full,
  };
  if (!config.quick) return base;
  return {
    ...base,
    samples: Math.min(base.samples, config.reps),
    rounds: Math.min(base.rounds ?? config.reps, 2),
    warmupMs: Math.min(base.warmupMs, 30),
    targetSampleMs: Math.min(base.targetSampleMs, 1),
    budgetMs: Math.min(base.budgetMs, 250),
    minSamples: 1,
    slowMs: Math.min(base.slowMs ?? 30_000, 1000),
  };
}
