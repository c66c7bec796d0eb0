/**
 * What the GPU thread imports as Dawn's `webgpu` package, in a browser: the
 * browser's own WebGPU. `create` is Dawn's entry point; here it returns
 * `navigator.gpu` (a worker has it too), or throws when there is none.
 */
export function create(_flags: string[]): unknown {
  const gpu = (navigator as { gpu?: unknown }).gpu;
  if (gpu === undefined) throw new Error("this browser has no navigator.gpu (Chromium: WebGPU needs a secure context, and on Linux --enable-unsafe-webgpu)");
  return gpu;
}
