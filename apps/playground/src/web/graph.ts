/**
 * A computation graph as the pages draw it (nodes in layers, inputs left),
 * built by walking a result's history back to its leaves, and its SVG.
 */
export interface GraphNode {
  id: number;
  label: string;
  kind: "leaf" | "constant" | "op" | "value";
}

export interface Graph {
  nodes: GraphNode[];
  edges: Array<[number, number]>;
}

/** What the walk needs of a variable: its history's function name and inputs, or none for a leaf. */
export interface Walkable<T> {
  fn: (v: T) => string | null;
  inputs: (v: T) => readonly T[];
  label: (v: T) => string;
  constant: (v: T) => boolean;
}

/** The graph of `root`: each variable a box, each function application an ellipse between its inputs and result. */
export function walkGraph<T>(root: T, w: Walkable<T>): Graph {
  const ids = new Map<T, number>();
  const graph: Graph = { nodes: [], edges: [] };
  const visit = (v: T): number => {
    const seen = ids.get(v);
    if (seen !== undefined) return seen;
    const fn = w.fn(v);
    const inputs = fn === null ? [] : w.inputs(v).map(visit);
    const id = graph.nodes.length;
    ids.set(v, id);
    graph.nodes.push({ id, label: w.label(v), kind: fn !== null ? "value" : w.constant(v) ? "constant" : "leaf" });
    if (fn !== null) {
      const op = graph.nodes.length;
      graph.nodes.push({ id: op, label: fn, kind: "op" });
      for (const i of inputs) graph.edges.push([i, op]);
      graph.edges.push([op, id]);
    }
    return id;
  };
  visit(root);
  return graph;
}

const FILL: Record<GraphNode["kind"], string> = { leaf: "#dbeafe", constant: "#e5e7eb", op: "#fef3c7", value: "#ffffff" };

/** An SVG of `g`: a node's column is its longest path from a leaf. */
export function graphSvg(g: Graph): SVGSVGElement {
  const depth = new Array<number>(g.nodes.length).fill(0);
  // Longest path from a leaf: relax until nothing changes (a graph of a few hundred nodes at most).
  for (let changed = true; changed; ) {
    changed = false;
    for (const [a, b] of g.edges) {
      if (depth[b]! < depth[a]! + 1) {
        depth[b] = depth[a]! + 1;
        changed = true;
      }
    }
  }
  const columns: number[][] = [];
  g.nodes.forEach((n) => (columns[depth[n.id]!] ??= []).push(n.id));
  const colWidth = 150;
  const rowHeight = 46;
  const rows = Math.max(...columns.map((c) => c.length));
  const width = columns.length * colWidth;
  const height = rows * rowHeight + 10;
  const pos = new Map<number, [number, number]>();
  columns.forEach((col, ci) => col.forEach((id, ri) => pos.set(id, [ci * colWidth + colWidth / 2, 25 + ri * rowHeight + ((rows - col.length) * rowHeight) / 2])));
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  const make = (tag: string, attrs: Record<string, string | number>): SVGElement => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    svg.append(e);
    return e;
  };
  for (const [a, b] of g.edges) {
    const [x1, y1] = pos.get(a)!;
    const [x2, y2] = pos.get(b)!;
    make("line", { x1: x1 + 60, y1, x2: x2 - 60, y2, stroke: "#90a4ae" });
  }
  for (const n of g.nodes) {
    const [x, y] = pos.get(n.id)!;
    const shape = n.kind === "op" ? make("ellipse", { cx: x, cy: y, rx: 58, ry: 16 }) : make("rect", { x: x - 62, y: y - 18, width: 124, height: 36, rx: 3 });
    shape.setAttribute("fill", FILL[n.kind]);
    shape.setAttribute("stroke", "#607d8b");
    n.label.split("\n").forEach((line, i, all) => {
      const t = make("text", { x, y: y + 4 + (i - (all.length - 1) / 2) * 13, "text-anchor": "middle" });
      t.textContent = line.length > 20 ? `${line.slice(0, 19)}…` : line;
    });
  }
  return svg;
}
