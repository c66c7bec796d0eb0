/**
 * ONNX's own checker (Python `onnx`, Debian's python3-onnx) on every
 * exported op case and on a CNN, in float32 and float64:
 * `check_model(full_check=True)` and strict shape inference, which must
 * agree with the declared output shape. Skipped where no Python has the
 * `onnx` module (it is not an npm package); onnxruntime's load checks in
 * the other tests run everywhere.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Conv2d, Linear, Module, avgpool2d, logsoftmax } from "@minitorch/nn";
import { rand, type Tensor } from "@minitorch/tensor-core";
import { describe, expect, it } from "vitest";
import { toOnnx } from "../src/index.js";
import { build, cases } from "./opCases.js";

const python = ["python3", "/usr/bin/python3"].find((p) => spawnSync(p, ["-c", "import onnx"], { encoding: "utf8" }).status === 0);
// Skipped only on a developer's machine without it; under CI (.ci/run installs python3-onnx) it must run.
const skipped = python || process.env.CI ? "" : " [skipped: no python3 with the onnx module; apt-get install python3-onnx]";

const CHECK = `
import json, sys, onnx
report = {}
for f in sys.argv[1:]:
    m = onnx.load(f)
    onnx.checker.check_model(m, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    dim = lambda d: d.dim_param if d.HasField("dim_param") else (d.dim_value if d.HasField("dim_value") else None)
    dims = lambda v: [dim(d) for d in v.type.tensor_type.shape.dim]
    report[f] = [dims(inferred.graph.output[0]), dims(m.graph.output[0])]
print(json.dumps(report))
`;

class Cnn extends Module {
  readonly conv = new Conv2d(1, 3, 3, 3);
  readonly linear = new Linear(3 * 2 * 2, 4);
  override forward(x: Tensor): Tensor {
    const h = avgpool2d(this.conv.forward(x).relu(), [2, 2]).view(x.shape[0]!, 12);
    return logsoftmax(this.linear.forward(h), 1);
  }
}

describe("ONNX checker", () => {
  it.skipIf(skipped !== "")(`accepts every op case and a CNN, float32 and float64, with the declared output shapes${skipped}`, () => {
    if (python === undefined) expect.fail("CI is set but no python3 has the onnx module (apt-get install python3-onnx)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "onnx-checker-"));
    try {
      const files: string[] = [];
      const models: Array<[string, Module, Tensor]> = [...cases.map((c) => [c.name, build(c).model, build(c).x] as [string, Module, Tensor]), ["cnn", new Cnn(), rand([2, 1, 4, 4])]];
      models.forEach(([, model, x], i) => {
        for (const dtype of ["float32", "float64"] as const) {
          const file = path.join(dir, `${i}-${dtype}.onnx`);
          fs.writeFileSync(file, toOnnx(model, x, { dtype }));
          files.push(file);
        }
      });
      const r = spawnSync(python, ["-c", CHECK, ...files], { encoding: "utf8", timeout: 120_000 });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
      const report = JSON.parse(r.stdout) as Record<string, [unknown[], unknown[]]>;
      expect(Object.keys(report)).toHaveLength(files.length);
      for (const [file, [inferred, declared]] of Object.entries(report)) {
        // A size declared unknown (it follows the batch, but is not the batch) is a symbol to the checker.
        expect(inferred.map((d, i) => (declared[i] === null && typeof d === "string" ? null : d)), file).toEqual(declared);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
