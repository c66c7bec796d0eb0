/**
 * Sentences → padded embedding tensors, as minitorch's run_sentiment.py
 * (`encode_sentiment_data`) builds them for the Kim-2014 CNN.
 */
import { Random } from "@minitorch/autodiff";
import type { Embeddings } from "./glove.js";
import { tokenize } from "./sst2.js";

/** Sentences with 0/1 labels; `maxTokens`, when known, covers rows not passed here. */
export interface LabelledSentences {
  sentences: readonly string[];
  labels: readonly number[];
  /** Longest sentence (whitespace tokens) of the whole file, see {@link Sst2Split}. */
  maxTokens?: number;
}

/** One encoded split. */
export interface EncodedSplit {
  /** N × maxLen × dim values, row-major; rows past a sentence's end are 0. */
  x: Float64Array;
  shape: [number, number, number];
  /** N labels, 0 or 1. */
  y: number[];
}

/** Result of {@link encodeSentiment}. */
export interface EncodedSentiment {
  train: EncodedSplit;
  validation: EncodedSplit;
  /** Padded length: the longest sentence over train + validation. */
  maxLen: number;
  dim: number;
  /** The shared vector of unknown words (length dim). */
  unknownVector: Float64Array;
  /** Number of distinct words of the encoded sentences with no embedding. */
  unknownWords: number;
  /** Those words, sorted. */
  unknown: string[];
}

/** Options of {@link encodeSentiment}. */
export interface EncodeOptions {
  /** Seed of the unknown-word vector; default 0. Ignored when `random` is given. */
  seed?: number;
  /** Generator for the unknown-word vector. */
  random?: Random;
  /** Pad to this length instead of the longest sentence. */
  maxLen?: number;
}

/** Every distinct whitespace token of the given splits, sorted: the words to load embeddings for. */
export function sentenceVocabulary(...splits: readonly { sentences: readonly string[] }[]): string[] {
  const words = new Set<string>();
  for (const split of splits) for (const s of split.sentences) for (const w of tokenize(s)) words.add(w);
  return [...words].sort();
}

function longest(split: LabelledSentences): number {
  let max = split.maxTokens ?? 0;
  for (const s of split.sentences) max = Math.max(max, tokenize(s).length);
  return max;
}

function encodeSplit(
  name: string,
  split: LabelledSentences,
  maxLen: number,
  embeddings: Embeddings,
  unknownVector: Float64Array,
  unknown: Set<string>,
): EncodedSplit {
  const { sentences, labels } = split;
  if (labels.length !== sentences.length) {
    throw new Error(`encodeSentiment: ${name} has ${sentences.length} sentences but ${labels.length} labels`);
  }
  const dim = embeddings.dim;
  const x = new Float64Array(sentences.length * maxLen * dim);
  sentences.forEach((sentence, n) => {
    const words = tokenize(sentence);
    if (words.length > maxLen) throw new Error(`encodeSentiment: ${name} sentence ${n} has ${words.length} tokens, more than maxLen ${maxLen}`);
    words.forEach((w, i) => {
      let v = embeddings.get(w);
      if (v === undefined) {
        unknown.add(w);
        v = unknownVector;
      } else if (v.length !== dim) {
        throw new Error(`encodeSentiment: the embedding of ${JSON.stringify(w)} has length ${v.length}, expected dim ${dim}`);
      }
      x.set(v, (n * maxLen + i) * dim);
    });
  });
  labels.forEach((l, i) => {
    if (l !== 0 && l !== 1) throw new Error(`encodeSentiment: ${name} label ${i} must be 0 or 1, got ${l}`);
  });
  return { x, shape: [sentences.length, maxLen, dim], y: [...labels] };
}

/**
 * Embed sentences as minitorch does: split on whitespace, look every word up
 * (as is), use one shared vector drawn uniform in ±0.05 (0.1 · (u − 0.5) per
 * component, from a seeded Random) for unknown words, and pad with zero rows
 * to the longest sentence over train + validation — including the rows of the
 * files not passed here, via `maxTokens` (52 for SST-2).
 * @returns train and validation as [N, maxLen, dim] arrays, the count of distinct unknown words
 */
export function encodeSentiment(
  train: LabelledSentences,
  validation: LabelledSentences,
  embeddings: Embeddings,
  options: EncodeOptions = {},
): EncodedSentiment {
  const dim = embeddings.dim;
  if (!Number.isInteger(dim) || dim <= 0) throw new Error(`encodeSentiment: embeddings.dim must be a positive integer, got ${dim}`);
  const maxLen = options.maxLen ?? Math.max(longest(train), longest(validation));
  if (!Number.isInteger(maxLen) || maxLen < 0) throw new Error(`encodeSentiment: maxLen must be a non-negative integer, got ${maxLen}`);
  const random = options.random ?? new Random(options.seed ?? 0);
  const unknownVector = new Float64Array(dim);
  for (let i = 0; i < dim; i++) unknownVector[i] = 0.1 * (random.random() - 0.5);
  const unknown = new Set<string>();
  const encodedTrain = encodeSplit("train", train, maxLen, embeddings, unknownVector, unknown);
  const encodedValidation = encodeSplit("validation", validation, maxLen, embeddings, unknownVector, unknown);
  return {
    train: encodedTrain,
    validation: encodedValidation,
    maxLen,
    dim,
    unknownVector,
    unknownWords: unknown.size,
    unknown: [...unknown].sort(),
  };
}
