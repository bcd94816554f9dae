/**
 * Histograms as PyTorch's SummaryWriter.add_histogram computes them: numpy's
 * histogram over the given bins, then only the support kept (one empty bin to
 * its left, because TensorBoard stores right bin limits only).
 */

/** Bins of `addHistogram`: 'tensorflow' (PyTorch's default exponential edges), a bin count, or the edges. */
export type HistogramBins = 'tensorflow' | number | readonly number[];

/** The fields of TensorBoard's HistogramProto (snake_case, as in event.proto). */
export interface HistogramFields {
  min: number;
  max: number;
  num: number;
  sum: number;
  sum_squares: number;
  bucket_limit: number[];
  bucket: number[];
}

/** PyTorch's 'tensorflow' edges: ±1e-12·1.1^k up to 1e20, and 0. */
const TENSORFLOW_EDGES: readonly number[] = (() => {
  const pos: number[] = [];
  for (let v = 1e-12; v < 1e20; v *= 1.1) pos.push(v);
  return [...pos.map((v) => -v).reverse(), 0, ...pos];
})();

/** numpy.histogram's edges for `bins` over `values` (min and max already known). */
function edgesOf(bins: HistogramBins, min: number, max: number, where: string): readonly number[] {
  if (bins === 'tensorflow') return TENSORFLOW_EDGES;
  if (typeof bins === 'number') {
    if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${where}: bins must be a positive integer, 'tensorflow' or an array of edges, got ${bins}`);
    // numpy widens an empty range by 0.5 on each side
    const [lo, hi] = min === max ? [min - 0.5, max + 0.5] : [min, max];
    return Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + ((hi - lo) * i) / bins));
  }
  if (!Array.isArray(bins) || bins.length < 2 || bins.some((e, i) => typeof e !== 'number' || !Number.isFinite(e) || (i > 0 && e < bins[i - 1]))) {
    throw new RangeError(`${where}: bins as an array must hold at least 2 finite, non-decreasing edges`);
  }
  return bins;
}

/** Index of the bin holding `v` ([e_i, e_{i+1}), the last closed), or -1 outside the edges. */
function binOf(edges: readonly number[], v: number): number {
  const last = edges.length - 1;
  if (v < edges[0] || v > edges[last]) return -1;
  if (v === edges[last]) return last - 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] <= v) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The histogram of `values` (finite numbers, at least one) over `bins`. */
export function makeHistogram(values: ArrayLike<number>, bins: HistogramBins, where: string): HistogramFields {
  const n = values.length;
  if (n === 0) throw new RangeError(`${where}: values are empty; a histogram needs at least one value`);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new RangeError(`${where}: values must be finite, got ${v} at index ${i}`);
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    sumSquares += v * v;
  }
  const edges = edgesOf(bins, min, max, where);
  const counts = new Array<number>(edges.length - 1).fill(0);
  for (let i = 0; i < n; i++) {
    const b = binOf(edges, values[i]);
    if (b >= 0) counts[b]++;
  }
  const first = counts.findIndex((c) => c > 0);
  if (first < 0) throw new RangeError(`${where}: no value falls inside the bin edges [${edges[0]}, ${edges[edges.length - 1]}]`);
  let end = counts.length;
  while (counts[end - 1] === 0) end--;
  const bucket = first > 0 ? counts.slice(first - 1, end) : [0, ...counts.slice(0, end)];
  return { min, max, num: n, sum, sum_squares: sumSquares, bucket_limit: edges.slice(first, end + 1), bucket };
}
