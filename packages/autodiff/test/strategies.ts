/**
 * Number arbitraries shared by the Module 0 and 1 tests (minitorch's
 * tests/strategies.py).
 */
import fc from "fast-check";

/**
 * Floats spread evenly over [min, max], with the odd draw from fc.double for
 * edge values (0, −0, the bounds, tiny numbers). fc.double alone draws
 * evenly over representable doubles, so nearly all its values are within
 * 1e-10 of 0 and would leave most of the range untested.
 */
export function floatsIn(min: number, max: number): fc.Arbitrary<number> {
  const steps = 2 ** 32 - 1;
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: steps }).map((n) => min + ((max - min) * n) / steps), weight: 9 },
    { arbitrary: fc.double({ min, max, noNaN: true }), weight: 1 },
  );
}

/** Floats in [-100, 100], minitorch's `small_floats`. */
export const smallFloats = floatsIn(-100, 100);
