/**
 * Reductions over the middle axis of [outer, dim, inner] into [outer, inner].
 * Float sums accumulate in a JS number (float64) and round once on store; int32
 * sums wrap modulo 2^32 like C int32 (the same result as a wider accumulator
 * truncated at the end).
 */
import type { ArgReduceKernel, Num, ReduceKernel } from '../kernels';

/** Float64 accumulators for one outer slice when inner > 1; reused across calls. */
let acc = new Float64Array(256);

/** out[o, i] = (Σ_d x[o, d, i]) / div, accumulated in float64. */
function sumFloat(x: Num, outer: number, dim: number, inner: number, out: Num, div: number): void {
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += dim) {
      let s = 0;
      for (let d = 0; d < dim; d++) s += x[base + d];
      out[o] = s / div;
    }
    return;
  }
  if (acc.length < inner) acc = new Float64Array(inner);
  const s = acc;
  // d-outer, i-inner so reads of x stay contiguous.
  for (let o = 0; o < outer; o++) {
    s.fill(0, 0, inner);
    const base = o * dim * inner;
    for (let d = 0; d < dim; d++) {
      const row = base + d * inner;
      for (let i = 0; i < inner; i++) s[i] += x[row + i];
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = s[i] / div;
  }
}

/** Int32 sum, wrapping at every step (exact modulo 2^32). */
function sumInt(x: Num, outer: number, dim: number, inner: number, out: Num): void {
  for (let o = 0; o < outer; o++) {
    const base = o * dim * inner;
    const ob = o * inner;
    for (let i = 0; i < inner; i++) {
      let s = 0;
      for (let d = 0, j = base + i; d < dim; d++, j += inner) s = (s + x[j]) | 0;
      out[ob + i] = s;
    }
  }
}

/** out[o, i] = Σ_d x[o, d, i]; an empty axis gives 0. */
export const sum: ReduceKernel = (x, outer, dim, inner, out) => {
  if (x instanceof Int32Array) sumInt(x, outer, dim, inner, out);
  else sumFloat(x, outer, dim, inner, out, 1);
};

/** out[o, i] = mean_d x[o, d, i] (Float); an empty axis gives NaN, as 0/0. */
export const mean: ReduceKernel = (x, outer, dim, inner, out) => {
  sumFloat(x, outer, dim, inner, out, dim);
};

/** Extreme along the axis (max when isMax): the first extreme wins ties, the first NaN wins outright. */
function argExtreme(
  x: Num, outer: number, dim: number, inner: number, out: Num, indices: Int32Array, isMax: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * dim * inner;
    const ob = o * inner;
    for (let i = 0; i < inner; i++) {
      let j = base + i;
      let best = x[j];
      let bi = 0;
      if (best === best) {
        for (let d = 1; d < dim; d++) {
          j += inner;
          const v = x[j];
          if (v !== v) {
            best = v;
            bi = d;
            break;
          }
          if (isMax ? v > best : v < best) {
            best = v;
            bi = d;
          }
        }
      }
      out[ob + i] = best;
      indices[ob + i] = bi;
    }
  }
}

/** Max over the axis with the index of its first occurrence; NaN wins. */
export const max: ArgReduceKernel = (x, outer, dim, inner, out, indices) => {
  argExtreme(x, outer, dim, inner, out, indices, true);
};

/** Min over the axis with the index of its first occurrence; NaN wins. */
export const min: ArgReduceKernel = (x, outer, dim, inner, out, indices) => {
  argExtreme(x, outer, dim, inner, out, indices, false);
};
