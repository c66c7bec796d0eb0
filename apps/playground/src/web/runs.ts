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
import type { MetricsResponse, RunsResponse } from "@minitorch/visualize";
import { canvas, curve, el } from "./draw.js";
import { sentimentView } from "./sentiment.js";

export interface Curves {
  loss: number[];
  accuracy: number[];
}

/** A metrics record's fields the curves use. */
interface RecordFields {
  kind?: string;
  loss?: number;
  valAccuracy?: number;
}

/** Adds a batch record's loss and validation accuracy to `curves` (epoch summaries are skipped). */
function addRecord(curves: Curves, r: RecordFields): void {
  if (r.kind !== "batch") return;
  if (typeof r.loss === "number") curves.loss.push(r.loss);
  if (typeof r.valAccuracy === "number") curves.accuracy.push(r.valAccuracy);
}

/** The loss and validation-accuracy series of a metrics (JSON lines) or log file's text. */
export function parseRun(text: string): Curves {
  const curves: Curves = { loss: [], accuracy: [] };
  for (const line of text.split("\n")) {
    const s = line.trim();
    if (s.startsWith("{")) {
      addRecord(curves, JSON.parse(s) as RecordFields);
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

/** The series of records the server already parsed (/api/runs/NAME/metrics). */
export function recordCurves(records: readonly RecordFields[]): Curves {
  const curves: Curves = { loss: [], accuracy: [] };
  for (const r of records) addRecord(curves, r);
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
    drawCurves(box, c, `${c.loss.length} records`);
  } catch (e) {
    box.append(el("div", { class: "error" }, (e as Error).message));
  }
}

function drawCurves(box: HTMLElement, c: Curves, note: string): void {
  const loss = canvas(420, 150);
  const acc = canvas(420, 150);
  box.append(el("p", { class: "run-note" }, note), loss, acc);
  curve(loss, c.loss, "loss");
  curve(acc, c.accuracy, "validation accuracy", "#2e7d32");
}

/** A metrics change this recent marks the run as live (being trained). */
const LIVE_MS = 30_000;

/**
 * Draws a served metrics file through the server's /api/runs/NAME/metrics
 * when it changed since `stamp`: read incrementally and, for a long run,
 * thinned to evenly spaced records, so following it costs what changed, not
 * the whole file. Returns the answer's stamp (size and time).
 */
async function showMetrics(run: string, box: HTMLElement, logUrl: string | null, stamp = ""): Promise<string> {
  const response = await fetch(new URL(`api/runs/${encodeURIComponent(run)}/metrics`, document.baseURI));
  const m = (await response.json()) as MetricsResponse | { error: string };
  const next = "error" in m ? `error:${m.error}` : `${m.bytes}:${m.modified}`;
  if (next === stamp) return stamp;
  box.replaceChildren(el("h3", {}, `${run}.metrics.jsonl`));
  if ("error" in m) {
    box.append(el("div", { class: "error" }, m.error));
    return next;
  }
  const shown = m.records.length < m.total ? ` (${m.records.length} shown, evenly spaced)` : "";
  const skipped = m.skipped > 0 ? `, ${m.skipped} corrupt line${m.skipped === 1 ? "" : "s"} skipped (line ${m.skippedLines.join(", ")})` : "";
  const live = Date.now() - m.modified < LIVE_MS ? " — live" : "";
  drawCurves(box, recordCurves(m.records), `${m.total} records${shown}${skipped}${live}`);
  if (logUrl !== null) box.append(el("a", { href: logUrl.replace(/^\//, ""), target: "_blank" }, "log"));
  return next;
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

/** Opens a file of the runs directory in a new box, following a metrics file or log every FOLLOW_MS while shown. */
async function openServed(name: string, list: HTMLElement, index: RunsResponse | null): Promise<void> {
  const box = el("div", { class: "panel", style: "margin-top: 1em" });
  list.prepend(box);
  const follow = (step: () => Promise<void>): void => {
    const timer = setInterval(() => {
      if (!box.isConnected) clearInterval(timer);
      else void step();
    }, FOLLOW_MS);
  };
  const run = name.endsWith(".metrics.jsonl") ? index?.runs.find((r) => `${r.name}.metrics.jsonl` === name) : undefined;
  if (run !== undefined) {
    let stamp = await showMetrics(run.name, box, run.logUrl);
    follow(async () => {
      stamp = await showMetrics(run.name, box, run.logUrl, stamp);
    });
    return;
  }
  const read = async (): Promise<string> => (await fetch(new URL(`runs/${encodeURIComponent(name)}`, document.baseURI))).text();
  let text = await read();
  showFile(name, text, box, true);
  if (text.includes('"minitorch-ts-checkpoint"')) return;
  follow(async () => {
    const t = await read();
    if (t !== text) showFile(name, (text = t), box, true);
  });
}

/** How often the runs directory's listing is read again, in milliseconds. */
const LIST_MS = 5000;

/**
 * The runs directory the server was given, if any: a button per file, and
 * per run or checkpoint in its subdirectories (from the server's runs
 * index, /api/runs, which also names what it could not list). Read again
 * every LIST_MS while shown, so runs started later appear.
 */
async function listServed(served: HTMLElement, list: HTMLElement): Promise<void> {
  let shown = "";
  const refresh = async (): Promise<boolean> => {
    const response = await fetch(new URL("runs/", document.baseURI));
    if (!response.ok) return false;
    const files = (await response.json()) as Array<{ name: string; bytes: number }>;
    const api = await fetch(new URL("api/runs", document.baseURI));
    const index = api.ok ? ((await api.json()) as RunsResponse) : null;
    const names = files.map((f) => f.name);
    if (index !== null) {
      const nested = [...index.runs.map((r) => `${r.name}.metrics.jsonl`), ...index.checkpoints.map((c) => c.name)].filter((n) => n.includes("/"));
      names.push(...nested.sort());
    }
    const problems = index !== null && index.problems.length > 0 ? `not listed: ${index.problems.join("; ")}` : "";
    const key = JSON.stringify([names, problems]);
    if (key === shown) return true;
    shown = key;
    served.replaceChildren(
      el("p", {}, `${names.length} file${names.length === 1 ? "" : "s"} in the runs directory:`),
      ...names.map((name) => {
        const b = el("button", { type: "button", "data-run": name }, name);
        b.onclick = () => void openServed(name, list, index);
        return b;
      }),
      problems === "" ? "" : el("p", { class: "error" }, problems),
    );
    return true;
  };
  if (!(await refresh())) return;
  const timer = setInterval(() => {
    if (!served.isConnected) clearInterval(timer);
    else void refresh();
  }, LIST_MS);
}
