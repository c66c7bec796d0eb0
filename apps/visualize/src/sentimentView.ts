/**
 * The sentiment view: the Kim CNN from a train-sentiment checkpoint on one
 * sentence, and for each filter width the words under the windows that the
 * max over time picked — what the model keys on.
 *
 * Sentences are embedded as the app embeds them (encodeSentiment: the
 * checkpoint's embeddings source, the seeded unknown-word vector, padding to
 * the trained length). Word vectors are looked up per sentence and kept in
 * memory, so only new words cost a scan of the embeddings.
 */
import fs from "node:fs";
import path from "node:path";
import { loadCheckpoint } from "@minitorch/app-common";
import { encodeSentiment, loadGlove, readSst2Tsv, tokenize, type Embeddings } from "@minitorch/datasets";
import type { StateDict } from "@minitorch/nn";
import { SimpleBackend, fromArray } from "@minitorch/tensor-core";
import { KimCNN } from "@minitorch/train-sentiment";
import type { FilterPicks, SentimentExamples, SentimentResponse } from "./api.js";
import { recordedPath } from "./httpError.js";

/** Longest sentence accepted, in words. */
export const MAX_WORDS = 100;

/** Shown when no SST-2 copy is at hand. */
const BUILT_IN_EXAMPLES: readonly { sentence: string; label: number }[] = [
  { sentence: "a gorgeous , witty , seductive movie .", label: 1 },
  { sentence: "the acting is superb and the story is moving", label: 1 },
  { sentence: "it 's a charming and often affecting journey .", label: 1 },
  { sentence: "the plot is dull and the jokes are lame .", label: 0 },
  { sentence: "an utterly incompetent , boring mess .", label: 0 },
  { sentence: "unflinchingly bleak and desperate", label: 0 },
];

interface LoadedSentiment {
  key: string;
  model: KimCNN;
  epoch: number;
  maxLen: number;
  seed: number;
  /** `undefined` = the default wink package. */
  embeddingsFile: string | undefined;
  outputWeights: Float64Array;
}

/** Word vectors of one embeddings source, filled on demand; null marks a word with no vector. */
class WordCache implements Embeddings {
  readonly vectors = new Map<string, Float64Array | null>();
  dim = 0;
  constructor(readonly file: string | undefined) {}

  async ensure(words: readonly string[]): Promise<void> {
    const missing = [...new Set(words)].filter((w) => !this.vectors.has(w));
    if (missing.length === 0 && this.dim > 0) return;
    const found = await loadGlove({ file: this.file, vocabulary: missing.length > 0 ? missing : ["the"], cache: false, progress: false });
    this.dim = found.dim;
    for (const w of missing) this.vectors.set(w, found.get(w) ?? null);
  }

  get(word: string): Float64Array | undefined {
    return this.vectors.get(word) ?? undefined;
  }
}

function shapeOf(state: StateDict, name: string, dims: number): number[] {
  const shape = state[name]?.shape;
  if (shape === undefined || shape.length !== dims) throw new Error(`sentiment: checkpoint has no ${dims}-D parameter ${name}`);
  return [...shape];
}

/** Loads Kim CNN checkpoints (reloading one that changed on disk) and answers the sentiment endpoints. */
export class SentimentViewer {
  private readonly cache = new Map<string, LoadedSentiment>();
  private readonly words = new Map<string, WordCache>();

  /** @param sst2Dir a directory with SST-2's dev.tsv, for example sentences */
  constructor(private readonly sst2Dir?: string) {}

  private load(file: string): LoadedSentiment {
    const st = fs.statSync(file);
    const key = `${st.mtimeMs}:${st.size}`;
    const hit = this.cache.get(file);
    if (hit !== undefined && hit.key === key) return hit;
    const c = loadCheckpoint(file, "train-sentiment");
    // The architecture follows from the saved shapes: conv weights are [features, embedding, width].
    const [features, dim, w1] = shapeOf(c.model, "conv1.weights", 3) as [number, number, number];
    const w2 = shapeOf(c.model, "conv2.weights", 3)[2]!;
    const w3 = shapeOf(c.model, "conv3.weights", 3)[2]!;
    const model = new KimCNN({ backend: SimpleBackend, featureMapSize: features, embeddingSize: dim, filterSizes: [w1, w2, w3] });
    model.loadStateDict(c.model);
    model.eval();
    const s = c.settings ?? {};
    const source = typeof s.embeddings === "string" ? s.embeddings : "npm:";
    const embeddingsFile = source.startsWith("npm:") ? undefined : recordedPath(file, source, "sentiment: the checkpoint's embeddings file", fs.existsSync);
    const loaded: LoadedSentiment = {
      key,
      model,
      epoch: c.epoch,
      maxLen: Number.isInteger(s.maxLen) ? (s.maxLen as number) : 52,
      seed: Number.isInteger(s.seed) ? (s.seed as number) : 0,
      embeddingsFile,
      outputWeights: model.linear.weights.value.toFloat64Array(),
    };
    this.cache.set(file, loaded);
    return loaded;
  }

  /** Example sentences: SST-2's dev.tsv when at hand, else a few built in. */
  examples(): SentimentExamples {
    const dev = this.sst2Dir !== undefined ? path.join(this.sst2Dir, "dev.tsv") : undefined;
    if (dev !== undefined && fs.existsSync(dev)) {
      const split = readSst2Tsv(dev);
      const sentences = split.sentences.slice(0, 60).map((sentence, i) => ({ sentence: sentence.trim(), label: split.labels[i]! }));
      return { source: dev, sentences };
    }
    return { source: "built-in examples", sentences: [...BUILT_IN_EXAMPLES] };
  }

  async predict(file: string, name: string, sentence: string): Promise<SentimentResponse> {
    const m = this.load(file);
    const words = tokenize(sentence);
    if (words.length === 0) throw new RangeError("sentiment: the sentence has no words");
    if (words.length > MAX_WORDS) throw new RangeError(`sentiment: at most ${MAX_WORDS} words, got ${words.length}`);
    const cacheKey = m.embeddingsFile ?? "npm:";
    let cache = this.words.get(cacheKey);
    if (cache === undefined) {
      cache = new WordCache(m.embeddingsFile);
      this.words.set(cacheKey, cache);
    }
    await cache.ensure(words);
    if (cache.dim !== m.model.conv1.weights.value.shape[1]) {
      throw new Error(`sentiment: the embeddings have ${cache.dim} dimensions, the model expects ${m.model.conv1.weights.value.shape[1]}`);
    }
    const len = Math.max(m.maxLen, words.length);
    const none = { sentences: [], labels: [] };
    const encoded = encodeSentiment({ sentences: [words.join(" ")], labels: [0] }, none, cache, { seed: m.seed, maxLen: len });
    const x = fromArray(encoded.train.x, encoded.train.shape, SimpleBackend);
    const probability = m.model.forward(x).item();
    const filters = m.model.maps.map((map, k) => picks(map.toFloat64Array(), map.shape as [number, number, number], m.model.filterSizes[k]!, words.length, m.outputWeights));
    return {
      checkpoint: name,
      epoch: m.epoch,
      sentence,
      words,
      unknown: encoded.unknown,
      probability,
      filters,
      maxLen: m.maxLen,
    };
  }
}

/**
 * Where the max over time of each feature map falls, as word counts and
 * contributions. A map whose maximum is 0 (ReLU'd everywhere) is not counted.
 * @param values the ReLU'd feature maps of one sentence, [1, features, length]
 */
export function picks(
  values: Float64Array,
  shape: readonly [number, number, number],
  width: number,
  wordCount: number,
  outputWeights: Float64Array,
): FilterPicks {
  const [, features, length] = shape;
  const counts = new Array<number>(wordCount).fill(0);
  const contributions = new Array<number>(wordCount).fill(0);
  let inPadding = 0;
  for (let f = 0; f < features; f++) {
    let best = 0;
    for (let t = 1; t < length; t++) if (values[f * length + t]! > values[f * length + best]!) best = t;
    const value = values[f * length + best]!;
    if (value <= 0) continue;
    if (best >= wordCount) {
      inPadding++;
      continue;
    }
    const contribution = value * (outputWeights[f] ?? 0);
    for (let w = best; w < Math.min(best + width, wordCount); w++) {
      counts[w]!++;
      contributions[w]! += contribution;
    }
  }
  return { width, counts, contributions: contributions.map((c) => Math.round(c * 1e5) / 1e5), inPadding, features };
}
