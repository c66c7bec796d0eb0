/**
 * The MNIST section: a validation digit through LeNet — the input, the 4
 * `mid` and 8 `out` feature maps as grey-scale images, and the class
 * probabilities as bars; a wrong prediction is marked.
 */
import type { CheckpointInfo, FeatureMaps, MnistResponse, MnistSummary } from "../api.js";
import { byId, getJson, make, paintGrey, setOptions } from "./dom.js";

export class MnistSection {
  private readonly select = byId("mnist-checkpoint", HTMLSelectElement);
  private readonly index = byId("mnist-index", HTMLInputElement);
  private readonly status = byId("mnist-status", HTMLElement);
  private readonly view = byId("mnist-view", HTMLElement);
  private count = 0;
  private summary: MnistSummary | null = null;
  private shownEpoch = -1;
  private request = 0;

  constructor() {
    this.select.addEventListener("change", () => {
      this.summary = null;
      void this.show();
    });
    this.index.addEventListener("change", () => void this.show());
    byId("mnist-prev", HTMLButtonElement).addEventListener("click", () => this.step(-1));
    byId("mnist-next", HTMLButtonElement).addEventListener("click", () => this.step(1));
    byId("mnist-next-wrong", HTMLButtonElement).addEventListener("click", () => void this.nextWrong());
  }

  /** New list of checkpoints; redraw when the chosen one has a newer epoch. */
  update(checkpoints: readonly CheckpointInfo[]): void {
    const mine = checkpoints.filter((c) => c.app === "train-mnist");
    const before = this.select.value;
    setOptions(this.select, mine.map((c) => ({ value: c.name, label: `${c.name} (epoch ${c.epoch})` })), "no train-mnist checkpoint yet");
    const chosen = mine.find((c) => c.name === this.select.value);
    if (chosen !== undefined && (this.select.value !== before || chosen.epoch !== this.shownEpoch)) {
      this.summary = null;
      void this.show();
    }
    if (mine.length === 0) this.status.textContent = "train with --save FILE inside the runs directory to see the model";
  }

  private step(delta: number): void {
    if (this.count === 0) return;
    this.index.value = String((Number(this.index.value) + delta + this.count) % this.count);
    void this.show();
  }

  private async nextWrong(): Promise<void> {
    const name = this.select.value;
    if (name === "") return;
    this.status.textContent = "checking every validation digit…";
    try {
      this.summary ??= await getJson<MnistSummary>(`/api/mnist/${encodeURIComponent(name)}/summary`);
    } catch (e) {
      this.status.textContent = (e as Error).message;
      return;
    }
    const { wrong } = this.summary;
    if (wrong.length === 0) {
      this.status.textContent = `no wrong prediction among ${this.summary.count} digits`;
      return;
    }
    const current = Number(this.index.value);
    this.index.value = String(wrong.find((i) => i > current) ?? wrong[0]!);
    await this.show();
  }

  private async show(): Promise<void> {
    const name = this.select.value;
    if (name === "") return;
    const id = ++this.request;
    const index = Math.max(0, Math.floor(Number(this.index.value) || 0));
    let d: MnistResponse;
    try {
      d = await getJson<MnistResponse>(`/api/mnist/${encodeURIComponent(name)}/${index}`);
    } catch (e) {
      if (id === this.request) this.status.textContent = (e as Error).message;
      return;
    }
    if (id !== this.request) return;
    this.count = d.count;
    this.shownEpoch = d.epoch;
    this.index.max = String(d.count - 1);
    this.draw(d);
  }

  private draw(d: MnistResponse): void {
    const wrong = d.predicted !== d.label;
    const wrongs = this.summary !== null ? `, ${this.summary.wrong.length} of ${this.summary.count} wrong` : "";
    this.status.textContent = `digit ${d.index} of ${d.count} (${d.source}), epoch ${d.epoch}${wrongs}`;
    this.view.hidden = false;
    this.view.classList.toggle("wrong", wrong);
    paintGrey(byId("mnist-image", HTMLCanvasElement), d.image, 28, 28);
    const verdict = byId("mnist-verdict", HTMLElement);
    verdict.textContent = wrong ? `✗ predicted ${d.predicted}, label ${d.label}` : `✓ predicted ${d.predicted} = label`;
    verdict.className = wrong ? "verdict bad" : "verdict good";

    const bars = byId("mnist-probs", HTMLElement);
    bars.replaceChildren(
      ...d.probabilities.map((p, k) => {
        const bar = make("div", "bar");
        bar.dataset.p = String(p);
        if (k === d.predicted) bar.classList.add(wrong ? "bad" : "good");
        if (k === d.label) bar.classList.add("label");
        const fill = make("span", "fill");
        fill.style.width = `${(p * 100).toFixed(1)}%`;
        bar.append(make("span", "class", String(k)), make("span", "track"), make("span", "value", `${(p * 100).toFixed(1)}%`));
        bar.children[1]!.append(fill);
        return bar;
      }),
    );
    this.drawMaps("mnist-mid", d.mid);
    this.drawMaps("mnist-out", d.out);
  }

  private drawMaps(id: string, maps: FeatureMaps): void {
    const row = byId(id, HTMLElement);
    row.replaceChildren(
      ...maps.data.map((values, c) => {
        const canvas = make("canvas", "pixels");
        canvas.title = `channel ${c}`;
        paintGrey(canvas, values, maps.width, maps.height);
        return canvas;
      }),
    );
  }
}
