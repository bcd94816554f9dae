/**
 * The loops behind torch.where / maskedFill, cumsum and sort / argsort / topk.
 * Axis kernels view x as [outer, dim, inner] and walk one lane (fixed o, i)
 * at a time.
 */
import type { Num } from '../kernels';

/** out[i] = cond[i] != 0 ? a[i] : b[i] (NaN is nonzero). */
export function where(cond: Num, a: Num, b: Num, out: Num): void {
  for (let i = 0; i < out.length; i++) out[i] = cond[i] !== 0 ? a[i] : b[i];
}

/** Prefix sums along the middle axis; `reverse` sums from the end. Float in float64, int32 wrapping. */
export function cumsum(x: Num, outer: number, dim: number, inner: number, reverse: boolean, out: Num): void {
  const int = x instanceof Int32Array;
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let j = o * dim * inner + i + (reverse ? (dim - 1) * inner : 0);
      let s = 0;
      for (let d = 0; d < dim; d++, j += step) {
        s = int ? (s + x[j]) | 0 : s + x[j];
        out[j] = s;
      }
    }
  }
}

/** a sorts before b ascending: smaller, or a number before NaN. */
const ascending = (a: number, b: number): number => (a < b || (b !== b && a === a) ? -1 : b < a || (a !== a && b === b) ? 1 : 0);

/** Lane scratch, reused across calls (kernels never re-enter). */
const order: number[] = [];
let lane = new Float64Array(16);

/** Stable sort of every lane; values and their source positions. NaN is the largest value. */
export function sort(
  x: Num, outer: number, dim: number, inner: number, descending: boolean, values: Num, indices: Int32Array,
): void {
  if (lane.length < dim) lane = new Float64Array(dim);
  const v = lane;
  // Array.prototype.sort is stable (ES2019): ties keep their order in both directions.
  const cmp = descending ? (p: number, q: number) => ascending(v[q], v[p]) : (p: number, q: number) => ascending(v[p], v[q]);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * dim * inner + i;
      order.length = dim;
      for (let d = 0; d < dim; d++) {
        v[d] = x[base + d * inner];
        order[d] = d;
      }
      order.sort(cmp);
      for (let d = 0; d < dim; d++) {
        values[base + d * inner] = v[order[d]];
        indices[base + d * inner] = order[d];
      }
    }
  }
}
