/**
 * gpu-ops' diagnose.ts in a browser: the same module, with the two answers
 * that look for Node packages and Vulkan files replaced. A browser has no
 * package to install and no loader to look for, only navigator.gpu and
 * its adapter. (build.ts sends gpu-ops' own imports of diagnose.js here;
 * this file's import of the real module is left alone.)
 */
export * from "../../../../../packages/gpu-ops/dist/diagnose.js";

export function webgpuMissing(): string | null {
  return "gpu" in navigator ? null : "this browser has no navigator.gpu (WebGPU)";
}

export function noAdapterAdvice(cause: string): string {
  return `${cause}. In Chromium on Linux, WebGPU needs --enable-unsafe-webgpu and a Vulkan driver (for a software one: --enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader).`;
}
