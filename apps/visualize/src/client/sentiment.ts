/**
 * The sentiment section: a sentence through the Kim CNN, its probability of
 * being positive, and per filter width the words under the windows that the
 * max over time picked — shaded by how many feature maps picked them,
 * green where those maps push towards positive, red towards negative.
 */
import type { CheckpointInfo, FilterPicks, SentimentExamples, SentimentResponse } from "../api.js";
import { byId, getJson, make, setOptions } from "./dom.js";

export class SentimentSection {
  private readonly select = byId("sentiment-checkpoint", HTMLSelectElement);
  private readonly examples = byId("sentiment-example", HTMLSelectElement);
  private readonly input = byId("sentiment-sentence", HTMLInputElement);
  private readonly status = byId("sentiment-status", HTMLElement);
  private readonly view = byId("sentiment-view", HTMLElement);
  private loadedExamples = false;

  constructor() {
    byId("sentiment-form", HTMLFormElement).addEventListener("submit", (e) => {
      e.preventDefault();
      void this.predict();
    });
    this.examples.addEventListener("change", () => {
      if (this.examples.value === "") return;
      this.input.value = this.examples.value;
      void this.predict();
    });
    this.select.addEventListener("change", () => void this.predict());
  }

  update(checkpoints: readonly CheckpointInfo[]): void {
    const mine = checkpoints.filter((c) => c.app === "train-sentiment");
    setOptions(this.select, mine.map((c) => ({ value: c.name, label: `${c.name} (epoch ${c.epoch})` })), "no train-sentiment checkpoint yet");
    if (mine.length > 0 && !this.loadedExamples) {
      this.loadedExamples = true;
      void this.loadExamples();
    }
  }

  private async loadExamples(): Promise<void> {
    try {
      const ex = await getJson<SentimentExamples>("/api/sentiment-examples");
      const label = (l: number): string => (l === 1 ? "+" : "−");
      setOptions(
        this.examples,
        [{ value: "", label: `pick one (${ex.source})` }, ...ex.sentences.map((s) => ({ value: s.sentence, label: `${label(s.label)} ${s.sentence.slice(0, 70)}` }))],
        "",
      );
      if (this.input.value === "" && ex.sentences.length > 0) this.input.value = ex.sentences[0]!.sentence;
    } catch (e) {
      this.status.textContent = (e as Error).message;
    }
  }

  private async predict(): Promise<void> {
    const name = this.select.value;
    const sentence = this.input.value.trim();
    if (name === "" || sentence === "") return;
    this.status.textContent = "running…";
    try {
      const d = await getJson<SentimentResponse>(`/api/sentiment/${encodeURIComponent(name)}?sentence=${encodeURIComponent(sentence)}`);
      this.draw(d);
      this.status.textContent = `epoch ${d.epoch}`;
    } catch (e) {
      this.status.textContent = (e as Error).message;
    }
  }

  private draw(d: SentimentResponse): void {
    const positive = d.probability > 0.5;
    const head = make("p", `verdict ${positive ? "good" : "bad"}`, `${positive ? "positive" : "negative"}: P(positive) = ${d.probability.toFixed(3)}`);
    head.dataset.probability = String(d.probability);
    const meter = make("div", "meter");
    const fill = make("span", "fill");
    fill.style.width = `${(d.probability * 100).toFixed(1)}%`;
    meter.append(fill);
    const rows = d.filters.map((f) => this.row(d.words, f));
    const notes = make("p", "muted");
    notes.textContent =
      (d.unknown.length > 0 ? `no embedding for: ${d.unknown.join(", ")}. ` : "") +
      "Shade: feature maps whose maximum falls on a window covering the word; colour: their push towards positive (green) or negative (red).";
    this.view.replaceChildren(head, meter, ...rows, notes);
  }

  private row(words: readonly string[], f: FilterPicks): HTMLElement {
    const row = make("div", "picks");
    row.dataset.width = String(f.width);
    row.append(make("span", "picks-label", `width ${f.width}`));
    const most = Math.max(1, ...f.counts);
    words.forEach((w, i) => {
      const span = make("span", "word", w);
      const count = f.counts[i] ?? 0;
      const c = f.contributions[i] ?? 0;
      const alpha = (count / most) * 0.85;
      span.style.background = c >= 0 ? `rgba(22, 163, 74, ${alpha})` : `rgba(220, 38, 38, ${alpha})`;
      span.title = `${count} of ${f.features} feature maps, contribution ${c >= 0 ? "+" : ""}${c.toFixed(3)}`;
      span.dataset.count = String(count);
      row.append(span);
    });
    if (f.inPadding > 0) row.append(make("span", "muted", ` (+${f.inPadding} in padding)`));
    return row;
  }
}
