#!/usr/bin/env node
// Runs a model exported by `pnpm export-onnx` with onnxruntime-node, on the
// validation examples that `--samples` wrote beside it, and checks that its
// predictions are this library's.
//
//   node examples/onnx-inference.mjs runs/lenet.onnx runs/lenet.samples.json
import fs from "node:fs";
import * as ort from "onnxruntime-node";

const [modelFile, samplesFile] = process.argv.slice(2);
if (samplesFile === undefined) {
  console.error("usage: node examples/onnx-inference.mjs MODEL.onnx SAMPLES.json");
  process.exit(2);
}
const session = await ort.InferenceSession.create(modelFile);
const samples = JSON.parse(fs.readFileSync(samplesFile, "utf8"));

// The input as the model declares it: float32 (or float64), [batch, …].
const { name, type } = session.inputMetadata[0];
const values = type === "float64" ? Float64Array.from(samples.input.data) : Float32Array.from(samples.input.data);
const results = await session.run({ [name]: new ort.Tensor(type, values, samples.input.shape) });
const output = results[session.outputNames[0]];

// A class per example: the largest log-probability (MNIST), or probability > 0.5 (sentiment).
const [rows, classes = 1] = output.dims;
const predicted = Array.from({ length: rows }, (_, r) => {
  const row = output.data.slice(r * classes, (r + 1) * classes);
  return classes === 1 ? Number(row[0] > 0.5) : row.indexOf(Math.max(...row));
});

const correct = predicted.filter((p, i) => p === samples.labels[i]).length;
const same = predicted.filter((p, i) => p === samples.predictions[i]).length;
const diff = Math.max(...Array.from(output.data, (v, i) => Math.abs(v - samples.output.data[i])));
console.log(`${modelFile}: input ${name} ${type} [${samples.input.shape.join(", ")}] → output [${output.dims.join(", ")}]`);
console.log(`onnxruntime: ${correct}/${rows} correct; predictions equal to minitorch-ts's for ${same}/${rows}; largest output difference ${diff.toExponential(2)}`);
process.exit(same === rows ? 0 : 1);
