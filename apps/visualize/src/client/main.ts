/**
 * The page: lists the runs of the runs directory, polls the chosen run's
 * metrics for live curves, and hands the checkpoints to the model sections.
 */
import "./style.css";
import type { MetricsResponse, RunInfo, RunsResponse } from "../api.js";
import { Curves } from "./curves.js";
import { byId, getJson, setOptions } from "./dom.js";
import { ExpressionSection } from "./expression.js";
import { MnistSection } from "./mnist.js";
import { SentimentSection } from "./sentiment.js";

const METRICS_POLL_MS = 1500;
const RUNS_POLL_MS = 5000;
/** A run whose metrics changed this recently is shown as live. */
const LIVE_MS = 30_000;

const runSelect = byId("run-select", HTMLSelectElement);
const runStatus = byId("run-status", HTMLElement);
const curves = new Curves(byId("loss-chart", HTMLElement), byId("accuracy-chart", HTMLElement));
const mnist = new MnistSection();
const sentiment = new SentimentSection();
const expression = new ExpressionSection();
let runs: RunInfo[] = [];
let lastMetrics = "";

async function refreshRuns(): Promise<void> {
  try {
    const r = await getJson<RunsResponse>("/api/runs");
    runs = r.runs;
    const problems = r.problems.length > 0 ? `; not listed: ${r.problems.join("; ")}` : "";
    byId("runs-dir", HTMLElement).textContent = `runs in ${r.runsDir}: ${r.runs.length} run(s), ${r.checkpoints.length} checkpoint(s)${problems}`;
    // Newest first: the run being trained is the one a student wants.
    const sorted = [...r.runs].sort((a, b) => b.modified - a.modified);
    const first = runSelect.options.length === 0 || runSelect.value === "";
    setOptions(runSelect, sorted.map((run) => ({ value: run.name, label: run.app ? `${run.name} (${run.app})` : run.name })), "no run yet");
    if (first && sorted.length > 0) {
      runSelect.value = sorted[0]!.name;
      void refreshMetrics();
    }
    mnist.update(r.checkpoints);
    sentiment.update(r.checkpoints);
  } catch (e) {
    byId("runs-dir", HTMLElement).textContent = `cannot list runs: ${(e as Error).message}`;
  }
}

async function refreshMetrics(): Promise<void> {
  const name = runSelect.value;
  if (name === "") {
    curves.clear();
    runStatus.textContent = "train with --log FILE inside the runs directory to see curves";
    return;
  }
  try {
    const m = await getJson<MetricsResponse>(`/api/runs/${encodeURIComponent(name)}/metrics`);
    if (name !== runSelect.value) return;
    const stamp = `${name}:${m.bytes}:${m.modified}`;
    if (stamp !== lastMetrics) {
      lastMetrics = stamp;
      curves.show(m);
    }
    const run = runs.find((r) => r.name === name);
    const live = Date.now() - m.modified < LIVE_MS;
    const skipped = m.skipped > 0 ? `, ${m.skipped} corrupt line(s) skipped (line ${m.skippedLines.join(", ")})` : "";
    const shown = m.records.length < m.total ? ` (${m.records.length} shown, evenly spaced)` : "";
    runStatus.replaceChildren(`${m.total} records${shown}${skipped}${live ? " — live" : ""} `);
    runStatus.classList.toggle("live", live);
    if (run?.logUrl) {
      const a = document.createElement("a");
      a.href = run.logUrl;
      a.textContent = "log";
      runStatus.append(a);
    }
  } catch (e) {
    runStatus.textContent = (e as Error).message;
  }
}

runSelect.addEventListener("change", () => {
  lastMetrics = "";
  curves.clear();
  void refreshMetrics();
});

void refreshRuns();
void expression.show();
setInterval(() => void refreshRuns(), RUNS_POLL_MS);
setInterval(() => void refreshMetrics(), METRICS_POLL_MS);
