/**
 * The expression section (minitorch's "show expression"): the server parses
 * and evaluates the expression and returns its backward graph as DOT (the
 * library's toDot); Graphviz compiled to WebAssembly (@viz-js/viz, loaded on
 * first use) lays it out as SVG.
 */
import type { ExpressionResponse } from "../api.js";
import { byId, getJson } from "./dom.js";

const PRESETS = [
  "(x * y + x).sum()",
  "(x @ w).relu().sum()",
  "sigmoid(x * 2 + b).mean()",
  "((x - y) * (x - y)).mean()",
  "x.exp().log().sum(1)",
  "(x.permute(1, 0) @ y).sum()",
];

type VizInstance = Awaited<ReturnType<typeof import("@viz-js/viz").instance>>;
let viz: Promise<VizInstance> | null = null;

export class ExpressionSection {
  private readonly input = byId("expression-input", HTMLInputElement);
  private readonly status = byId("expression-status", HTMLElement);
  private readonly graph = byId("expression-graph", HTMLElement);

  constructor() {
    const preset = byId("expression-preset", HTMLSelectElement);
    preset.replaceChildren(new Option("examples…", ""), ...PRESETS.map((p) => new Option(p, p)));
    preset.addEventListener("change", () => {
      if (preset.value === "") return;
      this.input.value = preset.value;
      void this.show();
    });
    byId("expression-form", HTMLFormElement).addEventListener("submit", (e) => {
      e.preventDefault();
      void this.show();
    });
  }

  async show(): Promise<void> {
    this.status.textContent = "…";
    try {
      const d = await getJson<ExpressionResponse>(`/api/expression?expr=${encodeURIComponent(this.input.value)}`);
      viz ??= import("@viz-js/viz").then((m) => m.instance());
      const svg = (await viz).renderSVGElement(d.dot);
      this.graph.replaceChildren(svg);
      this.graph.dataset.dot = d.dot;
      const vars = Object.entries(d.variables).map(([k, s]) => `${k} [${s.join(", ")}]`);
      byId("expression-variables", HTMLElement).textContent = `variables: ${vars.join(", ")}; methods: relu sigmoid log exp neg sum(dim?) mean(dim?) permute view contiguous lt gt eq; @ is matmul`;
      const values = d.values !== null ? ` = [${d.values.map((v) => Number(v.toFixed(4))).join(", ")}]` : "";
      this.status.textContent = `shape [${d.shape.join(", ")}]${values}`;
    } catch (e) {
      this.status.textContent = (e as Error).message;
    }
  }
}
