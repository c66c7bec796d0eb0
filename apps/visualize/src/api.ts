/**
 * The JSON the server answers with: shared by the server (src/*.ts) and the
 * page (src/client/*.ts), which imports these types only.
 */
import type { MetricRecord } from "@minitorch/app-common";

/** One record of a metrics file, as the training apps write it. */
export type MetricPoint = MetricRecord;

/** A training run: a `<name>.metrics.jsonl` file, with its log and checkpoint when they sit beside it. */
export interface RunInfo {
  /** Path of the run relative to the runs directory, without `.metrics.jsonl`. */
  name: string;
  /** Which app wrote it ("train-mnist", "train-sentiment"), from the log header or checkpoint; else "". */
  app: string;
  /** URL of the metrics file under /runs/. */
  metricsUrl: string;
  /** URL of the text log under /runs/, if there is one. */
  logUrl: string | null;
  /** Last change of the metrics file, ms since the epoch. */
  modified: number;
}

/** A file holding a minitorch-ts checkpoint. */
export interface CheckpointInfo {
  /** Path relative to the runs directory. */
  name: string;
  app: string;
  epoch: number;
  /** Last change, ms since the epoch. */
  modified: number;
}

/** GET /api/runs */
export interface RunsResponse {
  runsDir: string;
  runs: RunInfo[];
  checkpoints: CheckpointInfo[];
  /** What could not be listed and why (a file name that is not UTF-8, too many entries). */
  problems: string[];
}

/** GET /api/runs/:name/metrics */
export interface MetricsResponse {
  name: string;
  /**
   * The records in file order: all of them, or for a long run an evenly
   * spaced subset of a few thousand per kind that ends with the last.
   */
  records: MetricPoint[];
  /** Valid records in the file. */
  total: number;
  /** Lines that were not a valid record (corrupt, truncated), skipped. */
  skipped: number;
  /** 1-based numbers of the first skipped lines (at most 20). */
  skippedLines: number[];
  /** Size of the file in bytes and its last change (ms since the epoch), for cheap polling. */
  bytes: number;
  modified: number;
}

/** Feature maps of one layer: `channels` images of height × width, row-major. */
export interface FeatureMaps {
  channels: number;
  height: number;
  width: number;
  data: number[][];
}

/** GET /api/mnist/:checkpoint/:index */
export interface MnistResponse {
  checkpoint: string;
  epoch: number;
  index: number;
  /** Number of validation digits. */
  count: number;
  label: number;
  predicted: number;
  /** Class probabilities (softmax of the model's log-probabilities), summing to 1. */
  probabilities: number[];
  /** The input image, 28 × 28 bytes 0..255, row-major. */
  image: number[];
  mid: FeatureMaps;
  out: FeatureMaps;
  source: string;
}

/** GET /api/mnist/:checkpoint/summary: every validation digit's prediction. */
export interface MnistSummary {
  checkpoint: string;
  epoch: number;
  count: number;
  labels: number[];
  predicted: number[];
  /** Indices of the wrong predictions. */
  wrong: number[];
}

/** Words picked by the max over time of one filter width. */
export interface FilterPicks {
  /** Filter width (words per window). */
  width: number;
  /** Per word of the sentence: how many of the feature maps' maxima fall on a window covering it. */
  counts: number[];
  /** Per word: Σ over those feature maps of max value × output weight (its push towards positive). */
  contributions: number[];
  /** Feature maps whose maximum lies in the padding past the sentence's end. */
  inPadding: number;
  /** Number of feature maps. */
  features: number;
}

/** GET /api/sentiment/:checkpoint?sentence=… */
export interface SentimentResponse {
  checkpoint: string;
  epoch: number;
  sentence: string;
  words: string[];
  /** Words with no embedding (they get the shared unknown-word vector). */
  unknown: string[];
  /** Probability that the sentence is positive. */
  probability: number;
  filters: FilterPicks[];
  /** Padded length the model was trained with. */
  maxLen: number;
}

/** GET /api/sentiment/:checkpoint/examples */
export interface SentimentExamples {
  source: string;
  sentences: { sentence: string; label: number }[];
}

/** GET /api/expression?expr=… */
export interface ExpressionResponse {
  expr: string;
  /** Graphviz DOT of the backward graph (the library's toDot). */
  dot: string;
  shape: number[];
  /** The values, when there are at most 16. */
  values: number[] | null;
  /** The leaf variables the expression may use and their shapes. */
  variables: Record<string, number[]>;
}

/** Any error answer. */
export interface ErrorResponse {
  error: string;
}
