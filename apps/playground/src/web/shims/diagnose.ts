/**
 * gpu-ops' diagnose.ts in a browser: there is no package to install and no
 * Vulkan loader to look for, only navigator.gpu and its adapter.
 */
export function webgpuMissing(): string | null {
  return "gpu" in navigator ? null : "this browser has no navigator.gpu (WebGPU)";
}

export function noAdapterAdvice(cause: string): string {
  return `${cause}. In Chromium on Linux, WebGPU needs --enable-unsafe-webgpu and a Vulkan driver (for a software one: --enable-features=Vulkan --use-vulkan=swiftshader --use-webgpu-adapter=swiftshader).`;
}

/** Kept for the names gpu-ops exports; a browser installs nothing. */
export const WEBGPU_PACKAGE = { name: "webgpu", version: "0.4.0" };
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";
