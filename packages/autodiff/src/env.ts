/**
 * The one reader of minitorch's `MINITORCH_*` environment variables. Every
 * package parses its variables through these functions, so a bad value is
 * refused the same way everywhere, with a message naming the variable, what
 * it must be and what it was:
 *
 *   MINITORCH_PARALLEL_MIN must be a non-negative integer, got "abc"
 *
 * An unset or empty variable means "not given" (the fallback). The lowest
 * package holds this file so that every other one can use it.
 */

/** The variable's value, or undefined when it is unset or empty. */
function raw(name: string): string | undefined {
  const value = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env[name];
  return value === undefined || value === "" ? undefined : value;
}

/** What `envInt` requires, in words: "a non-negative integer", "an integer in [1, 64]". */
function intRange(min: number | undefined, max: number | undefined): string {
  if (max !== undefined) return `an integer in [${min ?? "-∞"}, ${max}]`;
  if (min === 0) return "a non-negative integer";
  if (min === 1) return "a positive integer";
  if (min !== undefined) return `an integer ≥ ${min}`;
  return "an integer";
}

/**
 * The integer value of variable `name` (decimal digits, optionally signed),
 * or `fallback` when it is unset or empty.
 *
 * @throws RangeError when the value is not an integer in [min, max].
 */
export function envInt(name: string, o: { min?: number; max?: number; fallback: number }): number {
  const value = raw(name);
  if (value === undefined) return o.fallback;
  const n = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || (o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
    throw new RangeError(`${name} must be ${intRange(o.min, o.max)}, got "${value}"`);
  }
  return n;
}

/**
 * The on/off value of variable `name`: 1 or true → true; unset, empty, 0 or
 * false → false (true/false in any letter case).
 *
 * @throws RangeError for any other value.
 */
export function envFlag(name: string): boolean {
  const value = raw(name);
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (v === "1" || v === "true") return true;
  if (v === "0" || v === "false") return false;
  throw new RangeError(`${name} must be 1 or 0 (true or false), got "${value}"`);
}

/**
 * The path held by variable `name` as given, or undefined when it is unset or
 * empty. The caller resolves it and checks what it points to.
 *
 * @throws RangeError when the value starts or ends with white space or
 *   holds a line break (a pasting slip, never a path anyone meant).
 */
export function envPath(name: string): string | undefined {
  const value = raw(name);
  if (value === undefined) return undefined;
  if (value.trim() !== value || /[\r\n]/.test(value)) {
    throw new RangeError(`${name} must be a path without surrounding white space or line breaks, got ${JSON.stringify(value)}`);
  }
  return value;
}
