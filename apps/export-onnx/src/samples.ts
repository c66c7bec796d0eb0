/**
 * Validation examples to check an exported model with in another runtime:
 * the inputs exactly as the training app fed them, their labels, and this
 * library's outputs and predictions on them.
 */
import { encodeSentiment, loadGlove, loadMnist, loadSst2, sentenceVocabulary } from "@minitorch/datasets";
import { fromArray, type Tensor, type TensorBackend } from "@minitorch/tensor-core";
import { makeBatch } from "@minitorch/train-mnist";
import type { RebuiltModel } from "./rebuild.js";

/** The JSON written by `--samples`. */
export interface SamplesFile {
  app: string;
  /** Where the examples came from. */
  source: string;
  input: { name: string; shape: number[]; data: number[] };
  /** This library's output (float64) on the input. */
  output: { name: string; shape: number[]; data: number[] };
  labels: number[];
  /** Predicted classes: the largest log-probability (MNIST) or probability > 0.5 (sentiment). */
  predictions: number[];
}

export interface SampleOptions {
  count: number;
  dataDir?: string;
  embeddings?: string;
  inputName: string;
  outputName: string;
}

/** Classes predicted from outputs: argmax of each row of [N, C], or p > 0.5 for [N]. */
export function predictions(data: ArrayLike<number>, shape: readonly number[]): number[] {
  const rows = shape[0]!;
  const cols = shape.length > 1 ? shape[1]! : 1;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (cols === 1) {
      out.push(data[r]! > 0.5 ? 1 : 0);
      continue;
    }
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[r * cols + c]! > data[r * cols + best]!) best = c;
    out.push(best);
  }
  return out;
}

/** The first `count` validation examples of the run that wrote the checkpoint (its sizes and seed). */
async function validation(rebuilt: RebuiltModel, o: SampleOptions, backend: TensorBackend): Promise<{ x: Tensor; labels: number[]; source: string }> {
  const s = rebuilt.checkpoint.settings;
  const size = (key: string): number => {
    const v = s[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new Error(`the checkpoint's settings have no valid ${key} (got ${JSON.stringify(v)})`);
    return v;
  };
  const valSize = size("valSize");
  const count = Math.min(o.count, valSize);
  if (rebuilt.app === "train-mnist") {
    const data = loadMnist({ trainSize: size("trainSize"), valSize, dataDir: o.dataDir });
    const { x } = makeBatch(data.validation, 0, count, backend);
    return { x, labels: Array.from(data.validation.labels.subarray(0, count)), source: data.source };
  }
  const sst2 = await loadSst2({ dataDir: o.dataDir, trainSize: size("trainSize"), valSize });
  const saved = typeof s.embeddings === "string" && !s.embeddings.startsWith("npm:") ? s.embeddings : undefined;
  const glove = await loadGlove({ file: o.embeddings ?? saved, vocabulary: sentenceVocabulary(sst2.train, sst2.validation) });
  const [, maxLen, dim] = rebuilt.example.shape as [number, number, number];
  if (glove.dim !== dim) throw new Error(`the embeddings ${glove.source} are ${glove.dim}-d, the model takes ${dim}-d`);
  const encoded = encodeSentiment(sst2.train, sst2.validation, glove, { seed: typeof s.seed === "number" ? s.seed : 0, maxLen });
  const v = encoded.validation;
  const x = fromArray(v.x.subarray(0, count * maxLen * dim), [count, maxLen, dim], backend);
  return { x, labels: v.y.slice(0, count), source: `${sst2.source}, embeddings ${glove.source}` };
}

/** Builds the samples file's content for `rebuilt`'s model. */
export async function makeSamples(rebuilt: RebuiltModel, o: SampleOptions, backend: TensorBackend): Promise<SamplesFile> {
  const { x, labels, source } = await validation(rebuilt, o, backend);
  const out = rebuilt.model.forward(x) as Tensor;
  const data = Array.from(out.toFloat64Array());
  return {
    app: rebuilt.app,
    source,
    input: { name: o.inputName, shape: x.shape.slice(), data: Array.from(x.toFloat64Array()) },
    output: { name: o.outputName, shape: out.shape.slice(), data },
    labels,
    predictions: predictions(data, out.shape),
  };
}
