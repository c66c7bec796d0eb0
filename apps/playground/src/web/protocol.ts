/**
 * Messages between the page and its session worker (session.ts), which runs
 * the library: the page only draws.
 */
import type { Graph } from "./graph.js";

export type BackendName = "simple" | "fast" | "gpu";

export interface ToyRequest {
  kind: "toy";
  dataset: string;
  points: number;
  hidden: number;
  lr: number;
  epochs: number;
  backend: BackendName;
}

export interface MnistRequest {
  kind: "mnist";
  steps: number;
  lr: number;
  backend: BackendName;
}

export interface GpuConvRequest {
  kind: "gpu-conv";
}

/** A train-mnist checkpoint's text, to score and inspect. */
export interface CheckpointRequest {
  kind: "checkpoint";
  text: string;
  backend: BackendName;
}

export type Request = ToyRequest | MnistRequest | GpuConvRequest | CheckpointRequest | { kind: "stop" } | { kind: "inspect"; index: number };

/** Side of the grids the toy page draws (decision boundary and hidden units). */
export const GRID = 40;

export interface ToyProgress {
  kind: "toy-progress";
  epoch: number;
  loss: number;
  accuracy: number;
  /** GRID × GRID probabilities of class 1 over the unit square, row y = 0 first. */
  boundary: Float32Array;
  /** One GRID × GRID grid per hidden unit (its ReLU output, scaled to its max). */
  hidden: Float32Array[];
  /** The parameters, by name. */
  parameters: Array<{ name: string; shape: number[]; values: number[] }>;
  points: Array<[number, number]>;
  labels: number[];
  /** The graph of one forward pass (first message of a run only). */
  graph?: Graph;
}

export interface MnistProgress {
  kind: "mnist-progress";
  step: number;
  loss: number;
  /** Accuracy on one validation batch. */
  batchAccuracy: number;
}

export interface MnistInspect {
  kind: "mnist-inspect";
  index: number;
  label: number;
  pixels: Uint8Array;
  /** conv1 maps [4][28 × 28], conv2 maps [8][28 × 28], the 64 hidden units, the 10 probabilities. */
  conv1: Float32Array[];
  conv2: Float32Array[];
  hidden: Float32Array;
  probabilities: Float32Array;
}

export interface Done {
  kind: "done";
  run: "toy" | "mnist" | "gpu-conv";
  backend: string;
  accuracy?: number;
  /** Milliseconds per step (MNIST: one batch of 16, forward, backward and SGD). */
  stepMs?: number;
  seconds: number;
  workers: number;
  /** FastOps pool counters at the end (jobs run in parallel and inline, chunks the workers took). */
  pool: { parallelJobs: number; inlineJobs: number; workerChunks: number };
  crossOriginIsolated: boolean;
  /** MNIST: validation digits the model got wrong (index, label, prediction). */
  wrong?: Array<{ index: number; label: number; predicted: number; pixels: Uint8Array }>;
  /** GPU: per op, the times and the largest difference from the CPU, relative to max(1, |CPU value|) (float32's tolerance is relative). */
  gpu?: { adapter: string; maxDiff: number; ops: Array<{ name: string; shape: string; cpuMs: number; gpuMs: number; maxDiff: number }> };
}

export type Reply = ToyProgress | MnistProgress | MnistInspect | Done | { kind: "error"; message: string } | { kind: "log"; text: string };
