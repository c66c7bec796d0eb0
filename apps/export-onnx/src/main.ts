#!/usr/bin/env node
/**
 * export-onnx: a train-mnist or train-sentiment checkpoint as an ONNX model.
 *
 *   export-onnx --checkpoint runs/l.ckpt --out runs/lenet.onnx
 */
import { Command, Option } from "commander";
import { oneOf, percent, positiveInt, runMain, standardCli } from "@minitorch/app-common";
import { FastBackend } from "@minitorch/fast-ops";
import { exportCheckpoint, type ValueSummary } from "./exportCheckpoint.js";

interface Options {
  checkpoint: string;
  out: string;
  dtype: "float32" | "float64";
  samples?: string;
  sampleCount: number;
  dataDir?: string;
  embeddings?: string;
}

const program = new Command()
  .name("export-onnx")
  .description(
    "Export a train-mnist or train-sentiment checkpoint as an ONNX model (opset 17) for onnxruntime and other engines; " +
      "prints the model's input and output names and shapes.",
  )
  .requiredOption("--checkpoint <file>", "checkpoint written by train-mnist or train-sentiment --save")
  .requiredOption("--out <file>", "the .onnx file to write")
  .addOption(
    new Option("--dtype <type>", "float32 (runs everywhere) or float64 (onnxruntime CPU; convolutions as matrix products)")
      .default("float32")
      .argParser(oneOf("--dtype", ["float32", "float64"] as const)),
  )
  .option("--samples <file>", "also write validation examples with this library's outputs as JSON, to check the model elsewhere")
  .option("--sample-count <n>", "examples in --samples (at most the run's validation size)", positiveInt("--sample-count"), 10)
  .option("--data-dir <dir>", "data for --samples: MNIST IDX files or SST-2 TSV files, as given to the training app")
  .option("--embeddings <file>", "GloVe text file for --samples of a train-sentiment checkpoint (default: the checkpoint's)")
  .showHelpAfterError(false)
  .configureOutput({ outputError: (text, write) => write(text.split("\n")[0] + "\n") });

/** `name [batch, 1, 28, 28]`, padded for alignment. */
function line(kind: string, v: ValueSummary, dtype: string): string {
  return `${kind.padEnd(6)} ${JSON.stringify(v.name)} ${dtype} [${v.shape.join(", ")}]: ${v.meaning}`;
}

standardCli(program, import.meta.url);

runMain("export-onnx", async () => {
  program.parse();
  const o = program.opts<Options>();
  const s = await exportCheckpoint({ ...o, backend: FastBackend });
  const kb = (s.bytes / 1024).toFixed(1);
  process.stdout.write(
    [
      `${s.app} checkpoint ${o.checkpoint}: epoch ${s.epoch}, best validation accuracy ${percent(s.bestValAccuracy)}`,
      `wrote ${o.out}: ${kb} KiB, ONNX opset ${s.opset}, ${s.dtype}`,
      line("input", s.input, s.dtype),
      line("output", s.output, s.dtype),
      ...(s.samples !== undefined ? [`wrote ${o.samples}: ${s.samples} validation examples with this library's outputs`] : []),
    ].join("\n") + "\n",
  );
});
