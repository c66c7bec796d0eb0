import { describe, expect, it } from "vitest";
import { MissingPackageError, resolveOptional } from "../src/index.js";

const PKG = { name: "minitorch-no-such-package", version: "1.2.3" };

describe("optional packages", () => {
  it('a package that is not installed: Feature: needs the npm package "minitorch-no-such-package"; install it with npm install minitorch-no-such-package@1.2.3', () => {
    let caught: unknown;
    try {
      resolveOptional((s) => import.meta.resolve(s), PKG.name, "Feature", PKG);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(MissingPackageError);
    const e = caught as MissingPackageError;
    expect(e.message).toBe('Feature: needs the npm package "minitorch-no-such-package"; install it with npm install minitorch-no-such-package@1.2.3');
    expect(e.feature).toBe("Feature");
    expect(e.pkg).toEqual(PKG);
    expect((e.cause as { code?: string }).code).toBe("ERR_MODULE_NOT_FOUND");
  });

  it("the alternative is named in parentheses", () => {
    expect(() => resolveOptional((s) => import.meta.resolve(s), `${PKG.name}/package.json`, "load", PKG, "give a file")).toThrow(
      'load: needs the npm package "minitorch-no-such-package"; install it with npm install minitorch-no-such-package@1.2.3 (or give a file)',
    );
  });

  it("CommonJS's MODULE_NOT_FOUND counts as missing too", () => {
    const fail = (): string => {
      throw Object.assign(new Error("Cannot find module"), { code: "MODULE_NOT_FOUND" });
    };
    expect(() => resolveOptional(fail, PKG.name, "Feature", PKG)).toThrow(MissingPackageError);
  });

  it("a package that is installed resolves to its URL", () => {
    expect(resolveOptional((s) => import.meta.resolve(s), "vitest", "Feature", PKG)).toMatch(/^file:.*vitest/);
  });

  it("any other failure is rethrown as it came", () => {
    const broken = new Error("broken package.json");
    expect(() =>
      resolveOptional(
        () => {
          throw broken;
        },
        PKG.name,
        "Feature",
        PKG,
      ),
    ).toThrow(broken);
  });
});
