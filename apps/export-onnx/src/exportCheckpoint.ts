/**
 * export-onnx's work, callable without the command line: checkpoint in,
 * `.onnx` file (and optionally a samples file) out, and what was written.
 */
import { sweepStaleTemporaries } from "@minitorch/app-common";
import { MNIST_FILE_NAMES, SST2_FILE_NAMES, guardFiles, writeFileAtomic } from "@minitorch/datasets";
import { decodeModel, toOnnx, OPSET, type ModelProtoData, type OnnxDtype } from "@minitorch/onnx";
import type { TensorBackend } from "@minitorch/tensor-core";
import { rebuildModel, type AppName } from "./rebuild.js";
import { makeSamples } from "./samples.js";

export interface ExportOptions {
  checkpoint: string;
  out: string;
  dtype: OnnxDtype;
  backend: TensorBackend;
  /** Also write validation examples with this library's outputs to this JSON file. */
  samples?: string;
  sampleCount?: number;
  dataDir?: string;
  embeddings?: string;
}

/** A graph input or output as declared in the file: its name and dimensions ("batch" where symbolic). */
export interface ValueSummary {
  name: string;
  shape: Array<number | string>;
  meaning: string;
}

export interface ExportSummary {
  app: AppName;
  epoch: number;
  bestValAccuracy: number;
  bytes: number;
  opset: number;
  dtype: OnnxDtype;
  input: ValueSummary;
  output: ValueSummary;
  /** Examples written with --samples. */
  samples?: number;
}

function describe(v: ModelProtoData["graph"]["input"][number], meaning: string): ValueSummary {
  return { name: v.name, shape: v.type.tensorType.shape.dim.map((d) => d.dimParam ?? d.dimValue ?? "?"), meaning };
}

/** Writes one output atomically; an error names the option and the file, never the temporary one. */
function writeOutput(option: string, file: string, data: Uint8Array | string): void {
  try {
    writeFileAtomic(file, data);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new Error(`${option} ${file}: cannot write (${err.code ?? err.message})`, { cause: e });
  }
}

/**
 * Rebuilds the checkpoint's model, exports it to `o.out` (written
 * atomically) and describes the result. Every output is checked against
 * every input and the other output before the checkpoint is read.
 */
export async function exportCheckpoint(o: ExportOptions): Promise<ExportSummary> {
  const out = guardFiles({
    inputs: { "--checkpoint": o.checkpoint, "--embeddings": o.embeddings },
    inputDirs: { "--data-dir": { dir: o.dataDir, files: [...MNIST_FILE_NAMES, ...SST2_FILE_NAMES] } },
    outputs: [
      { option: "--out", file: o.out, replace: true },
      { option: "--samples", file: o.samples, replace: true },
    ],
  });
  for (const file of Object.values(out)) sweepStaleTemporaries(file);
  const rebuilt = rebuildModel(o.checkpoint, o.backend);
  const c = rebuilt.checkpoint;
  const bytes = toOnnx(rebuilt.model, rebuilt.example, {
    dtype: o.dtype,
    docString: `${rebuilt.app} model from checkpoint ${o.checkpoint} (epoch ${c.epoch}). Input: ${rebuilt.inputMeaning}. Output: ${rebuilt.outputMeaning}.`,
    metadata: { app: rebuilt.app, epoch: String(c.epoch), bestValAccuracy: String(c.bestValAccuracy), settings: JSON.stringify(c.settings) },
  });
  const graph = decodeModel(bytes).graph;
  const input = describe(graph.input[0]!, rebuilt.inputMeaning);
  const output = describe(graph.output[0]!, rebuilt.outputMeaning);
  let samples: number | undefined;
  if (o.samples !== undefined) {
    // Read the data before writing anything, so a data error leaves no half-done export.
    const content = await makeSamples(
      rebuilt,
      { count: o.sampleCount ?? 10, dataDir: o.dataDir, embeddings: o.embeddings, inputName: input.name, outputName: output.name },
      o.backend,
    );
    writeOutput("--out", o.out, bytes);
    writeOutput("--samples", o.samples, `${JSON.stringify(content)}\n`);
    samples = content.labels.length;
  } else {
    writeOutput("--out", o.out, bytes);
  }
  return { app: rebuilt.app, epoch: c.epoch, bestValAccuracy: c.bestValAccuracy, bytes: bytes.length, opset: OPSET, dtype: o.dtype, input, output, samples };
}
