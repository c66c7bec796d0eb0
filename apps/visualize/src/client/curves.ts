/**
 * Loss and accuracy curves of one run, drawn with uPlot and redrawn whenever
 * the metrics file grows (the page polls it while training runs).
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { MetricPoint, MetricsResponse } from "../api.js";

/** Rows of the charts: x (fractional epoch), then one column per series, null where a series has no point. */
export interface CurveData {
  x: number[];
  loss: (number | null)[][];
  accuracy: (number | null)[][];
}

/**
 * Turn metric records into chart columns. x is the fractional epoch: batch
 * record b of epoch e sits at e − 1 + (b + 1) / n, with n the epoch's batch
 * count (from its epoch record, else the largest seen so far). Losses are
 * logged summed over the batches since the previous log line (minitorch's
 * habit), so they are divided by that count to give a mean per batch.
 */
export function curveData(records: readonly MetricPoint[]): CurveData {
  const batchesOf = new Map<number, number>();
  let largest = 1;
  for (const r of records) {
    if (r.kind === "epoch" && r.batch > 0) batchesOf.set(r.epoch, r.batch);
    largest = Math.max(largest, r.kind === "epoch" ? r.batch : r.batch + 1);
  }
  const rows = new Map<number, (number | null)[]>();
  const row = (x: number): (number | null)[] => {
    let r = rows.get(x);
    if (r === undefined) {
      r = [null, null, null, null, null];
      rows.set(x, r);
    }
    return r;
  };
  let prevEpoch = -1;
  let prevBatch = -1;
  for (const r of records) {
    if (r.kind === "batch") {
      if (r.epoch !== prevEpoch) prevBatch = -1;
      const n = batchesOf.get(r.epoch) ?? largest;
      const cols = row(r.epoch - 1 + (r.batch + 1) / n);
      cols[0] = r.loss / Math.max(1, r.batch - prevBatch);
      if (r.valAccuracy !== undefined) cols[2] = r.valAccuracy;
      prevEpoch = r.epoch;
      prevBatch = r.batch;
    } else {
      const cols = row(r.epoch);
      cols[1] = r.loss / Math.max(1, r.batch);
      if (r.valAccuracy !== undefined) cols[3] = r.valAccuracy;
      if (r.trainAccuracy !== undefined) cols[4] = r.trainAccuracy;
    }
  }
  const x = [...rows.keys()].sort((a, b) => a - b);
  const col = (i: number): (number | null)[] => x.map((k) => rows.get(k)![i] ?? null);
  return { x, loss: [col(0), col(1)], accuracy: [col(2), col(3), col(4)] };
}

function options(width: number, yLabel: string, series: uPlot.Series[], range?: [number, number]): uPlot.Options {
  return {
    width,
    height: 240,
    scales: { x: { time: false, range: (_u, _min, max) => [0, Math.max(1, max)] }, y: range ? { range } : {} },
    // Enough digits that ticks of a flat curve (loss 2.3001 … 2.3004) stay distinct.
    axes: [{ label: "epoch" }, { label: yLabel, values: (_u, ticks) => ticks.map((v) => String(Number(v.toPrecision(6)))) }],
    series: [{ label: "epoch", value: (_u, v) => (v === null ? "–" : v.toFixed(2)) }, ...series],
    legend: { live: true },
  };
}

// Points show by themselves while a line is sparse (uPlot's default), so a run's first record is visible.
const line = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 1.5, spanGaps: true });
const dots = (label: string, stroke: string): uPlot.Series => ({ label, stroke, width: 2, spanGaps: true, points: { show: true, size: 7 } });

/** The two charts of the runs section. */
export class Curves {
  private loss: uPlot | null = null;
  private accuracy: uPlot | null = null;

  constructor(
    private readonly lossBox: HTMLElement,
    private readonly accuracyBox: HTMLElement,
  ) {
    window.addEventListener("resize", () => {
      this.loss?.setSize({ width: this.width(lossBox), height: 240 });
      this.accuracy?.setSize({ width: this.width(accuracyBox), height: 240 });
    });
  }

  private width(box: HTMLElement): number {
    return Math.max(280, box.clientWidth);
  }

  show(metrics: MetricsResponse): void {
    const d = curveData(metrics.records);
    const lossData: uPlot.AlignedData = [d.x, ...d.loss];
    const accData: uPlot.AlignedData = [d.x, ...d.accuracy];
    if (this.loss === null || this.accuracy === null) {
      this.loss = new uPlot(
        options(this.width(this.lossBox), "loss", [line("logged interval", "#2563eb"), dots("epoch", "#dc2626")]),
        lossData,
        this.lossBox,
      );
      this.accuracy = new uPlot(
        options(this.width(this.accuracyBox), "accuracy", [line("validation batch", "#93c5fd"), dots("validation", "#16a34a"), dots("train", "#f59e0b")], [0, 1]),
        accData,
        this.accuracyBox,
      );
    } else {
      this.loss.setData(lossData);
      this.accuracy.setData(accData);
    }
    const count = (cols: (number | null)[][]): number => cols.reduce((n, c) => n + c.filter((v) => v !== null).length, 0);
    this.lossBox.dataset.points = String(count(d.loss));
    this.accuracyBox.dataset.points = String(count(d.accuracy));
  }

  clear(): void {
    this.loss?.destroy();
    this.accuracy?.destroy();
    this.loss = null;
    this.accuracy = null;
    this.lossBox.dataset.points = "0";
    this.accuracyBox.dataset.points = "0";
  }
}
