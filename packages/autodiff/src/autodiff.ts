/**
 * Module 1: the machinery of reverse-mode automatic differentiation shared
 * by scalars and tensors — the `Variable` protocol, the `Context` that
 * carries values from a forward pass to its backward pass, topological
 * ordering of the computation graph, backpropagation, and central
 * differences for checking derivatives numerically.
 */

/**
 * A node of the computation graph. `D` is the type of its derivative:
 * `number` for scalars, a tensor for tensors.
 */
export interface Variable<D> {
  /** Unique, increasing identifier: a variable is created after its parents. */
  readonly uniqueId: number;
  /** The variables this one was computed from (empty for leaves and constants). */
  readonly parents: readonly Variable<D>[];
  /** True for a variable created by the user (no history) that wants a derivative. */
  isLeaf(): boolean;
  /** True for a variable that takes no part in differentiation. */
  isConstant(): boolean;
  /** Given d(out)/d(this), the derivatives owed to each parent. */
  chainRule(dOutput: D): Iterable<readonly [Variable<D>, D]>;
  /** Add `d` to this leaf's accumulated derivative. */
  accumulateDerivative(d: D): void;
}

/** Values saved by a forward pass for its backward pass. */
export class Context {
  private values: readonly unknown[] = [];
  /**
   * For each input of the function, whether its gradient is needed (set by
   * the function's `apply`); a backward pass may skip work for the others.
   */
  needsInputGrad: readonly boolean[] = [];

  /** @param noGrad when true, nothing is saved (no backward will run). */
  constructor(readonly noGrad = false) {}

  /** True once `release()` has dropped the saved values (the backward pass has used them). */
  released = false;

  /** Store values for the backward pass. */
  saveForBackward(...values: unknown[]): void {
    if (this.noGrad) return;
    this.values = values;
  }

  /** Drop the saved values, so their memory can be collected; a later backward must not use them. */
  release(): void {
    this.values = [];
    this.released = true;
  }

  /** The values stored by `saveForBackward`, in order. */
  get savedValues(): readonly unknown[] {
    return this.values;
  }

  /** The saved values, typed by the caller that saved them: `ctx.saved<[Tensor, Tensor]>()`. */
  saved<T extends readonly unknown[]>(): T {
    return this.values as unknown as T;
  }
}

/**
 * Computes an approximation to the derivative of `f` with respect to
 * argument `arg`: (f(…, x + ε, …) − f(…, x − ε, …)) / 2ε.
 */
export function centralDifference(
  f: (...vals: number[]) => number,
  vals: readonly number[],
  arg = 0,
  epsilon = 1e-6,
): number {
  if (arg < 0 || arg >= vals.length) {
    throw new RangeError(`centralDifference: arg must be in [0, ${vals.length}), got ${arg}`);
  }
  // BEGIN ASSIGN1.1
  const up = vals.slice();
  const down = vals.slice();
  up[arg] = up[arg]! + epsilon;
  down[arg] = down[arg]! - epsilon;
  return (f(...up) - f(...down)) / (2 * epsilon);
  // END ASSIGN1.1
}

/**
 * The variables reachable from `variable` (itself included), ordered so that
 * every variable comes before the variables it was computed from — the order
 * in which derivatives can be pushed backward. Constants are skipped.
 */
export function topologicalSort<D>(variable: Variable<D>): Variable<D>[] {
  // BEGIN ASSIGN1.4
  const order: Variable<D>[] = [];
  const visited = new Set<number>();
  // Iterative depth-first search: deep graphs (long training histories) must
  // not overflow the call stack.
  const stack: Array<[Variable<D>, number]> = [[variable, 0]];
  visited.add(variable.uniqueId);
  if (variable.isConstant()) return order;
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const [node, next] = top;
    const parents = node.parents;
    if (next < parents.length) {
      top[1] = next + 1;
      const parent = parents[next]!;
      if (!visited.has(parent.uniqueId) && !parent.isConstant()) {
        visited.add(parent.uniqueId);
        stack.push([parent, 0]);
      }
    } else {
      stack.pop();
      order.push(node);
    }
  }
  return order.reverse();
  // END ASSIGN1.4
}

/**
 * Runs backpropagation from `variable`, whose derivative is `deriv`, and
 * accumulates the derivative of every leaf reachable from it.
 *
 * @param add how two derivatives owed to the same variable are summed.
 */
export function backpropagate<D>(variable: Variable<D>, deriv: D, add: (a: D, b: D) => D): void {
  // BEGIN ASSIGN1.4
  const order = topologicalSort(variable);
  const derivatives = new Map<number, D>();
  derivatives.set(variable.uniqueId, deriv);
  for (const node of order) {
    const d = derivatives.get(node.uniqueId);
    if (d === undefined) continue;
    derivatives.delete(node.uniqueId);
    if (node.isLeaf()) {
      node.accumulateDerivative(d);
      continue;
    }
    for (const [parent, pd] of node.chainRule(d)) {
      if (parent.isConstant()) continue;
      const prev = derivatives.get(parent.uniqueId);
      derivatives.set(parent.uniqueId, prev === undefined ? pd : add(prev, pd));
    }
  }
  // END ASSIGN1.4
}

let nextVariableId = 1;

/** A fresh identifier for a new variable. */
export function newVariableId(): number {
  return nextVariableId++;
}
