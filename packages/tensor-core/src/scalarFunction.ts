/**
 * The check every backend makes of a scalar function given to `map`, `zip`
 * or `reduce`: it must be an ordinary function that returns a number. An
 * async function or a generator returns a Promise or an iterator, which a
 * Float64Array stores as NaN — silently, on every element — so each backend
 * refuses it with this same message before building a kernel.
 */

/** What kind of function `fn` is, in words, when it is not an ordinary one; null when it is. */
function unusualKind(fn: unknown): string | null {
  const tag = Object.prototype.toString.call(fn);
  if (tag === "[object AsyncFunction]") return "async";
  if (tag === "[object GeneratorFunction]") return "a generator";
  if (tag === "[object AsyncGeneratorFunction]") return "an async generator";
  return null;
}

/**
 * Throws unless `fn` is an ordinary function; `op` names the call
 * (`map(double)`).
 */
export function checkScalarFunction(fn: unknown, op: string): void {
  if (typeof fn !== "function") throw new TypeError(`${op}: expected a function of numbers, got ${fn === null ? "null" : typeof fn}`);
  const kind = unusualKind(fn);
  if (kind !== null) {
    throw new TypeError(`${op}: the function must return a number, not be ${kind} (its ${kind === "async" ? "Promise" : "iterator"} would be stored as NaN)`);
  }
}

/** The label of a kernel call in errors: `map(double)`, `zip(anonymous function)`. */
export function scalarOpLabel(kind: "map" | "zip" | "reduce", fn: (...xs: number[]) => number): string {
  return `${kind}(${fn.name || "anonymous function"})`;
}
