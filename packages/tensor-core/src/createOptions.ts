/**
 * The last argument of the creation functions (`zeros`, `ones`, `rand`,
 * `fromArray`, `tensor`): a backend, or an options object
 * `{ backend?, dtype?, requiresGrad? }` — the same forms everywhere, each
 * checked, so a mistyped option is an error naming the function rather
 * than a failure deep inside a backend.
 */
import { SimpleBackend } from "./simpleOps.js";
import type { Tensor } from "./tensor.js";
import type { TensorBackend } from "./tensorOps.js";
import type { Dtype } from "./tensorData.js";

export type { Dtype };

export interface CreateOptions {
  /** Defaults to the default backend (SimpleBackend unless setDefaultBackend changed it). */
  backend?: TensorBackend;
  /** "float64" (the default, the course's) or "float32" (half the memory, twice the SIMD lanes). */
  dtype?: Dtype;
  /** Track gradients (makes a leaf). */
  requiresGrad?: boolean;
}

let defaultBackend: TensorBackend = SimpleBackend;

/**
 * Sets the backend that tensors and layers are made on when none is given
 * (SimpleBackend until changed), as PyTorch's default device; returns the
 * previous one. Existing tensors stay where they are.
 */
export function setDefaultBackend(backend: TensorBackend): TensorBackend {
  if (!isBackend(backend)) {
    throw new TypeError(`setDefaultBackend: expected a TensorBackend (SimpleBackend, FastBackend, …), got ${backend === null ? "null" : typeof backend}`);
  }
  const previous = defaultBackend;
  defaultBackend = backend;
  return previous;
}

/** The backend new tensors and layers get when none is given. */
export function getDefaultBackend(): TensorBackend {
  return defaultBackend;
}

const KEYS = new Set(["backend", "dtype", "requiresGrad"]);

const isBackend = (v: unknown): v is TensorBackend =>
  typeof v === "object" && v !== null && "ops" in v && "addZip" in v && typeof (v as { addZip: unknown }).addZip === "function";

/** Checked creation options: `dtype` is undefined when none was asked for (the caller picks its default). */
export interface CheckedOptions {
  backend: TensorBackend;
  dtype: Dtype | undefined;
  requiresGrad: boolean;
}

/** What a creation function was given last: a backend, an options object or nothing, as checked options. */
export function creationOptions(op: string, arg: unknown): CheckedOptions {
  if (arg === undefined) return { backend: defaultBackend, dtype: undefined, requiresGrad: false };
  if (isBackend(arg)) return { backend: arg, dtype: undefined, requiresGrad: false };
  if (typeof arg !== "object" || arg === null || Array.isArray(arg)) {
    throw new TypeError(`${op}: expected a backend or an options object { backend?, dtype?, requiresGrad? }, got ${arg === null ? "null" : Array.isArray(arg) ? "an array" : typeof arg}`);
  }
  const o = arg as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KEYS.has(key)) throw new TypeError(`${op}: unknown option "${key}"; the options are backend, dtype and requiresGrad`);
  }
  if (o.backend !== undefined && !isBackend(o.backend)) {
    throw new TypeError(`${op}: options.backend must be a backend (SimpleBackend, FastBackend, …), got ${typeof o.backend}`);
  }
  if (o.dtype !== undefined && o.dtype !== "float64" && o.dtype !== "float32") {
    throw new TypeError(`${op}: options.dtype must be "float64" or "float32", got ${JSON.stringify(o.dtype)}`);
  }
  if (o.requiresGrad !== undefined && typeof o.requiresGrad !== "boolean") {
    throw new TypeError(`${op}: options.requiresGrad must be true or false, got ${JSON.stringify(o.requiresGrad)}`);
  }
  return {
    backend: (o.backend as TensorBackend | undefined) ?? defaultBackend,
    dtype: o.dtype as Dtype | undefined,
    requiresGrad: o.requiresGrad === true,
  };
}

/** `t`, made a leaf that tracks gradients when asked. */
export function withGrad(t: Tensor, requiresGrad: boolean): Tensor {
  if (requiresGrad) t.requiresGrad_(true);
  return t;
}
