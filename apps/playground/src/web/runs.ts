/**
 * "Open your own runs": files made by the CLI apps, read in the tab (nothing
 * is uploaded), or listed from the directory `pnpm playground --runs DIR`
 * serves, a metrics file or log then followed as training writes it. A metrics file (`--metrics`, JSON lines) or a log (`--log`,
 * the "Epoch N loss L valid acc a/b" lines) is drawn as curves; a
 * train-mnist checkpoint (`--save`) is loaded into LeNet in the session
 * worker, which scores it on the shipped validation digits and shows its
 * hidden states on the MNIST tab's views; a train-sentiment checkpoint of
 * the served directory gets the sentiment view (src/web/sentiment.ts).
 */
import { canvas, curve, el } from "./draw.js";
import { sentimentView } from "./sentiment.js";

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

/**
 * Draws file `name` (its text) into `box`: curves for metrics or a log; a
 * LeNet checkpoint goes to the session; a Kim CNN checkpoint of the runs
 * directory (`served`) gets the sentiment view, run by the server.
 */
function showFile(name: string, text: string, box: HTMLElement, served = false): void {
  box.replaceChildren(el("h3", {}, name));
  try {
    if (text.trimStart().startsWith("{") && text.includes('"minitorch-ts-checkpoint"')) {
      const app = (JSON.parse(text) as { app?: string }).app;
      if (app === "train-sentiment") {
        if (!served) throw new Error(`${name}: a train-sentiment checkpoint needs its word vectors, which the server reads: put it in the --runs directory and pick it from the list above`);
        sentimentView(box, name);
        return;
      }
      if (app !== "train-mnist") throw new Error(`${name}: a ${app} checkpoint; this page opens train-mnist (LeNet) and train-sentiment (Kim CNN) checkpoints`);
      box.append(el("p", {}, "LeNet checkpoint: scored on the MNIST tab."));
      onCheckpoint(text, name);
      return;
    }
    const c = parseRun(text);
    if (c.loss.length === 0) throw new Error(`${name}: no metrics records or "Epoch … loss … valid acc …" lines found`);
    const loss = canvas(420, 150);
    const acc = canvas(420, 150);
    box.append(el("p", {}, `${c.loss.length} records`), loss, acc);
    curve(loss, c.loss, "loss");
    curve(acc, c.accuracy, "validation accuracy", "#2e7d32");
  } catch (e) {
    box.append(el("div", { class: "error" }, (e as Error).message));
  }
}

/** How often a followed run is read again, in milliseconds. */
const FOLLOW_MS = 2000;

export function runsPage(page: HTMLElement): void {
  const input = el("input", { type: "file", multiple: "" });
  const list = el("div");
  const served = el("div");
  const drop = el("div", { class: "panel", style: "border-style: dashed; padding: 2em" }, "Drop metrics, log or checkpoint files here, or choose them: ", input);
  page.replaceChildren(
    el(
      "div",
      { class: "panel" },
      el("h3", {}, "Open your own runs"),
      el("p", {}, "Files written by pnpm train-mnist / train-sentiment (--metrics, --log, --save). They are read by this tab; nothing leaves the machine. Started with pnpm playground --runs DIR (or pnpm visualize --runs DIR), the page lists DIR, follows a run as it is written, and runs a train-sentiment checkpoint on your sentences."),
      served,
      drop,
      list,
    ),
  );
  const open = async (files: Iterable<File>): Promise<void> => {
    for (const file of files) {
      const box = el("div", { class: "panel", style: "margin-top: 1em" });
      list.prepend(box);
      showFile(file.name, await file.text(), box);
    }
  };
  input.onchange = () => void open(input.files ?? []);
  drop.ondragover = (e) => e.preventDefault();
  drop.ondrop = (e) => {
    e.preventDefault();
    void open(e.dataTransfer?.files ?? []);
  };
  void listServed(served, list);
}

/** The runs directory the server was given, if any: a button per file; a metrics file or log is read again every FOLLOW_MS while shown. */
async function listServed(served: HTMLElement, list: HTMLElement): Promise<void> {
  const response = await fetch(new URL("runs/", document.baseURI));
  if (!response.ok) return;
  const files = (await response.json()) as Array<{ name: string; bytes: number }>;
  served.replaceChildren(
    el("p", {}, `${files.length} file${files.length === 1 ? "" : "s"} in the runs directory:`),
    ...files.map((f) => {
      const b = el("button", { type: "button", "data-run": f.name }, f.name);
      b.onclick = async () => {
        const box = el("div", { class: "panel", style: "margin-top: 1em" });
        list.prepend(box);
        const read = async (): Promise<string> => (await fetch(new URL(`runs/${encodeURIComponent(f.name)}`, document.baseURI))).text();
        let text = await read();
        showFile(f.name, text, box, true);
        if (text.includes('"minitorch-ts-checkpoint"')) return;
        const timer = setInterval(() => {
          if (!box.isConnected) {
            clearInterval(timer);
            return;
          }
          void read().then((t) => {
            if (t !== text) showFile(f.name, (text = t), box, true);
          });
        }, FOLLOW_MS);
      };
      return b;
    }),
  );
}
