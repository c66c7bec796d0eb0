import { describe, expect, it } from "vitest";
import { builtModuleUrl } from "../src/builtModule.js";

describe("builtModuleUrl", () => {
  it("maps a TypeScript source under src/ to its built file under dist/", () => {
    expect(builtModuleUrl("file:///repo/packages/p/src/kernels/conv.ts")).toBe("file:///repo/packages/p/dist/kernels/conv.js");
  });

  it("leaves built JavaScript as it is", () => {
    expect(builtModuleUrl("file:///repo/packages/p/dist/conv.js")).toBe("file:///repo/packages/p/dist/conv.js");
  });

  it("refuses a TypeScript file outside src/, naming it", () => {
    expect(() => builtModuleUrl("file:///repo/scratch/conv.ts")).toThrow(
      "builtModuleUrl: cannot map file:///repo/scratch/conv.ts to its built file (expected …/src/….ts)",
    );
  });
});
