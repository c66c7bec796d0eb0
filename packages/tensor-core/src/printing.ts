/**
 * How a tensor prints, following PyTorch: every value in one format (whole
 * numbers as `1.`, else 4 decimals, or scientific when magnitudes are far
 * apart), right-aligned, rows wrapped at 80 columns; past 1000 elements
 * each long dimension shows its first and last 3 entries around `...`.
 * The shape, dtype and backend follow, then how the tensor takes part in
 * differentiation.
 */
import type { Tensor } from "./tensor.js";

/**
 * The key under which Node's console.log and util.inspect look for an
 * object's own text: Node documents it as this registered symbol, so a
 * module can use it without importing node:util (and still load in a
 * browser). The library's one registered symbol; it holds no state.
 */
export const NODE_INSPECT: unique symbol = Symbol.for("nodejs.util.inspect.custom") as never;

/** PyTorch's print options: summarise above `threshold` elements, keeping `edgeItems` at each end. */
export const printOptions = { threshold: 1000, edgeItems: 3, lineWidth: 80 };

/** `t` as PyTorch prints it, followed by shape, dtype, backend and gradient state. */
export function formatTensor(t: Tensor): string {
  const summarise = t.size > printOptions.threshold;
  const flat = t.toFloat64Array();
  const strides = rowMajorStrides(t.shape);
  const kept = (size: number): number[] => {
    const e = printOptions.edgeItems;
    if (!summarise || size <= 2 * e) return Array.from({ length: size }, (_, i) => i);
    return [...Array.from({ length: e }, (_, i) => i), -1, ...Array.from({ length: e }, (_, i) => size - e + i)];
  };
  // The values that will be shown decide the format, as in PyTorch.
  const shown: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === t.dims) {
      shown.push(flat[offset]!);
      return;
    }
    for (const i of kept(t.shape[dim]!)) if (i >= 0) collect(dim + 1, offset + i * strides[dim]!);
  };
  if (t.size > 0) collect(0, 0);
  const format = numberFormat(shown);
  const width = shown.reduce((w, v) => Math.max(w, format(v).length), 1);
  const cell = (v: number): string => format(v).padStart(width);
  const prefix = "tensor(";

  const block = (dim: number, offset: number, indent: number): string => {
    if (dim === t.dims) return cell(flat[offset]!);
    const items = kept(t.shape[dim]!);
    if (dim === t.dims - 1) {
      const cells = items.map((i) => (i < 0 ? " ..." : cell(flat[offset + i * strides[dim]!]!)));
      const perLine = Math.max(1, Math.floor((printOptions.lineWidth - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < cells.length; i += perLine) lines.push(cells.slice(i, i + perLine).join(", "));
      return `[${lines.join(",\n" + " ".repeat(indent + 1))}]`;
    }
    const separator = "," + "\n".repeat(t.dims - 1 - dim) + " ".repeat(indent + 1);
    const parts = items.map((i) => (i < 0 ? "..." : block(dim + 1, offset + i * strides[dim]!, indent + 1)));
    return `[${parts.join(separator)}]`;
  };

  const body = t.size === 0 && t.dims > 0 ? "[]" : block(0, 0, prefix.length);
  const dtype = t.storage.BYTES_PER_ELEMENT === 4 ? "float32" : "float64";
  const extras = [`shape=[${t.shape.join(", ")}]`, `dtype=${dtype}`, `backend=${t.backend.name}`];
  const fn = t.history?.lastFn;
  if (fn) extras.push(`gradFn=<${fn.name}>`);
  else if (t.requiresGrad()) extras.push("requiresGrad=true");
  return `${prefix}${body}, ${extras.join(", ")})`;
}

function rowMajorStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d]!;
  }
  return out;
}

/** One formatter for all shown values, chosen as PyTorch's _Formatter chooses. */
function numberFormat(values: readonly number[]): (v: number) => string {
  const finite = values.filter((v) => Number.isFinite(v));
  const special = (v: number): string | null => (Number.isNaN(v) ? "nan" : v === Infinity ? "inf" : v === -Infinity ? "-inf" : null);
  const magnitudes = finite.map(Math.abs).filter((v) => v !== 0);
  const max = magnitudes.length ? Math.max(...magnitudes) : 0;
  const min = magnitudes.length ? Math.min(...magnitudes) : 0;
  const scientificNeeded = max > 1e8 || (magnitudes.length > 0 && max / min > 1000);
  if (finite.every(Number.isInteger)) {
    if (scientificNeeded) return (v) => special(v) ?? scientific(v);
    return (v) => special(v) ?? `${Object.is(v, -0) ? "-0" : v.toFixed(0)}.`;
  }
  if (scientificNeeded || min < 1e-4) return (v) => special(v) ?? scientific(v);
  return (v) => special(v) ?? v.toFixed(4);
}

/** 4 decimals and a two-digit exponent: 1.2346e+05. */
function scientific(v: number): string {
  const [mantissa, exponent] = v.toExponential(4).split("e") as [string, string];
  const sign = exponent.startsWith("-") ? "-" : "+";
  return `${mantissa}e${sign}${exponent.replace(/^[+-]/, "").padStart(2, "0")}`;
}
