/**
 * "Open your own runs": files made by the CLI apps, read in the tab (nothing
 * is uploaded). A metrics file (`--metrics`, JSON lines) or a log (`--log`,
 * the "Epoch N loss L valid acc a/b" lines) is drawn as curves; a
 * train-mnist checkpoint (`--save`) is loaded into LeNet in the session
 * worker, which scores it on the shipped validation digits and shows its
 * hidden states on the MNIST tab's views.
 */
import { canvas, curve, el } from "./draw.js";

export interface Curves {
  loss: number[];
  accuracy: number[];
}

/** The loss and validation-accuracy series of a metrics (JSON lines) or log file's text. */
export function parseRun(text: string): Curves {
  const curves: Curves = { loss: [], accuracy: [] };
  for (const line of text.split("\n")) {
    const s = line.trim();
    if (s.startsWith("{")) {
      const r = JSON.parse(s) as { kind?: string; loss?: number; valAccuracy?: number };
      if (r.kind !== "batch") continue;
      if (typeof r.loss === "number") curves.loss.push(r.loss);
      if (typeof r.valAccuracy === "number") curves.accuracy.push(r.valAccuracy);
      continue;
    }
    const m = /^Epoch \d+ loss (\S+) valid acc (\d+)\/(\d+)/.exec(s);
    if (m !== null) {
      curves.loss.push(Number(m[1]));
      curves.accuracy.push(Number(m[2]) / Number(m[3]));
    }
  }
  return curves;
}

/** Sends a checkpoint's text to the session; `show` switches to the MNIST views. */
export type CheckpointHandler = (text: string, name: string) => void;

let onCheckpoint: CheckpointHandler = () => {};

export function setCheckpointHandler(handler: CheckpointHandler): void {
  onCheckpoint = handler;
}

export function runsPage(page: HTMLElement): void {
  const input = el("input", { type: "file", multiple: "" });
  const list = el("div");
  const drop = el("div", { class: "panel", style: "border-style: dashed; padding: 2em" }, "Drop metrics, log or checkpoint files here, or choose them: ", input);
  page.replaceChildren(
    el(
      "div",
      { class: "panel" },
      el("h3", {}, "Open your own runs"),
      el("p", {}, "Files written by pnpm train-mnist / train-sentiment (--metrics, --log, --save). They are read by this tab; nothing leaves the machine."),
      drop,
      list,
    ),
  );
  const open = async (files: Iterable<File>): Promise<void> => {
    for (const file of files) {
      const text = await file.text();
      const box = el("div", { class: "panel", style: "margin-top: 1em" }, el("h3", {}, file.name));
      list.prepend(box);
      try {
        if (text.trimStart().startsWith("{") && text.includes('"minitorch-ts-checkpoint"')) {
          const app = (JSON.parse(text) as { app?: string }).app;
          if (app !== "train-mnist") throw new Error(`${file.name}: a ${app} checkpoint; this page opens train-mnist checkpoints (LeNet)`);
          box.append(el("p", {}, "LeNet checkpoint: scored on the MNIST tab."));
          onCheckpoint(text, file.name);
          continue;
        }
        const c = parseRun(text);
        if (c.loss.length === 0) throw new Error(`${file.name}: no metrics records or "Epoch … loss … valid acc …" lines found`);
        const loss = canvas(420, 150);
        const acc = canvas(420, 150);
        box.append(el("p", {}, `${c.loss.length} records`), loss, acc);
        curve(loss, c.loss, "loss");
        curve(acc, c.accuracy, "validation accuracy", "#2e7d32");
      } catch (e) {
        box.append(el("div", { class: "error" }, (e as Error).message));
      }
    }
  };
  input.onchange = () => void open(input.files ?? []);
  drop.ondragover = (e) => e.preventDefault();
  drop.ondrop = (e) => {
    e.preventDefault();
    void open(e.dataTransfer?.files ?? []);
  };
}
