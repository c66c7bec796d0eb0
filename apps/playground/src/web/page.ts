/**
 * The playground page: tabs, controls and drawings. It computes nothing with
 * the library itself beyond the small sandboxes; training and the GPU
 * comparison run in the session worker (session.ts), which posts progress.
 *
 * Test hooks (stable): `/?run=DATASET&epochs=N&backend=fast`,
 * `/?run=mnist&steps=N&backend=fast` and `/?run=gpu-conv` start a run on
 * load; when it ends, #result gets data-accuracy (0–1) or data-max-diff and
 * data-adapter, data-backend, data-workers, data-cross-origin-isolated,
 * data-step-ms, data-seconds, data-pool (FastOps' job counters) and
 * data-done="1" (data-error on failure).
 */
import { autodiffPage, tensorPage } from "./sandboxes.js";
import { runsPage, setCheckpointHandler } from "./runs.js";
import { bars, canvas, curve, el, heatmap, image28, points } from "./draw.js";
import { graphSvg } from "./graph.js";
import { GRID, type BackendName, type Done, type Reply, type Request } from "./protocol.js";

const page = document.getElementById("page")!;
const tabs = document.getElementById("tabs")!;
const status = document.getElementById("status")!;
const result = document.getElementById("result")!;

let session: Worker | null = null;
const listeners = new Set<(r: Reply) => void>();

/** The session worker, started on first need. */
function send(request: Request): void {
  if (session === null) {
    session = new Worker(new URL("lib/session.js", document.baseURI), { type: "module" });
    session.onmessage = (event: MessageEvent<Reply>) => {
      for (const l of listeners) l(event.data);
    };
    session.onerror = (event) => report({ kind: "error", message: `the session worker failed: ${event.message}` });
  }
  session.postMessage(request);
}

function report(r: Reply): void {
  for (const l of listeners) l(r);
}

function listen(l: (r: Reply) => void): void {
  listeners.clear();
  listeners.add(l);
  listeners.add(hook);
}

/** Writes a finished run on #result for checks outside the page. */
function hook(r: Reply): void {
  if (r.kind === "error") {
    result.dataset.error = r.message;
    result.dataset.done = "1";
    return;
  }
  if (r.kind !== "done") return;
  const d = result.dataset;
  d.run = r.run;
  d.backend = r.backend;
  d.workers = String(r.workers);
  d.crossOriginIsolated = String(r.crossOriginIsolated);
  d.seconds = r.seconds.toFixed(3);
  d.pool = JSON.stringify(r.pool);
  if (r.accuracy !== undefined) d.accuracy = String(r.accuracy);
  if (r.stepMs !== undefined) d.stepMs = r.stepMs.toFixed(3);
  if (r.gpu !== undefined) {
    d.maxDiff = String(r.gpu.maxDiff);
    d.adapter = r.gpu.adapter;
  }
  d.done = "1";
}

function backendSelect(value: BackendName): HTMLSelectElement {
  // GPU only where the browser has WebGPU (an adapter may still be missing: the run then says why).
  const gpu = "gpu" in navigator ? el("option", { value: "gpu" }, "GPU") : el("option", { value: "gpu", disabled: "" }, "GPU (no WebGPU here)");
  const s = el("select", { name: "backend" }, el("option", { value: "simple" }, "Simple"), el("option", { value: "fast" }, "Fast"), gpu);
  s.value = value;
  return s;
}

function field(label: string, input: HTMLElement): HTMLElement[] {
  return [el("label", {}, label), input];
}

function number(name: string, value: number, step = "1"): HTMLInputElement {
  return el("input", { type: "number", name, value: String(value), step, style: "width: 6em" });
}

function errorBox(): HTMLElement {
  return el("div", { class: "error" });
}

// ---- training sandbox (Modules 1–3) ----

interface ToySettings {
  dataset: string;
  points: number;
  hidden: number;
  lr: number;
  epochs: number;
  backend: BackendName;
}

function trainPage(start: Partial<ToySettings> | null): void {
  const s: ToySettings = { dataset: "xor", points: 50, hidden: 20, lr: 0.1, epochs: 300, backend: "fast", ...start };
  const dataset = el("select", { name: "dataset" }, ...["simple", "diag", "split", "xor", "circle", "spiral"].map((d) => el("option", { value: d }, d)));
  dataset.value = s.dataset;
  const inputs = { points: number("points", s.points), hidden: number("hidden", s.hidden), lr: number("lr", s.lr, "0.01"), epochs: number("epochs", s.epochs) };
  const backend = backendSelect(s.backend);
  const run = el("button", { type: "submit" }, "Train");
  const stop = el("button", { type: "button" }, "Stop");
  const form = el(
    "form",
    { class: "controls" },
    ...field("dataset", dataset),
    ...field("points", inputs.points),
    ...field("hidden size", inputs.hidden),
    ...field("learning rate", inputs.lr),
    ...field("epochs", inputs.epochs),
    ...field("backend", backend),
    run,
    stop,
  );
  const boundary = canvas(320, 320);
  const loss = canvas(320, 140);
  const info = el("div");
  const units = el("div", { class: "units" });
  const params = el("div", { class: "params" });
  const graph = el("div", { style: "overflow: auto; max-width: 100%" });
  const error = errorBox();
  page.replaceChildren(
    el(
      "div",
      { class: "row" },
      el("div", { class: "panel" }, el("h3", {}, "Training sandbox"), form, info, error),
      el("div", { class: "panel" }, el("h3", {}, "Decision boundary"), boundary),
      el("div", { class: "panel" }, el("h3", {}, "Hidden units (layer 1)"), units),
      el("div", { class: "panel" }, el("h3", {}, "Loss"), loss),
    ),
    el("div", { class: "row", style: "margin-top: 1em" }, el("div", { class: "panel" }, el("h3", {}, "Parameters"), params), el("div", { class: "panel" }, el("h3", {}, "One forward pass"), graph)),
  );
  const losses: number[] = [];
  listen((r) => {
    if (r.kind === "toy-progress") {
      losses.push(r.loss);
      heatmap(boundary, r.boundary, GRID);
      points(boundary, r.points, r.labels);
      curve(loss, losses, "loss per epoch (every 10th)");
      info.textContent = `epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, accuracy ${(r.accuracy * 100).toFixed(1)} %`;
      units.replaceChildren(
        ...r.hidden.map((g, i) => {
          const c = canvas(GRID, GRID, 1.5);
          heatmap(c, g, GRID, true);
          c.title = `unit ${i}`;
          return c;
        }),
      );
      params.textContent = r.parameters.map((p) => `${p.name} [${p.shape.join(", ")}]\n${p.values.map((v) => v.toFixed(2).padStart(6)).join(" ")}`).join("\n\n");
      if (r.graph !== undefined) graph.replaceChildren(graphSvg(r.graph));
    } else if (r.kind === "done") {
      info.textContent += ` — done in ${r.seconds.toFixed(1)} s on ${r.backend} (${r.workers} thread${r.workers === 1 ? "" : "s"})`;
      status.textContent = `crossOriginIsolated: ${r.crossOriginIsolated}`;
    } else if (r.kind === "error") {
      error.textContent = r.message;
    }
  });
  form.onsubmit = (event) => {
    event.preventDefault();
    losses.length = 0;
    error.textContent = "";
    send({
      kind: "toy",
      dataset: dataset.value,
      points: Number(inputs.points.value),
      hidden: Number(inputs.hidden.value),
      lr: Number(inputs.lr.value),
      epochs: Number(inputs.epochs.value),
      backend: backend.value as BackendName,
    });
  };
  stop.onclick = () => send({ kind: "stop" });
  if (start !== null) form.requestSubmit();
}

// ---- MNIST (Module 4) ----

function mnistPage(start: { steps?: number; backend?: BackendName } | null): void {
  const steps = number("steps", start?.steps ?? 300);
  const lr = number("lr", 0.01, "0.001");
  const backend = backendSelect(start?.backend ?? "fast");
  const run = el("button", { type: "submit" }, "Train LeNet");
  const stop = el("button", { type: "button" }, "Stop");
  const form = el("form", { class: "controls" }, ...field("steps (batches of 16)", steps), ...field("learning rate", lr), ...field("backend", backend), run, stop);
  const loss = canvas(360, 140);
  const acc = canvas(360, 140);
  const info = el("div");
  const error = errorBox();
  const wrong = el("div", { class: "wrong" });
  const hidden = el("div");
  page.replaceChildren(
    el(
      "div",
      { class: "row" },
      el("div", { class: "panel" }, el("h3", {}, "LeNet on MNIST"), form, info, error),
      el("div", { class: "panel" }, el("h3", {}, "Training"), loss, acc),
    ),
    el("div", { class: "row", style: "margin-top: 1em" }, el("div", { class: "panel" }, el("h3", {}, "Hidden states (click a digit)"), hidden), el("div", { class: "panel", style: "max-width: 640px" }, el("h3", {}, "Wrongly classified validation digits"), wrong)),
  );
  const losses: number[] = [];
  const accuracies: number[] = [];
  listen((r) => {
    if (r.kind === "mnist-progress") {
      losses.push(r.loss);
      accuracies.push(r.batchAccuracy);
      curve(loss, losses, "mean loss per 10 steps");
      curve(acc, accuracies, "accuracy on a validation batch", "#2e7d32");
      info.textContent = `step ${r.step}: loss ${r.loss.toFixed(3)}`;
    } else if (r.kind === "done") {
      const step = r.stepMs !== undefined ? `; ${r.stepMs.toFixed(1)} ms per step` : " (a checkpoint)";
      info.textContent = `validation accuracy ${((r.accuracy ?? 0) * 100).toFixed(1)} % on 500 digits${step}; ${r.seconds.toFixed(1)} s on ${r.backend} (${r.workers} threads)`;
      wrong.replaceChildren(
        ...(r.wrong ?? []).map((w) => {
          const f = el("figure", {}, image28(w.pixels, 2), el("figcaption", {}, `${w.label} → ${w.predicted}`));
          f.onclick = () => send({ kind: "inspect", index: w.index });
          return f;
        }),
      );
      if (r.wrong !== undefined && r.wrong.length > 0) send({ kind: "inspect", index: r.wrong[0]!.index });
    } else if (r.kind === "mnist-inspect") {
      hidden.replaceChildren(
        el("div", {}, `digit #${r.index}, label ${r.label}`),
        el("div", { class: "maps" }, image28(r.pixels, 3)),
        el("div", {}, "conv1 (4 maps, after ReLU)"),
        el("div", { class: "maps" }, ...r.conv1.map((m) => image28(m, 2))),
        el("div", {}, "conv2 (8 maps, after ReLU)"),
        el("div", { class: "maps" }, ...r.conv2.map((m) => image28(m, 2))),
        el("div", {}, "the 64 hidden units"),
        bars(r.hidden, 384, 60),
        el("div", {}, "output probabilities"),
        bars(r.probabilities, 240, 70),
      );
    } else if (r.kind === "error") {
      error.textContent = r.message;
    }
  });
  form.onsubmit = (event) => {
    event.preventDefault();
    losses.length = 0;
    accuracies.length = 0;
    error.textContent = "";
    send({ kind: "mnist", steps: Number(steps.value), lr: Number(lr.value), backend: backend.value as BackendName });
  };
  stop.onclick = () => send({ kind: "stop" });
  if (start !== null) form.requestSubmit();
}

// ---- GPU (Task 4.4b) ----

function gpuPage(autostart: boolean): void {
  const run = el("button", {}, "Run conv1d / conv2d on the GPU and on the CPU");
  const out = el("div");
  const error = errorBox();
  page.replaceChildren(el("div", { class: "panel" }, el("h3", {}, "GPU (Task 4.4b)"), el("p", {}, "The course's WGSL conv kernels on this browser's WebGPU, against FastBackend on the CPU."), run, out, error));
  listen((r) => {
    if (r.kind === "done" && r.gpu !== undefined) {
      out.replaceChildren(
        el("p", {}, `adapter: ${r.gpu.adapter}`),
        el(
          "table",
          {},
          el("tr", {}, ...["op", "shapes", "CPU ms", "GPU ms", "max |GPU − CPU| / max(1, |CPU|)"].map((h) => el("th", {}, h))),
          ...r.gpu.ops.map((o) => el("tr", {}, el("td", {}, o.name), el("td", {}, o.shape), el("td", {}, o.cpuMs.toFixed(1)), el("td", {}, o.gpuMs.toFixed(1)), el("td", {}, o.maxDiff.toExponential(2)))),
        ),
      );
    } else if (r.kind === "error") {
      error.textContent = r.message;
    }
  });
  run.onclick = () => {
    error.textContent = "";
    out.textContent = "running…";
    send({ kind: "gpu-conv" });
  };
  if (autostart) run.click();
}

// ---- tabs and hooks ----

const pages: Record<string, () => void> = {
  train: () => trainPage(null),
  autodiff: () => autodiffPage(page),
  tensor: () => tensorPage(page),
  mnist: () => mnistPage(null),
  gpu: () => gpuPage(false),
  runs: () => runsPage(page),
};

function mark(name: string): void {
  for (const b of tabs.querySelectorAll("button")) b.classList.toggle("active", b.dataset.tab === name);
}

function show(name: string): void {
  mark(name);
  pages[name]!();
}

for (const name of Object.keys(pages)) {
  const b = el("button", { "data-tab": name }, name === "gpu" ? "GPU" : name === "mnist" ? "MNIST" : name[0]!.toUpperCase() + name.slice(1));
  b.onclick = () => show(name);
  tabs.append(b);
}
setCheckpointHandler((text) => {
  mark("mnist");
  mnistPage(null);
  send({ kind: "checkpoint", text, backend: "fast" });
});
setCheckpointHandler((text) => {
  mark("mnist");
  mnistPage(null);
  send({ kind: "checkpoint", text, backend: "fast" });
});
status.textContent = `crossOriginIsolated: ${self.crossOriginIsolated}`;

const params = new URLSearchParams(location.search);
const runParam = params.get("run");
const backendParam = (params.get("backend") ?? "fast") as BackendName;
if (runParam === "mnist") {
  mark("mnist");
  mnistPage({ steps: Number(params.get("steps") ?? 300), backend: backendParam });
} else if (runParam === "gpu-conv") {
  mark("gpu");
  gpuPage(true);
} else if (runParam !== null) {
  mark("train");
  trainPage({ dataset: runParam, backend: backendParam, ...(params.has("epochs") ? { epochs: Number(params.get("epochs")) } : {}) });
} else {
  show(params.get("page") ?? "train");
}

export type { Done };
