/**
 * The backward graph of a tensor as Graphviz DOT text — minitorch's "show
 * expression" view. One box per tensor (its name or `tN`, its shape, and
 * whether it requires a gradient), one ellipse per function application
 * (the History's `lastFn`), and edges input → op → output.
 *
 * Output is deterministic: tensors are numbered t0, t1, … and ops op0, op1, …
 * in depth-first post-order from `root` (inputs in argument order before the
 * tensor they produce), never by `uniqueId`, so the same expression always
 * gives the same text.
 */
import type { Tensor } from "./tensor.js";

/** Options of {@link toDot}. */
export interface ToDotOptions {
  /** Graph name in `digraph NAME { … }`; default "backward". */
  graphName?: string;
  /** Graphviz rank direction; default "LR" (inputs left, result right). */
  rankdir?: "LR" | "TB" | "BT" | "RL";
}

/** A DOT quoted string: backslashes and quotes escaped, newlines as `\n`. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

function tensorLabel(t: Tensor, id: string): string {
  const name = t.name ?? id;
  const shape = `[${t.shape.join(", ")}]`;
  if (t.isConstant()) {
    // A 1-element constant is usually a number operand (`x * 2`): show it.
    const value = t.size === 1 ? ` = ${t.item()}` : "";
    return `${name}${value}\n${shape}\nconstant`;
  }
  return `${name}\n${shape}\nrequires grad`;
}

/**
 * Graphviz DOT text of the graph that `root.backward()` would walk.
 *
 * Leaves that require a gradient are filled blue, constants grey, results of
 * ops white; the root has a double border. A tensor used twice (`a * b + a`)
 * is one node with two out-edges.
 */
export function toDot(root: Tensor, options: ToDotOptions = {}): string {
  const tensorIds = new Map<Tensor, string>();
  const nodes: string[] = [];
  const edges: string[] = [];
  let ops = 0;

  const visit = (t: Tensor): string => {
    const seen = tensorIds.get(t);
    if (seen !== undefined) return seen;
    const history = t.history;
    const fn = history?.lastFn ?? null;
    // Inputs first, so ids follow post-order and the text is stable.
    const inputIds = fn !== null && history !== null ? history.inputs.map(visit) : [];
    const id = `t${tensorIds.size}`;
    tensorIds.set(t, id);
    const style = t.isConstant()
      ? ', style=filled, fillcolor="#e5e7eb"'
      : fn === null
        ? ', style=filled, fillcolor="#dbeafe"'
        : "";
    const border = t === root ? ", peripheries=2" : "";
    nodes.push(`  ${id} [shape=box, label=${quote(tensorLabel(t, id))}${style}${border}];`);
    if (fn !== null) {
      const op = `op${ops++}`;
      nodes.push(`  ${op} [shape=ellipse, label=${quote(fn.name)}, style=filled, fillcolor="#fef3c7"];`);
      for (const input of inputIds) edges.push(`  ${input} -> ${op};`);
      edges.push(`  ${op} -> ${id};`);
    }
    return id;
  };
  visit(root);

  const name = options.graphName ?? "backward";
  return [
    `digraph ${quote(name)} {`,
    `  rankdir=${options.rankdir ?? "LR"};`,
    '  node [fontname="Helvetica", fontsize=11];',
    ...nodes,
    ...edges,
    "}",
    "",
  ].join("\n");
}
