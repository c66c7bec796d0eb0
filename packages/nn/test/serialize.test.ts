import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { Random } from "@minitorch/autodiff";
import type { Tensor } from "@minitorch/tensor-core";
import { Conv1d, Conv2d, Linear, Module, ReLU, Sequential, decodeSafetensors, loadStateDict, readSafetensors, saveSafetensors, saveStateDict } from "../src/index.js";
import { backends } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "minitorch-serialize-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const values = (m: Module): number[] => m.parameters().flatMap((p) => Array.from(p.value.toFloat64Array()));

describe.each(backends)("saveStateDict / loadStateDict on %s", (_, backend) => {
  it("a Sequential(Linear(3,4), ReLU, Linear(4,2)) saved and loaded into a fresh one has exactly the same values; only the file is left", () => {
    const file = join(dir, `net-${backend.name}.safetensors`);
    const make = (seed: number): Sequential => new Sequential(new Linear(3, 4, { backend, random: new Random(seed) }), new ReLU(), new Linear(4, 2, { backend, random: new Random(seed) }));
    const a = make(1);
    saveStateDict(a, file);
    const b = make(2);
    expect(values(b)).not.toEqual(values(a));
    const tensorsBefore = b.parameters().map((p) => p.value);
    loadStateDict(b, file);
    expect(values(b)).toEqual(values(a));
    b.parameters().forEach((p, i) => expect(p.value).toBe(tensorsBefore[i]));
    expect(readdirSync(dir).filter((f) => f.includes(backend.name))).toEqual([`net-${backend.name}.safetensors`]);
  });
});

describe("file errors and the safetensors layout", () => {
  it("loading into a model with other names or shapes names the file and the parameter", () => {
    const file = join(dir, "linear.safetensors");
    saveStateDict(new Linear(3, 2), file);
    expect(() => loadStateDict(new Linear(3, 5), file)).toThrow(`loadStateDict: ${file}: parameter "weights" has shape [3, 5], saved shape is [3, 2] with 6 values`);
    expect(() => loadStateDict(new Sequential(new Linear(3, 2)), file)).toThrow(`loadStateDict: ${file}: unexpected parameter "weights" (model has 0.weights, 0.bias)`);
  });

  it("a truncated file or a bad header is an error naming the file and the byte offset", () => {
    const file = join(dir, "whole.safetensors");
    saveStateDict(new Linear(2, 2), file);
    const bytes = readFileSync(file);
    const cut = join(dir, "cut.safetensors");
    writeFileSync(cut, bytes.subarray(0, bytes.length - 4));
    expect(() => loadStateDict(new Linear(2, 2), cut)).toThrow(`${cut}: tensor "bias" ends at byte ${bytes.length}, past the end of the ${bytes.length - 4}-byte file`);
    writeFileSync(cut, bytes.subarray(0, 5));
    expect(() => readSafetensors(cut)).toThrow(`${cut}: file is 5 bytes, too short for the 8-byte header length`);
    const garbled = Uint8Array.from(bytes);
    garbled[8] = 0x7b + 1;
    expect(() => decodeSafetensors(garbled, "g.safetensors")).toThrow(/^g\.safetensors: the header at bytes 8–\d+ is not valid JSON/);
  });

  it("saving to a missing directory throws and leaves nothing behind; an existing file is replaced whole", () => {
    expect(() => saveStateDict(new Linear(2, 2), join(dir, "no-such-dir", "x.safetensors"))).toThrow(/ENOENT/);
    const file = join(dir, "replace.safetensors");
    saveStateDict(new Linear(5, 5), file);
    saveStateDict(new Linear(1, 1), file);
    expect([...readSafetensors(file).keys()]).toEqual(["weights", "bias"]);
    expect(readdirSync(dir).some((f) => f.includes(".tmp-"))).toBe(false);
  });

  it("saveSafetensors of Linear(3,2): 8-byte LE header length, JSON with torch's names, weight [2,3] transposed, F32 little-endian data", () => {
    const layer = new Linear(3, 2);
    layer.loadStateDict({ weights: { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] }, bias: { shape: [2], data: [0.5, -0.25] } });
    const file = join(dir, "torch-linear.safetensors");
    saveSafetensors(layer, file);
    const bytes = readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString("utf8")) as Record<string, { dtype: string; shape: number[]; data_offsets: number[] }>;
    expect(header).toEqual({
      weight: { dtype: "F32", shape: [2, 3], data_offsets: [0, 24] },
      bias: { dtype: "F32", shape: [2], data_offsets: [24, 32] },
    });
    const data = Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(8 + n + 4 * i));
    expect(data).toEqual([1, 3, 5, 2, 4, 6, 0.5, -0.25]);
    expect(bytes.length).toBe(8 + n + 32);
  });

  it("saveSafetensors of Conv1d and Conv2d in a Sequential: weight as is, bias as [out], names 0.weight …; F64 on request", () => {
    const model = new Sequential(new Conv1d(2, 3, 4), new Module(), new Conv2d(1, 2, 2, 3));
    const file = join(dir, "torch-conv.safetensors");
    saveSafetensors(model, file, { dtype: "F64" });
    const read = readSafetensors(file);
    expect([...read].map(([k, e]) => [k, e.dtype, e.shape])).toEqual([
      ["0.weight", "F64", [3, 2, 4]],
      ["0.bias", "F64", [3]],
      ["2.weight", "F64", [2, 1, 2, 3]],
      ["2.bias", "F64", [2]],
    ]);
    const conv = model.at(0) as Conv1d;
    expect(Array.from(read.get("0.bias")!.data)).toEqual(Array.from(conv.bias.value.toFloat64Array()));
    expect(() => saveSafetensors(model, file, { dtype: "F16" as never })).toThrow('saveSafetensors: dtype must be "F32" or "F64", got "F16"');
    expect(() => saveSafetensors(model, file, { dtpye: "F64" } as never)).toThrow('saveSafetensors: unknown option "dtpye" (known: dtype)');
  });

  it("property: any Linear round-trips through saveSafetensors at float32 precision and through saveStateDict exactly", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 1000 }), (inSize, outSize, seed) => {
        const layer = new Linear(inSize, outSize, { random: new Random(seed) });
        const file = join(dir, "prop.safetensors");
        saveSafetensors(layer, file);
        const read = readSafetensors(file);
        const w = layer.weights.value as Tensor;
        const want = w.transpose(0, 1).toFloat64Array();
        const got = read.get("weight")!.data;
        want.forEach((v, i) => expect(got[i]).toBe(Math.fround(v)));
        saveStateDict(layer, file);
        const copy = new Linear(inSize, outSize, { random: new Random(seed + 1) });
        loadStateDict(copy, file);
        expect(values(copy)).toEqual(values(layer));
      }),
      { numRuns: 25 },
    );
  });
});
