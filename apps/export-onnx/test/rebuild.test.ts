import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { saveCheckpoint } from "@minitorch/app-common";
import { SimpleBackend } from "@minitorch/tensor-core";
import { LeNet } from "@minitorch/train-mnist";
import { KimCNN } from "@minitorch/train-sentiment";
import { afterAll, describe, expect, it } from "vitest";
import { rebuildModel } from "../src/rebuild.js";
import { predictions } from "../src/samples.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "export-onnx-rebuild-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function save(name: string, app: string, model: LeNet | KimCNN, settings: Record<string, unknown>): string {
  const file = path.join(dir, name);
  saveCheckpoint(file, { app, epoch: 2, model: model.stateDict(), optimizer: { lr: 0.01 }, random: [1, 2, 3, 4], settings, bestValAccuracy: 0.5 });
  return file;
}

describe("rebuildModel", () => {
  it("LeNet from a train-mnist checkpoint, in evaluation mode, with an image-shaped example", () => {
    const original = new LeNet();
    const r = rebuildModel(save("l.ckpt", "train-mnist", original, {}), SimpleBackend);
    expect(r.app).toBe("train-mnist");
    expect(r.model).toBeInstanceOf(LeNet);
    expect(r.model.training).toBe(false);
    expect(r.model.stateDict()).toEqual(original.stateDict());
    expect(r.example.shape).toEqual([1, 1, 28, 28]);
  });

  it("the Kim CNN with the sizes of its saved weights and the padded length of its settings", () => {
    const original = new KimCNN({ featureMapSize: 4, embeddingSize: 6, filterSizes: [2, 3, 4] });
    const r = rebuildModel(save("k.ckpt", "train-sentiment", original, { maxLen: 9 }), SimpleBackend);
    const kim = r.model as KimCNN;
    expect([kim.featureMapSize, ...kim.filterSizes]).toEqual([4, 2, 3, 4]);
    expect(kim.stateDict()).toEqual(original.stateDict());
    expect(r.example.shape).toEqual([1, 9, 6]);
    expect(r.inputMeaning).toBe("6-d word embeddings of sentences zero-padded to 9 words");
  });

  it("names the file when the settings cannot rebuild the model", () => {
    const kim = new KimCNN({ featureMapSize: 2, embeddingSize: 3 });
    for (const maxLen of [undefined, 2.5, 4]) {
      const file = save("bad.ckpt", "train-sentiment", kim, { maxLen });
      expect(() => rebuildModel(file, SimpleBackend)).toThrow(`checkpoint ${file} has no valid settings.maxLen (the padded sentence length), got ${JSON.stringify(maxLen)}`);
    }
  });
});

describe("predictions", () => {
  it("argmax of each row of [N, C]; p > 0.5 for [N]", () => {
    expect(predictions([0.1, 0.7, 0.2, 0.9, 0.05, 0.05], [2, 3])).toEqual([1, 0]);
    expect(predictions([0.2, 0.5, 0.51], [3])).toEqual([0, 0, 1]);
  });
});
