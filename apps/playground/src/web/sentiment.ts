/**
 * The sentiment view of a train-sentiment checkpoint in the runs directory:
 * the server runs the Kim CNN (the visualiser's /api/sentiment, since the
 * GloVe vectors and SST-2 sit on its disk) and this draws the answer: the
 * probability of positive and, per filter width, the words under the
 * windows the max over time picked — shaded by how many feature maps picked
 * them, green where those maps push towards positive, red towards negative.
 */
import type { FilterPicks, SentimentExamples, SentimentResponse } from "@minitorch/visualize";
import { el } from "./draw.js";

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(new URL(url, document.baseURI));
  const body = (await response.json()) as T | { error: string };
  if (!response.ok) throw new Error((body as { error?: string }).error ?? `${url}: HTTP ${response.status}`);
  return body as T;
}

/** One filter width's row: each word shaded by its picks. */
function picksRow(words: readonly string[], f: FilterPicks): HTMLElement {
  const row = el("div", { class: "picks", "data-width": String(f.width) }, el("span", { class: "picks-label" }, `width ${f.width}`));
  const most = Math.max(1, ...f.counts);
  words.forEach((w, i) => {
    const count = f.counts[i] ?? 0;
    const c = f.contributions[i] ?? 0;
    const alpha = (count / most) * 0.85;
    const span = el("span", { class: "word", "data-count": String(count), title: `${count} of ${f.features} feature maps, contribution ${c >= 0 ? "+" : ""}${c.toFixed(3)}` }, w);
    span.style.background = c >= 0 ? `rgba(22, 163, 74, ${alpha})` : `rgba(220, 38, 38, ${alpha})`;
    row.append(span);
  });
  if (f.inPadding > 0) row.append(el("span", { class: "muted" }, ` (+${f.inPadding} in padding)`));
  return row;
}

function drawPrediction(view: HTMLElement, d: SentimentResponse): void {
  const positive = d.probability > 0.5;
  const head = el("p", { class: "verdict", "data-probability": String(d.probability) }, `${positive ? "positive" : "negative"}: P(positive) = ${d.probability.toFixed(3)} (epoch ${d.epoch})`);
  const fill = el("span", { class: "fill" });
  fill.style.width = `${(d.probability * 100).toFixed(1)}%`;
  const notes = el(
    "p",
    { class: "muted" },
    (d.unknown.length > 0 ? `no embedding for: ${d.unknown.join(", ")}. ` : "") +
      "Shade: feature maps whose maximum falls on a window covering the word; colour: their push towards positive (green) or negative (red).",
  );
  view.replaceChildren(head, el("div", { class: "meter" }, fill), ...d.filters.map((f) => picksRow(d.words, f)), notes);
}

/** Fills `box` with the sentence form for checkpoint `name` (its path in the runs directory). */
export function sentimentView(box: HTMLElement, name: string): void {
  const input = el("input", { type: "text", size: "70", name: "sentence", placeholder: "type a sentence" });
  const examples = el("select", { name: "example" }, el("option", { value: "" }, "examples…"));
  const view = el("div", { class: "sentiment-view" });
  const status = el("p", { class: "muted" });
  const form = el("form", { class: "sentiment" }, input, " ", el("button", { type: "submit" }, "Predict"), " ", examples);
  box.append(el("p", {}, "Kim CNN checkpoint: type a sentence; the server runs the model on it."), form, status, view);
  const predict = async (): Promise<void> => {
    const sentence = input.value.trim();
    if (sentence === "") return;
    status.textContent = "running…";
    try {
      drawPrediction(view, await getJson<SentimentResponse>(`api/sentiment/${encodeURIComponent(name)}?sentence=${encodeURIComponent(sentence)}`));
      status.textContent = "";
    } catch (e) {
      view.replaceChildren(el("div", { class: "error" }, (e as Error).message));
      status.textContent = "";
    }
  };
  form.onsubmit = (e) => {
    e.preventDefault();
    void predict();
  };
  examples.onchange = () => {
    if (examples.value === "") return;
    input.value = examples.value;
    void predict();
  };
  void getJson<SentimentExamples>("api/sentiment-examples").then(
    (ex) => {
      examples.replaceChildren(
        el("option", { value: "" }, `examples (${ex.source})`),
        ...ex.sentences.map((s) => el("option", { value: s.sentence }, `${s.label === 1 ? "+" : "−"} ${s.sentence.slice(0, 70)}`)),
      );
    },
    (e: unknown) => (status.textContent = (e as Error).message),
  );
}
