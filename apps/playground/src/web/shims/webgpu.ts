/**
 * What the GPU thread imports as Dawn's `webgpu` package, in a browser: the
 * browser's own WebGPU (`navigator.gpu`, which a worker has too).
 *
 * A worker nested in the session gets its adapter and device only while
 * the session's event loop turns, and the runtime's caller blocks in
 * `Atomics.wait` while the GPU thread starts. So the thread's bundle calls
 * `prepare()` as it loads (the session awaits that, see
 * `prestartThreads`), and `create()` then hands over the adapter and the
 * device made there. Once made, the device works while its caller blocks.
 */
interface Gpu {
  requestAdapter(options?: object): Promise<Adapter | null>;
}
interface Adapter {
  limits: Record<string, number>;
  info: object;
  requestDevice(descriptor?: object): Promise<unknown>;
}

let ready: { adapter: Adapter; device: unknown } | Error | null = null;

/** Requests the adapter and a device with the limits the GPU thread asks for (gpuWorker.ts: the adapter's largest buffers and workgroup storage). */
export async function prepare(): Promise<void> {
  try {
    const gpu = (navigator as { gpu?: Gpu }).gpu;
    if (gpu === undefined) throw new Error("this browser has no navigator.gpu (Chromium: WebGPU needs a secure context, and on Linux --enable-unsafe-webgpu)");
    const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
    if (adapter === null) throw new Error("no WebGPU adapter: the browser offers none (Chromium on Linux: --enable-unsafe-webgpu and a Vulkan driver)");
    const { limits } = adapter;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      },
    });
    ready = { adapter, device };
  } catch (e) {
    ready = e instanceof Error ? e : new Error(String(e));
  }
}

/** Dawn's entry point: here, an instance whose adapter is the prepared one and whose device is the prepared device. */
export function create(_flags: string[]): { requestAdapter(): Promise<unknown> } {
  return {
    requestAdapter: () => {
      if (ready === null) return Promise.reject(new Error("webgpu shim: the GPU thread's bundle did not call prepare()"));
      if (ready instanceof Error) return Promise.reject(ready);
      const { adapter, device } = ready;
      return Promise.resolve({ limits: adapter.limits, info: adapter.info, requestDevice: () => Promise.resolve(device) });
    },
  };
}
