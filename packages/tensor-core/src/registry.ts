/**
 * The kernel registry: which code runs an op on a backend is decided here,
 * and only here. A kernel is registered under a name (`"matmul"`,
 * `"conv2d"`, `"avgpool2d"`, …) for one backend's name, or for `"*"`, the
 * course's reference kernel, which runs on any backend through its
 * `runKernel`, and for one or more dtypes (float64 when none is named).
 * Asking for a kernel walks one fallback chain:
 *
 *     (name, backend.name, dtype)  →  (name, "*", dtype)  →  "not registered" error
 *
 * so an op never branches on which backend it is on: it asks by name. A
 * backend's package registers its kernels when it is imported (as tfjs's
 * kernels register themselves); fast-conv registers the convolutions of the
 * CPU backends, gpu-ops those of GpuBackend.
 *
 * Each name has one signature, declared in `KernelSignatures`; a package
 * that adds an op adds its name there by declaration merging
 * (`declare module "@minitorch/tensor-core" { interface KernelSignatures … }`).
 */
import type { Tensor } from "./tensor.js";
import type { Dtype } from "./tensorData.js";

/**
 * out ← a convolution of `input` by `weight` (minitorch's conv1d / conv2d,
 * Tasks 4.1 / 4.2), for views of any strides: anchored left / top-left, or
 * right / bottom-right with `reverse` (the input gradient). `out` may be a
 * permuted view and its length may differ from the input's.
 */
export type ConvKernel = (out: Tensor, input: Tensor, weight: Tensor, reverse: boolean) => void;

/**
 * gradWeight ← ∂L/∂weight of a convolution, given its input and the
 * gradient of its output: gradWeight[o, c, k…] = Σ_b Σ_x input[b, c, x + k]
 * · grad[b, o, x] (`gradWeight` laid out as the weight).
 */
export type ConvWeightGradKernel = (gradWeight: Tensor, input: Tensor, grad: Tensor) => void;

/** The registered kernel names and their signatures. */
export interface KernelSignatures {
  /** Batched matrix product `a @ b` of tensors with at least two dimensions. */
  matmul: (a: Tensor, b: Tensor) => Tensor;
  /** 1-D convolution of [batch, in, width] by [out, in, k] views. */
  conv1d: ConvKernel;
  /** 2-D convolution of [batch, in, height, width] by [out, in, kh, kw] views. */
  conv2d: ConvKernel;
  conv1dWeightGrad: ConvWeightGradKernel;
  conv2dWeightGrad: ConvWeightGradKernel;
  /**
   * Average pooling [B, C, H, W] → [B, C, H/kh, W/kw], as a composition of
   * differentiable tensor ops (nn records it as one AvgPool2d node).
   */
  avgpool2d: (input: Tensor, kernel: readonly [number, number]) => Tensor;
}

/** A registered kernel's name. */
export type KernelName = keyof KernelSignatures & string;

/** The backend name under which a kernel serves every backend that has none of its own. */
export const ANY_BACKEND = "*";

/** By kernel name, then by backend name, then by dtype. */
const kernels = new Map<string, Map<string, Map<Dtype, unknown>>>();

/**
 * Registers `kernel` as `name` on the backend called `backend` (or on
 * every backend, with "*") for `dtypes` (float64 unless named; a kernel
 * whose loops read and write through the storage's own element type serves
 * both). Registering a name twice for one backend and dtype replaces the
 * kernel: the last import wins, as a backend's own package means it to.
 */
export function registerKernel<K extends KernelName>(
  name: K,
  backend: string,
  kernel: KernelSignatures[K],
  dtypes: Dtype | readonly Dtype[] = "float64",
): void {
  let byBackend = kernels.get(name);
  if (byBackend === undefined) kernels.set(name, (byBackend = new Map()));
  let byDtype = byBackend.get(backend);
  if (byDtype === undefined) byBackend.set(backend, (byDtype = new Map()));
  for (const dtype of typeof dtypes === "string" ? [dtypes] : dtypes) byDtype.set(dtype, kernel);
}

/** Removes the kernel `name` of `backend` (a test's or a plug-in's own, when it is done), for every dtype or for `dtype`. */
export function unregisterKernel(name: KernelName, backend: string, dtype?: Dtype): void {
  const byBackend = kernels.get(name);
  if (dtype === undefined) {
    byBackend?.delete(backend);
    return;
  }
  const byDtype = byBackend?.get(backend);
  byDtype?.delete(dtype);
  if (byDtype?.size === 0) byBackend?.delete(backend);
}

/** The backends (names, "*" included) that have a kernel `name` (for `dtype`, when given). */
export function registeredBackends(name: KernelName, dtype?: Dtype): string[] {
  const out: string[] = [];
  for (const [backend, byDtype] of kernels.get(name) ?? []) {
    if (byDtype.size > 0 && (dtype === undefined || byDtype.has(dtype))) out.push(backend);
  }
  return out;
}

/** A backend, as far as the registry is concerned: its name. */
export interface NamedBackend {
  readonly name: string;
}

/**
 * The kernel `name` for `backend` and `dtype` (float64 when absent): the
 * backend's own, else the one registered for every backend.
 *
 * @throws Error naming the kernel, the backend, the dtype and where it is registered.
 */
export function kernelFor<K extends KernelName>(name: K, backend: NamedBackend, dtype: Dtype = "float64"): KernelSignatures[K] {
  const byBackend = kernels.get(name);
  const kernel = byBackend?.get(backend.name)?.get(dtype) ?? byBackend?.get(ANY_BACKEND)?.get(dtype);
  if (kernel !== undefined) return kernel as KernelSignatures[K];
  const entries: string[] = [];
  for (const [b, byDtype] of byBackend ?? []) for (const d of byDtype.keys()) entries.push(`"${b}" ${d}`);
  const where = entries.length === 0 ? "no backend" : entries.join(", ");
  throw new Error(
    `kernel "${name}" is not registered for backend "${backend.name}" and dtype ${dtype} (registered for: ${where}); ` +
      `importing the package that provides it registers it`,
  );
}

/** What the apps need to know of a registered backend besides its name. */
export interface BackendInfo {
  /** Why the backend cannot run here, or null when it can (asked only when it is chosen). */
  readonly unavailable?: () => string | null;
  /** Where it runs, for a run's first log line ("2 threads", a GPU adapter's name). */
  readonly describe?: () => string;
}

/** A registered backend with what the apps know of it. */
export interface RegisteredBackend<B extends NamedBackend = NamedBackend> extends BackendInfo {
  readonly backend: B;
}

const backendsByName = new Map<string, RegisteredBackend>();

/**
 * Lists `backend` under its name, so that the apps and benchmarks offer it
 * (`--backend NAME`) without naming it themselves.
 */
export function registerBackend<B extends NamedBackend>(backend: B, info: BackendInfo = {}): void {
  backendsByName.set(backend.name, { ...info, backend });
}

/** The registered backends' names, in registration order. */
export function backendNames(): string[] {
  return [...backendsByName.keys()];
}

/**
 * The backend registered as `name`, with what is known of it (ask its
 * `unavailable()` before running on one that can be missing).
 *
 * @throws Error naming the backend and the registered names.
 */
export function backendNamed(name: string): RegisteredBackend {
  const entry = backendsByName.get(name);
  if (entry === undefined) {
    throw new Error(`backend "${name}" is not registered (registered: ${backendNames().map((n) => `"${n}"`).join(", ") || "none"})`);
  }
  return entry;
}
