/**
 * Why there is no GPU, in words a user can act on: which piece of the
 * WebGPU → Dawn → Vulkan chain is missing and what to install.
 */
import { existsSync, readFileSync } from "node:fs";
import { MissingPackageError, resolveOptional, type OptionalPackage } from "@minitorch/autodiff";

/** Dawn's WebGPU bindings for Node: an optional peer dependency (68 MB, native). */
export const WEBGPU_PACKAGE: OptionalPackage = { name: "webgpu", version: "0.4.0" };

/**
 * The message naming the package to install when webgpu is not installed,
 * else null: then there is no GPU thread to start.
 */
export function webgpuMissing(): string | null {
  try {
    // Resolved from here as the GPU thread's module (beside this one) imports it.
    resolveOptional((s) => import.meta.resolve(s), WEBGPU_PACKAGE.name, "GpuBackend", WEBGPU_PACKAGE);
    return null;
  } catch (e) {
    if (e instanceof MissingPackageError) return e.message;
    throw e;
  }
}

/** Chromium's SwiftShader, a software Vulkan driver Debian ships with the chromium package. */
export const SWIFTSHADER_ICD = "/usr/lib/chromium/vk_swiftshader_icd.json";

const LIBRARY_DIRS = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64", "/lib"];
const ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];

/** True when the Vulkan loader (libvulkan.so.1) can be found in the usual places or LD_LIBRARY_PATH. */
function vulkanLoaderPresent(): boolean {
  const dirs = [...(process.env.LD_LIBRARY_PATH ?? "").split(":").filter((d) => d !== ""), ...LIBRARY_DIRS];
  if (dirs.some((d) => existsSync(`${d}/libvulkan.so.1`))) return true;
  try {
    return readFileSync("/etc/ld.so.cache").includes("libvulkan.so.1");
  } catch {
    return false;
  }
}

/**
 * What to do when the GPU thread found no adapter (`cause` is what it
 * reported). Linux gets specific advice; elsewhere Dawn uses Metal or D3D12,
 * so a missing adapter means the system's GPU driver.
 */
export function noAdapterAdvice(cause: string): string {
  if (process.platform !== "linux") {
    return `${cause}. Dawn uses ${process.platform === "darwin" ? "Metal" : "Direct3D 12 or Vulkan"} here: check the GPU driver.`;
  }
  const steps: string[] = [];
  if (!vulkanLoaderPresent()) {
    steps.push("install the Vulkan loader, libvulkan.so.1 (Debian/Ubuntu: apt-get install --no-install-recommends libvulkan1)");
  }
  const icdFiles = process.env.VK_ICD_FILENAMES ?? process.env.VK_DRIVER_FILES;
  if (icdFiles !== undefined && icdFiles !== "") {
    const missing = icdFiles.split(":").filter((f) => f !== "" && !existsSync(f));
    steps.push(
      missing.length > 0
        ? `VK_ICD_FILENAMES names a driver file that does not exist (${missing.join(", ")})`
        : `VK_ICD_FILENAMES=${icdFiles} selects a driver Dawn cannot use`,
    );
  } else {
    const drivers = ICD_DIRS.some((d) => existsSync(d)) ? "the Vulkan drivers installed here are not usable by Dawn (Mesa's lavapipe before 23 is refused)" : "no Vulkan driver is installed";
    steps.push(`${drivers}: install your GPU's Vulkan driver (Debian: mesa-vulkan-drivers for AMD/Intel, nvidia-vulkan-icd for NVIDIA)`);
  }
  const software = existsSync(SWIFTSHADER_ICD)
    ? `for a software GPU, use Chromium's SwiftShader: export VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`
    : `for a software GPU without one, install chromium (apt-get install chromium: it ships SwiftShader) and export VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`;
  steps.push(software);
  return `${cause}. To fix: ${steps.join("; ")}.`;
}

/**
 * Mesa's device-select Vulkan layer asks the display server which GPU to
 * prefer and, when there is no display session (`XDG_RUNTIME_DIR` unset),
 * prints "error: XDG_RUNTIME_DIR is invalid or not set" on every adapter
 * request. `NODEVICE_SELECT=1` turns the layer off; it must be in the
 * process's C environment when the GPU thread creates its Vulkan instance.
 * Assigning `process.env` does that on the main thread and in a worker made
 * with `env: SHARE_ENV`; an ordinary worker's `process.env` is a private copy,
 * which is why this also runs when the package is imported, so a program that
 * imports the library on its main thread is quiet in every worker it starts.
 */
export function quietDeviceSelect(): void {
  if (typeof process === "undefined" || process.env === undefined) return;
  if (process.env.XDG_RUNTIME_DIR === undefined && process.env.NODEVICE_SELECT === undefined) process.env.NODEVICE_SELECT = "1";
}
