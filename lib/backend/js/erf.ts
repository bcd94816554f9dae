/**
 * The error function for the js kernels (JavaScript's Math has none), to a
 * few ulps in float64: a series of positive terms below 2.5, the continued
 * fraction of erfc above.
 */

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** erf(x) = 2/√π ∫₀ˣ e^(−t²) dt. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (!(a < 6)) return a === a ? Math.sign(x) : NaN; // erfc(6) < 2⁻⁵⁴: erf is ±1 in float64
  const r = a < 2.5 ? series(a) : 1 - erfcFraction(a);
  return x < 0 ? -r : r;
}

/** erf(a) = 2/√π · e^(−a²) · Σ 2ⁿ a^(2n+1) / (2n+1)!!, every term positive (no cancellation). */
function series(a: number): number {
  const a2 = a * a;
  let term = a;
  let sum = a;
  for (let n = 1; term > sum * 1e-17; n++) {
    term *= (2 * a2) / (2 * n + 1);
    sum += term;
  }
  return TWO_OVER_SQRT_PI * Math.exp(-a2) * sum;
}

/** erfc(a) for a ≥ 2.5: e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + …)))), evaluated bottom-up. */
function erfcFraction(a: number): number {
  let f = a;
  for (let k = 60; k >= 1; k--) f = a + k / 2 / f;
  return (ONE_OVER_SQRT_PI * Math.exp(-a * a)) / f;
}
