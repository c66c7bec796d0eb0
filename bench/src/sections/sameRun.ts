/**
 * The `train` section's same-run comparison with torch: the LeNet and
 * Kim-CNN steps of FastBackend (all threads) in float64 and float32, and
 * torch's (float64 and float32, one and two threads), each in plain
 * synchronous loops, in alternating blocks — block b runs the variants in
 * order, block b + 1 in reverse — so a drift of the machine favours none.
 * Every "×" figure against torch in the docs comes from this table.
 */
import { fmtMs, type PlainTable } from "../report.js";
import { median } from "../timing.js";
import type { TorchPeer, TorchRequest } from "../torchPeer.js";

/** One network: our step in each dtype, and torch's name for it. */
export interface SameRunCase {
  name: string;
  net: TorchRequest["net"];
  ours: { float64: () => void; float32: () => void };
  steps: number;
}

const BLOCKS = 4;

interface Slot {
  label: string;
  times: number[];
  run: (steps: number) => Promise<void>;
}

function oursSlot(label: string, step: () => void): Slot {
  const times: number[] = [];
  return {
    label,
    times,
    run: async (steps) => {
      for (let i = 0; i < steps; i++) {
        const t = performance.now();
        step();
        times.push(performance.now() - t);
      }
    },
  };
}

function torchSlot(torch: TorchPeer, net: TorchRequest["net"], dtype: TorchRequest["dtype"], threads: number): Slot {
  const times: number[] = [];
  return {
    label: `torch ${torch.version} ${dtype}, ${threads} thread${threads > 1 ? "s" : ""}`,
    times,
    run: async (steps) => {
      times.push(...(await torch.run({ net, dtype, threads, steps })));
    },
  };
}

/**
 * Runs every case's variants in alternating blocks and tabulates median ms
 * per step, × torch float64 on one thread and × torch float32's best of
 * one and two threads.
 */
export async function sameRunTable(cases: readonly SameRunCase[], torch: TorchPeer, progress: (m: string) => void): Promise<PlainTable> {
  const rows: string[][] = [];
  for (const c of cases) {
    progress(`train: ${c.name}, same-run blocks against torch`);
    const slots = [
      oursSlot("FastBackend float64", c.ours.float64),
      oursSlot("FastBackend float32", c.ours.float32),
      torchSlot(torch, c.net, "float64", 1),
      torchSlot(torch, c.net, "float64", 2),
      torchSlot(torch, c.net, "float32", 1),
      torchSlot(torch, c.net, "float32", 2),
    ];
    for (const s of slots) {
      await s.run(3);
      s.times.length = 0;
    }
    const block = Math.ceil(c.steps / BLOCKS);
    for (let b = 0; b < BLOCKS; b++) {
      for (const s of b % 2 === 0 ? slots : [...slots].reverse()) await s.run(block);
    }
    const medians = slots.map((s) => median(s.times));
    const torch64 = medians[2]!;
    const torch32 = Math.min(medians[4]!, medians[5]!);
    slots.forEach((s, i) => {
      rows.push([c.name, s.label, String(s.times.length), fmtMs(medians[i]!), (medians[i]! / torch64).toFixed(2), (medians[i]! / torch32).toFixed(2)]);
    });
  }
  return {
    title: "Same run: FastBackend against torch, plain synchronous loops in alternating blocks (median ms per step)",
    columns: ["case", "variant", "steps", "median ms", "× torch float64 1 thread", "× torch float32 best"],
    rows,
  };
}
