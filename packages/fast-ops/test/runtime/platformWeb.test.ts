/**
 * The web platform of the thread runtime (platformWeb.ts), in Node with a
 * fake worker scope: Web Workers, their messages, XMLHttpRequest and
 * navigator are stand-ins that record what the platform does with them.
 * (The real thing runs in Chromium: apps/playground/test/playground.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

type Listener = (event: { data?: unknown; message?: string }) => void;

/** A stand-in for a module worker: records its URL, options and the messages posted to it. */
class FakeWorker {
  static made: FakeWorker[] = [];
  posted: unknown[] = [];
  terminated = false;
  private listeners = new Map<string, Listener[]>();
  constructor(
    readonly url: string,
    readonly options: { type: string; name?: string },
  ) {
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    this.terminated = true;
  }
  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  /** What the worker would send or suffer. */
  emit(type: string, event: { data?: unknown; message?: string }): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

/** The scope's own message listeners (the thread side) and what it posts to its parent. */
const scopeListeners: Listener[] = [];
const postedToParent: unknown[] = [];
const files = new Map<string, Uint8Array>();

class FakeXhr {
  status = 0;
  responseType = "";
  response: ArrayBuffer | null = null;
  private url = "";
  open(_method: string, url: string, async: boolean): void {
    expect(async).toBe(false);
    this.url = url;
  }
  send(): void {
    const bytes = files.get(this.url);
    this.status = bytes === undefined ? 404 : 200;
    this.response = bytes === undefined ? null : bytes.slice().buffer;
  }
}

let web: typeof import("../../src/runtime/platformWeb.js");

beforeAll(async () => {
  vi.stubGlobal("location", { href: "http://site.test/app/lib/session.js" });
  vi.stubGlobal("navigator", { hardwareConcurrency: 6 });
  vi.stubGlobal("Worker", FakeWorker);
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
  vi.stubGlobal("addEventListener", (_type: string, l: Listener) => scopeListeners.push(l));
  vi.stubGlobal("postMessage", (m: unknown) => postedToParent.push(m));
  web = await import("../../src/runtime/platformWeb.js");
});

afterAll(() => {
  vi.unstubAllGlobals();
});

describe("web platform, calling side", () => {
  it("maps minitorch:/PKG/dist/PATH names to PKG/PATH beside the caller's bundle, and leaves other URLs alone", () => {
    expect(web.libraryFile("minitorch:/fast-ops/dist/worker.js")).toBe("http://site.test/app/lib/fast-ops/worker.js");
    expect(web.libraryFile("minitorch:/fast-ops/dist/simd/kernels.wasm")).toBe("http://site.test/app/lib/fast-ops/simd/kernels.wasm");
    expect(web.libraryFile("https://elsewhere.test/k.js")).toBe("https://elsewhere.test/k.js");
  });

  it("availableParallelism is navigator.hardwareConcurrency", () => {
    expect(web.availableParallelism()).toBe(6);
  });

  it("prestartThreads starts module workers and resolves true once each has loaded", async () => {
    FakeWorker.made = [];
    const done = web.prestartThreads("minitorch:/fast-ops/dist/worker.js", 2);
    expect(FakeWorker.made.map((w) => [w.url, w.options.type])).toEqual([
      ["http://site.test/app/lib/fast-ops/worker.js", "module"],
      ["http://site.test/app/lib/fast-ops/worker.js", "module"],
    ]);
    for (const w of FakeWorker.made) w.emit("message", { data: "minitorch-thread-loaded" });
    await expect(done).resolves.toBe(true);
  });

  let spares: FakeWorker[] = [];

  it("spawnThread takes a spare (no new worker) and posts it its init and the library's base first, then messages in order", () => {
    spares = FakeWorker.made.slice();
    FakeWorker.made = [];
    const init = { index: 0, block: new SharedArrayBuffer(8) };
    const t = web.spawnThread("minitorch:/fast-ops/dist/worker.js", init);
    expect(FakeWorker.made).toEqual([]);
    t.post({ job: 1 });
    t.post({ job: 2 });
    expect(spares[0]!.posted).toEqual([{ minitorchThread: { init, base: "http://site.test/app/lib/" } }, { job: 1 }, { job: 2 }]);
    expect(t.alive).toBe(true);
  });

  it("a thread whose worker fails is no longer alive; one terminated neither", async () => {
    const failing = web.spawnThread("minitorch:/fast-ops/dist/worker.js", {});
    const terminated = web.spawnThread("minitorch:/fast-ops/dist/worker.js", {});
    // The last spare, then (none left, none replaced) a new worker.
    expect(FakeWorker.made).toHaveLength(1);
    spares[1]!.emit("error", { message: "SyntaxError" });
    expect(failing.alive).toBe(false);
    await terminated.terminate();
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(terminated.alive).toBe(false);
  });

  it("prestartThreads resolves false when a worker fails to load", async () => {
    FakeWorker.made = [];
    const done = web.prestartThreads("minitorch:/gpu-ops/dist/gpuWorker.js", 1);
    vi.spyOn(console, "error").mockImplementationOnce(() => {});
    FakeWorker.made[0]!.emit("error", { message: "404" });
    await expect(done).resolves.toBe(false);
  });

  it("weight is an ordinary buffer of the size asked", () => {
    const w = web.weight(4096);
    expect(w).toBeInstanceOf(ArrayBuffer);
    expect(w.byteLength).toBe(4096);
  });
});

describe("web platform, thread side", () => {
  it("threadInit throws until the thread's first message arrived", () => {
    expect(() => web.threadInit()).toThrow("threadInit: the thread's bundle must await threadReady() before importing the runtime");
  });

  it("threadReady says the bundle loaded, resolves with the first message's init, and later messages queue for receive", async () => {
    const ready = web.threadReady();
    expect(postedToParent).toEqual(["minitorch-thread-loaded"]);
    const init = { index: 3 };
    for (const l of scopeListeners) l({ data: { minitorchThread: { init, base: "http://site.test/other/" } } });
    await ready;
    expect(web.threadInit()).toBe(init);
    // The thread now maps names under the base its caller gave.
    expect(web.libraryFile("minitorch:/fast-conv/dist/conv2d.js")).toBe("http://site.test/other/fast-conv/conv2d.js");
    expect(web.receive()).toBeUndefined();
    for (const l of scopeListeners) l({ data: "a" });
    for (const l of scopeListeners) l({ data: { b: 1 } });
    expect(web.receive()).toBe("a");
    expect(web.receive()).toEqual({ b: 1 });
    expect(web.receive()).toBeUndefined();
  });

  it("importModule finds registered modules by name and names a missing one", async () => {
    const ns = { kernel: () => 1 };
    web.registerModule("minitorch:/fast-ops/dist/matmul.js", ns);
    await expect(web.importModule("minitorch:/fast-ops/dist/matmul.js")).resolves.toBe(ns);
    await expect(web.importModule("minitorch:/fast-ops/dist/nope.js")).rejects.toThrow(
      "minitorch:/fast-ops/dist/nope.js is not among the kernel modules this thread's bundle registered",
    );
  });

  it("idleWait returns a promise that settles when the slot changes, and nothing when it already differs", async () => {
    const control = new Int32Array(new SharedArrayBuffer(16));
    expect(web.idleWait(control, 1, 5)).toBeUndefined();
    const wait = web.idleWait(control, 1, 0);
    expect(wait).toBeInstanceOf(Promise);
    let settled = false;
    void wait!.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    Atomics.store(control, 1, 1);
    Atomics.notify(control, 1);
    await wait;
    expect(settled).toBe(true);
  });

  it("readBinary reads a library file synchronously, or gives null when it is missing", () => {
    files.set("http://site.test/other/fast-ops/simd/kernels.wasm", new Uint8Array([0, 97, 115, 109]));
    expect([...web.readBinary(new URL("minitorch:/fast-ops/dist/simd/kernels.wasm"))!]).toEqual([0, 97, 115, 109]);
    expect(web.readBinary(new URL("minitorch:/fast-ops/dist/simd/missing.wasm"))).toBeNull();
    expect(web.describeFile(new URL("minitorch:/fast-ops/dist/simd/missing.wasm"))).toBe("http://site.test/other/fast-ops/simd/missing.wasm");
  });
});
