import { afterEach, describe, expect, it, vi } from "vitest";
import { progressEnabled, startProgress } from "../src/index.js";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("datasets progress", () => {
  it("draws only on a TTY unless told otherwise", () => {
    expect(progressEnabled(true)).toBe(true);
    expect(progressEnabled(false)).toBe(false);
    expect(progressEnabled()).toBe(process.stderr.isTTY === true);
  });

  it("a disabled bar writes nothing", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const bar = startProgress("quiet", 100, { enabled: false });
    bar.update(50);
    bar.stop();
    expect(write).not.toHaveBeenCalled();
  });

  it("an enabled bar shows label and megabytes, and stops once", () => {
    const chunks: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(String(chunk));
      return true;
    });
    const bar = startProgress("downloading x", 2_000_000, { enabled: true, bytes: true });
    bar.update(2_000_000);
    bar.stop();
    bar.stop();
    const out = chunks.join("");
    expect(out).toContain("downloading x");
    expect(out).toContain("2.0/2.0 MB");
  });
});
