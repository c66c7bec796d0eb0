/**
 * The autodiff and tensor sandboxes. They run on the page itself: Scalars
 * and SimpleBackend tensors never start threads, so nothing here blocks.
 */
import { Scalar, topologicalSort } from "@minitorch/autodiff";
import { SimpleBackend, fromArray, type Tensor } from "@minitorch/tensor-core";
import { el } from "./draw.js";
import { graphSvg, walkGraph } from "./graph.js";

/**
 * Parses and evaluates an expression over Scalars x, y, z (never `eval`):
 *   expr := term (("+" | "-") term)*      term := unary (("*" | "/") unary)*
 *   unary := "-" unary | NAME "(" expr ")" | NUMBER | VARIABLE | "(" expr ")"
 * with functions log, exp, sigmoid, relu.
 */
export function evaluateScalar(text: string, vars: Record<string, Scalar>): Scalar {
  const tokens = text.match(/\d+\.?\d*(?:e[+-]?\d+)?|[A-Za-z_]\w*|\S/g) ?? [];
  let i = 0;
  const peek = (): string | undefined => tokens[i];
  const take = (want?: string): string => {
    const t = tokens[i++];
    if (t === undefined || (want !== undefined && t !== want)) throw new Error(`expression: expected ${want ?? "more input"} at token ${i}, got ${t ?? "the end"}`);
    return t;
  };
  const expr = (): Scalar => {
    let v = term();
    while (peek() === "+" || peek() === "-") v = take() === "+" ? v.add(term()) : v.sub(term());
    return v;
  };
  const term = (): Scalar => {
    let v = unary();
    while (peek() === "*" || peek() === "/") v = take() === "*" ? v.mul(unary()) : v.div(unary());
    return v;
  };
  const functions: Record<string, (s: Scalar) => Scalar> = { log: (s) => s.log(), exp: (s) => s.exp(), sigmoid: (s) => s.sigmoid(), relu: (s) => s.relu() };
  const unary = (): Scalar => {
    const t = take();
    if (t === "-") return unary().neg();
    if (t === "(") {
      const v = expr();
      take(")");
      return v;
    }
    if (/^\d/.test(t)) return new Scalar(Number(t));
    const fn = functions[t];
    if (fn !== undefined) {
      take("(");
      const v = expr();
      take(")");
      return fn(v);
    }
    const v = vars[t];
    if (v === undefined) throw new Error(`expression: unknown name "${t}" (variables: ${Object.keys(vars).join(", ")}; functions: ${Object.keys(functions).join(", ")})`);
    return v;
  };
  const v = expr();
  if (i < tokens.length) throw new Error(`expression: unexpected "${tokens[i]}" at token ${i + 1}`);
  return v;
}

/**
 * d root / d v for every scalar v of the graph, intermediate ones included
 * (backward() keeps only the leaves'), by the same walk backpropagate does:
 * in topological order, each scalar's chain rule hands its derivative on.
 */
export function allDerivatives(root: Scalar): Map<Scalar, number> {
  const d = new Map<Scalar, number>([[root, 1]]);
  for (const v of topologicalSort(root) as Scalar[]) {
    const dv = d.get(v) ?? 0;
    if (v.history?.lastFn == null) continue;
    for (const [input, g] of v.chainRule(dv)) d.set(input, (d.get(input) ?? 0) + g);
  }
  return d;
}

export function autodiffPage(page: HTMLElement): void {
  const input = el("input", { type: "text", value: "sigmoid(x * y + z) * log(x + 3)", size: "40" });
  const values = { x: el("input", { type: "number", value: "0.5", step: "0.1", style: "width: 5em" }), y: el("input", { type: "number", value: "-1.5", step: "0.1", style: "width: 5em" }), z: el("input", { type: "number", value: "2", step: "0.1", style: "width: 5em" }) };
  const out = el("div");
  const graph = el("div", { style: "overflow: auto" });
  const error = el("div", { class: "error" });
  const run = (): void => {
    error.textContent = "";
    try {
      const vars = Object.fromEntries(Object.entries(values).map(([k, inp]) => [k, new Scalar(Number(inp.value), undefined, k)]));
      const result = evaluateScalar(input.value, vars);
      result.backward();
      const grads = allDerivatives(result);
      out.textContent = `value ${result.data.toPrecision(6)};  ` + Object.entries(vars).map(([k, s]) => `d/d${k} = ${(s.derivative ?? 0).toPrecision(6)}`).join(",  ");
      graph.replaceChildren(
        graphSvg(
          walkGraph(result, {
            fn: (s) => (s.history?.lastFn ? s.history.lastFn.name : null),
            inputs: (s) => s.history?.inputs ?? [],
            label: (s) => `${s.name ?? ""} ${s.data.toPrecision(4)}\ngrad ${(grads.get(s) ?? 0).toPrecision(4)}`,
            constant: (s) => s.history === null,
          }),
        ),
      );
    } catch (e) {
      error.textContent = (e as Error).message;
    }
  };
  const form = el("form", { class: "controls" }, el("label", {}, "f(x, y, z) ="), input, ...Object.entries(values).flatMap(([k, v]) => [el("label", {}, k), v]), el("button", { type: "submit" }, "Evaluate and backpropagate"));
  form.onsubmit = (e) => {
    e.preventDefault();
    run();
  };
  page.replaceChildren(
    el("div", { class: "panel" }, el("h3", {}, "Autodiff sandbox (Module 1)"), el("p", {}, "Scalars with their values and derivatives: backward() leaves them on x, y and z; the graph shows every node's value and d f / d node."), form, out, error),
    el("div", { class: "panel", style: "margin-top: 1em" }, el("h3", {}, "Graph"), graph),
  );
  run();
}

function describeTensor(t: Tensor): string {
  const d = t.data;
  return `shape [${t.shape.join(", ")}]   strides [${d.strides.join(", ")}]   contiguous ${d.isContiguous()}`;
}

export function tensorPage(page: HTMLElement): void {
  const shape = el("input", { type: "text", value: "2, 3, 4" });
  const order = el("input", { type: "text", value: "2, 0, 1" });
  const view = el("input", { type: "text", value: "6, 4" });
  const out = el("pre");
  const run = (): void => {
    const ints = (s: string): number[] => s.split(",").map((p) => Number(p.trim()));
    const lines: string[] = [];
    try {
      const dims = ints(shape.value);
      const size = dims.reduce((a, b) => a * b, 1);
      const t = fromArray(Array.from({ length: size }, (_, i) => i), dims, SimpleBackend);
      lines.push(`t = arange(${size}).view(${dims.join(", ")})`, `  ${describeTensor(t)}`, `  storage ${[...t.data.storage].join(" ")}`);
      try {
        const p = t.permute(...ints(order.value));
        lines.push(``, `p = t.permute(${order.value})`, `  ${describeTensor(p)}`, `  the same storage, read in the order ${[...p.contiguous().toFloat64Array()].join(" ")}`);
        try {
          p.view(...ints(view.value));
        } catch (e) {
          lines.push(`  p.view(${view.value}) fails: ${(e as Error).message}`);
        }
        const c = p.contiguous().view(...ints(view.value));
        lines.push(``, `p.contiguous().view(${view.value})`, `  ${describeTensor(c)}`, `  storage copied: ${[...c.data.storage].join(" ")}`);
      } catch (e) {
        lines.push(`  ${(e as Error).message}`);
      }
      const v = t.view(...ints(view.value));
      lines.push(``, `t.view(${view.value})`, `  ${describeTensor(v)}`, `  shares t's storage`);
    } catch (e) {
      lines.push((e as Error).message);
    }
    out.textContent = lines.join("\n");
  };
  const form = el("form", { class: "controls" }, el("label", {}, "shape"), shape, el("label", {}, "permute order"), order, el("label", {}, "view shape"), view, el("button", { type: "submit" }, "Show"));
  form.onsubmit = (e) => {
    e.preventDefault();
    run();
  };
  page.replaceChildren(el("div", { class: "panel" }, el("h3", {}, "Tensor sandbox (Module 2): shape, strides, permute, view"), form, out));
  run();
}
