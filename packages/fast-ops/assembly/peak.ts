/**
 * The float64 limit of these kernels' instruction mix (f64x2 multiplies and
 * adds — Node 20's wasm has no FMA — fed by vector loads and splats), as a
 * loop with nothing else in it: n passes of the 4×4 micro-kernel over one
 * pair of 256-step panels that stay in L1 (A: 8 KiB at `at`, B: 8 KiB
 * after it), accumulating into the same 8 registers, with no store.
 *
 * A register-only loop measured lower than this on the project's machine:
 * to keep the compiler from hoisting loop-invariant products it has to
 * update an operand every iteration, and that dependency chain, not the
 * arithmetic units, then bounds it. Loads from L1 cost the arithmetic
 * nothing (they have ports of their own).
 *
 *   flops = n · 256 steps · 16 operations · 2 lanes = 8192 n
 */
export function peakLoop(n: i32, at: usize): f64 {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let i = 0; i < n; i++) {
    let pa = at;
    let pb = at + 8192;
    let p = 256;
    do {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      let s = v128.load64_splat(pa);
      c00 = f64x2.add(c00, f64x2.mul(s, b0));
      c01 = f64x2.add(c01, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 8);
      c10 = f64x2.add(c10, f64x2.mul(s, b0));
      c11 = f64x2.add(c11, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 16);
      c20 = f64x2.add(c20, f64x2.mul(s, b0));
      c21 = f64x2.add(c21, f64x2.mul(s, b1));
      s = v128.load64_splat(pa, 24);
      c30 = f64x2.add(c30, f64x2.mul(s, b0));
      c31 = f64x2.add(c31, f64x2.mul(s, b1));
      pa += 32;
      pb += 32;
    } while (--p > 0);
  }
  const sum = f64x2.add(f64x2.add(f64x2.add(c00, c01), f64x2.add(c10, c11)), f64x2.add(f64x2.add(c20, c21), f64x2.add(c30, c31)));
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}
