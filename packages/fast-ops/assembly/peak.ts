/**
 * The machine's float64 limit for these kernels: a loop with the shape of
 * their inner loops (acc += s · b on f64x2, no FMA in Node 20's wasm) but
 * nothing loaded from memory, so only the multiply and add units bound it.
 * Eight independent accumulators hide the add latency. Returns a sum of the
 * accumulators so the loop cannot be optimised away.
 *
 *   flops = n · 8 accumulators · 2 lanes · 2 (multiply and add)
 */
export function peakLoop(n: i32, s: f64, b: f64): f64 {
  const sv = f64x2.splat(s);
  const tv = f64x2.splat(s * 0.5);
  const bv = f64x2.splat(b);
  let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.1), c2 = f64x2.splat(0.2), c3 = f64x2.splat(0.3);
  let c4 = f64x2.splat(0.4), c5 = f64x2.splat(0.5), c6 = f64x2.splat(0.6), c7 = f64x2.splat(0.7);
  for (let i = 0; i < n; i++) {
    c0 = f64x2.add(c0, f64x2.mul(sv, bv));
    c1 = f64x2.add(c1, f64x2.mul(tv, bv));
    c2 = f64x2.add(c2, f64x2.mul(sv, bv));
    c3 = f64x2.add(c3, f64x2.mul(tv, bv));
    c4 = f64x2.add(c4, f64x2.mul(sv, bv));
    c5 = f64x2.add(c5, f64x2.mul(tv, bv));
    c6 = f64x2.add(c6, f64x2.mul(sv, bv));
    c7 = f64x2.add(c7, f64x2.mul(tv, bv));
  }
  const sum = f64x2.add(f64x2.add(f64x2.add(c0, c1), f64x2.add(c2, c3)), f64x2.add(f64x2.add(c4, c5), f64x2.add(c6, c7)));
  return f64x2.extract_lane(sum, 0) + f64x2.extract_lane(sum, 1);
}
