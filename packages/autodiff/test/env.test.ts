import { afterEach, describe, expect, it } from "vitest";
import { envFlag, envInt, envPath } from "../src/index.js";

const NAME = "MINITORCH_TEST_VARIABLE";

afterEach(() => {
  delete process.env[NAME];
});

/** Runs `read` with the variable set to `value` (or unset). */
function withValue<T>(value: string | undefined, read: () => T): T {
  if (value === undefined) delete process.env[NAME];
  else process.env[NAME] = value;
  return read();
}

describe("environment variables", () => {
  describe("envInt", () => {
    it("unset or empty gives the fallback; decimal integers in range are read", () => {
      expect(withValue(undefined, () => envInt(NAME, { min: 0, fallback: 8192 }))).toBe(8192);
      expect(withValue("", () => envInt(NAME, { min: 0, fallback: 8192 }))).toBe(8192);
      expect(withValue("0", () => envInt(NAME, { min: 0, fallback: 8192 }))).toBe(0);
      expect(withValue("+12", () => envInt(NAME, { min: 0, fallback: 1 }))).toBe(12);
      expect(withValue("64", () => envInt(NAME, { min: 1, max: 64, fallback: 1 }))).toBe(64);
      expect(withValue("-3", () => envInt(NAME, { fallback: 0 }))).toBe(-3);
    });

    it.each([
      ["abc", { min: 0 }, `${NAME} must be a non-negative integer, got "abc"`],
      ["-5", { min: 0 }, `${NAME} must be a non-negative integer, got "-5"`],
      ["1e3", { min: 0 }, `${NAME} must be a non-negative integer, got "1e3"`],
      ["12.5", { min: 1 }, `${NAME} must be a positive integer, got "12.5"`],
      [" 12", { min: 1 }, `${NAME} must be a positive integer, got " 12"`],
      ["0x10", { min: 1 }, `${NAME} must be a positive integer, got "0x10"`],
      ["65", { min: 1, max: 64 }, `${NAME} must be an integer in [1, 64], got "65"`],
      ["99999999999999999999", { min: 0 }, `${NAME} must be a non-negative integer, got "99999999999999999999"`],
    ])("%j with %j is refused: %s", (value, range, message) => {
      let error: unknown;
      try {
        withValue(value, () => envInt(NAME, { ...range, fallback: 1 }));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toBe(message);
    });
  });

  describe("envFlag", () => {
    it("1 and true are true; unset, empty, 0 and false are false; true/false in any case", () => {
      for (const v of ["1", "true", "TRUE"]) expect(withValue(v, () => envFlag(NAME))).toBe(true);
      for (const v of [undefined, "", "0", "false", "False"]) expect(withValue(v, () => envFlag(NAME))).toBe(false);
    });

    it("anything else is refused, as a RangeError", () => {
      for (const v of ["maybe", "yes", "2"]) {
        expect(() => withValue(v, () => envFlag(NAME))).toThrow(new RangeError(`${NAME} must be 1 or 0 (true or false), got "${v}"`));
      }
    });
  });

  describe("envPath", () => {
    it("gives the path as written, or undefined when unset or empty", () => {
      expect(withValue(undefined, () => envPath(NAME))).toBeUndefined();
      expect(withValue("", () => envPath(NAME))).toBeUndefined();
      expect(withValue("rel/dir", () => envPath(NAME))).toBe("rel/dir");
      expect(withValue("/a b/c", () => envPath(NAME))).toBe("/a b/c");
    });

    it("refuses surrounding white space and line breaks", () => {
      expect(() => withValue("/tmp/x ", () => envPath(NAME))).toThrow(`${NAME} must be a path without surrounding white space or line breaks, got "/tmp/x "`);
      expect(() => withValue("/tmp/x\n/y", () => envPath(NAME))).toThrow(/line breaks, got "\/tmp\/x\\n\/y"$/);
    });
  });
});
