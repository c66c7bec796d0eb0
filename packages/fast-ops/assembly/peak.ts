/**
 * The machine's float64 limit for these kernels: a loop with the shape of
 * their inner loops — accumulators c_ij += a_i · b_j on f64x2 (no FMA in
 * Node 20's wasm) — but nothing loaded from memory inside it, so only the
 * multiply and add units bound it. b_0 grows by an add and b_1 by a
 * multiply every iteration, so no product can be merged with another or
 * hoisted out of the loop, and multiplies and adds stay balanced (7 each).
 * 3 × 2 accumulators keep every value in a register (x64 wasm has 15
 * vector registers to give). The operands come from memory — a0..a2, b0,
 * b1, then the factor m and increment d, 7 vectors at `at` — so the
 * compiler cannot fold them into constants it rebuilds inside the loop.
 * Returns the sum of the accumulators so the loop cannot be optimised away.
 *
 *   flops = n · 14 operations · 2 lanes = 28 n
 */
export function peakLoop(n: i32, at: usize): f64 {
  const a0 = v128.load(at), a1 = v128.load(at, 16), a2 = v128.load(at, 32);
  let b0 = v128.load(at, 48), b1 = v128.load(at, 64);
  const m = v128.load(at, 80), d = v128.load(at, 96);
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    c00 = f64x2.add(c00, f64x2.mul(a0, b0));
    c01 = f64x2.add(c01, f64x2.mul(a0, b1));
    c10 = f64x2.add(c10, f64x2.mul(a1, b0));
    c11 = f64x2.add(c11, f64x2.mul(a1, b1));
    c20 = f64x2.add(c20, f64x2.mul(a2, b0));
    c21 = f64x2.add(c21, f64x2.mul(a2, b1));
    b0 = f64x2.add(b0, d);
    b1 = f64x2.mul(b1, m);
  }
  const sum = f64x2.add(f64x2.add(f64x2.add(c00, c01), f64x2.add(c10, c11)), f64x2.add(c20, c21));
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}
