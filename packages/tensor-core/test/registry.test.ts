import { describe, expect, it } from "vitest";
import {
  ANY_BACKEND,
  DTYPES,
  SimpleBackend,
  backendNamed,
  backendNames,
  kernelFor,
  registerBackend,
  registerKernel,
  registeredBackends,
  tensor,
  unregisterKernel,
  type Tensor,
} from "../src/index.js";

describe("kernel registry", () => {
  it("a backend's own kernel first, then the one registered for every backend", () => {
    const own = (a: Tensor): Tensor => a;
    const shared = (_a: Tensor, b: Tensor): Tensor => b;
    registerKernel("matmul", "registry-test-own", own);
    registerKernel("matmul", ANY_BACKEND, shared);
    try {
      expect(kernelFor("matmul", { name: "registry-test-own" })).toBe(own);
      expect(kernelFor("matmul", { name: "registry-test-other" })).toBe(shared);
      expect(registeredBackends("matmul")).toEqual(expect.arrayContaining(["simple", "registry-test-own", "*"]));
    } finally {
      // Nothing else registers a "*" matmul, so the other tests see the registry as it was.
      unregisterKernel("matmul", ANY_BACKEND);
      unregisterKernel("matmul", "registry-test-own");
    }
  });

  it("a kernel nobody registered for the backend fails at the call, naming kernel, backend, dtype and where it is registered", () => {
    expect(() => kernelFor("matmul", { name: "nowhere" })).toThrow(
      /^kernel "matmul" is not registered for backend "nowhere" and dtype float64 \(registered for: "simple" float64, "simple" float32.*\); importing the package that provides it registers it$/,
    );
  });

  it("the dtype is part of the key: (backend, dtype), then (\"*\", dtype), else an error naming the dtype", () => {
    const own64 = (a: Tensor): Tensor => a;
    const shared32 = (_a: Tensor, b: Tensor): Tensor => b;
    registerKernel("matmul", "registry-test-dtype", own64);
    registerKernel("matmul", ANY_BACKEND, shared32, "float32");
    try {
      expect(kernelFor("matmul", { name: "registry-test-dtype" })).toBe(own64);
      expect(kernelFor("matmul", { name: "registry-test-dtype" }, "float64")).toBe(own64);
      expect(kernelFor("matmul", { name: "registry-test-dtype" }, "float32")).toBe(shared32);
      expect(registeredBackends("matmul", "float32")).toEqual(expect.arrayContaining(["simple", "*"]));
      expect(registeredBackends("matmul", "float32")).not.toContain("registry-test-dtype");
      unregisterKernel("matmul", ANY_BACKEND, "float32");
      expect(() => kernelFor("matmul", { name: "registry-test-dtype" }, "float32")).toThrow(
        /^kernel "matmul" is not registered for backend "registry-test-dtype" and dtype float32 \(registered for: .*"registry-test-dtype" float64/,
      );
    } finally {
      unregisterKernel("matmul", ANY_BACKEND);
      unregisterKernel("matmul", "registry-test-dtype");
    }
  });

  it("registering for several dtypes at once: DTYPES", () => {
    const k = (a: Tensor): Tensor => a;
    registerKernel("matmul", "registry-test-both", k, DTYPES);
    try {
      expect(kernelFor("matmul", { name: "registry-test-both" }, "float32")).toBe(k);
      expect(kernelFor("matmul", { name: "registry-test-both" }, "float64")).toBe(k);
    } finally {
      unregisterKernel("matmul", "registry-test-both");
    }
  });

  it("SimpleBackend's matmul comes from the registry: [[1,2],[3,4]] @ [[5],[6]] = [[17],[39]]", () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(a.matmul(tensor([[5], [6]])).toArray()).toEqual([[17], [39]]);
  });
});

describe("backend registry", () => {
  it("lists SimpleBackend under its name, with where it runs", () => {
    expect(backendNames()).toContain("simple");
    const simple = backendNamed("simple");
    expect(simple.backend).toBe(SimpleBackend);
    expect(simple.describe?.()).toBe("1 thread");
  });

  it("an unknown name is an error listing the registered ones", () => {
    expect(() => backendNamed("tpu")).toThrow(/^backend "tpu" is not registered \(registered: "simple"/);
  });

  it("a registered backend that cannot run here says why when asked", () => {
    registerBackend({ name: "registry-test-missing" }, { unavailable: () => "no such device" });
    expect(backendNames()).toContain("registry-test-missing");
    expect(backendNamed("registry-test-missing").unavailable?.()).toBe("no such device");
    expect(backendNamed("simple").unavailable).toBeUndefined();
  });
});
