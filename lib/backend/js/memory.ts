/** Memory kernels: copies, casts, fills, transposes and the general strided copy. */
import type { Num } from '../kernels';
import {
  MAX_OFFSET, checkNoOverlap, checkNum, checkNumber, checkReach, checkSame, checkShape, checkSize, checkStrides,
  reach, tooShort,
} from './validate';

/** dst[0..src.length) = src (same element type, no overlap). */
export function copy(src: Num, dst: Num): void {
  const k = checkNum('copy', 'src', src);
  checkSame('copy', 'dst', dst, k, 'src');
  if (dst.length < src.length) throw tooShort('copy', 'dst', dst, src.length, 'src.length');
  checkNoOverlap('copy', 'dst', dst, 'src', src);
  // TypedArray.set is a memcpy for equal types.
  dst.set(src);
}

/**
 * dst[i] = src[i] converted, for any pair of types, exactly as a TypedArray
 * store converts: float → int32 truncates toward 0, NaN/±∞ give 0 and values
 * beyond int32 wrap modulo 2^32 (JS ToInt32; the addon implements the same);
 * float64 → float32 rounds to nearest.
 */
export function cast(src: Num, dst: Num): void {
  checkNum('cast', 'src', src);
  checkNum('cast', 'dst', dst);
  if (dst.length < src.length) throw tooShort('cast', 'dst', dst, src.length, 'src.length');
  checkNoOverlap('cast', 'dst', dst, 'src', src);
  // TypedArray.set converts element by element with exactly these rules.
  dst.set(src);
}

/** dst[i] = value for every element (converted to dst's type). */
export function fill(dst: Num, value: number): void {
  checkNum('fill', 'dst', dst);
  checkNumber('fill', 'value', value);
  dst.fill(value);
}

/** Tile edge for transpose2d: 32×32 doubles stay within L1 on both sides. */
const TILE = 32;

/** out[j, i] = x[i, j] for x [rows, cols]; tiled so both sides stay cache-friendly. */
export function transpose2d(x: Num, rows: number, cols: number, out: Num): void {
  const fn = 'transpose2d';
  const k = checkNum(fn, 'x', x);
  checkSame(fn, 'out', out, k, 'x');
  checkSize(fn, 'rows', rows);
  checkSize(fn, 'cols', cols);
  const n = rows * cols;
  if (x.length < n) throw tooShort(fn, 'x', x, n, `rows=${rows}, cols=${cols}`);
  if (out.length < n) throw tooShort(fn, 'out', out, n, `rows=${rows}, cols=${cols}`);
  checkNoOverlap(fn, 'out', out, 'x', x);
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j];
      }
    }
  }
}

/** Odometer for copyStrided; reused (kernels never re-enter). */
let counter = new Int32Array(32);

/**
 * Throws unless the dst positions are distinct. Sufficient test: walking the
 * non-trivial dims by increasing |stride|, each stride must exceed the span of
 * the dims before it (every real permute/slice/concat layout passes).
 */
function checkDstDistinct(fn: string, dstStrides: Int32Array, shape: Int32Array): void {
  const nd = shape.length;
  let span = 0; // largest offset reachable through the dims taken so far
  let prev = -1; // |stride| and dim of the last dim taken, to walk in order without sorting
  let prevDim = -1;
  for (;;) {
    let best = -1;
    let bestStride = 0;
    for (let d = 0; d < nd; d++) {
      if (shape[d] <= 1) continue;
      const s = Math.abs(dstStrides[d]);
      // next in (|stride|, dim) order after (prev, prevDim)
      if (s < prev || (s === prev && d <= prevDim)) continue;
      if (best < 0 || s < bestStride) {
        best = d;
        bestStride = s;
      }
    }
    if (best < 0) return;
    if (bestStride <= span) {
      throw new RangeError(`${fn}: dstStrides make dst positions overlap (dim ${best}, stride ${dstStrides[best]})`);
    }
    span += bestStride * (shape[best] - 1);
    prev = bestStride;
    prevDim = best;
  }
}

/**
 * For every index of `shape`: dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides].
 * Strides may be 0 in src (broadcast) or negative; dst positions must be
 * distinct; the elements read and the elements written must not share memory.
 */
export function copyStrided(
  src: Num, srcOffset: number, srcStrides: Int32Array,
  dst: Num, dstOffset: number, dstStrides: Int32Array, shape: Int32Array,
): void {
  const fn = 'copyStrided';
  const k = checkNum(fn, 'src', src);
  checkSame(fn, 'dst', dst, k, 'src');
  checkSize(fn, 'srcOffset', srcOffset, MAX_OFFSET);
  checkSize(fn, 'dstOffset', dstOffset, MAX_OFFSET);
  const total = checkShape(fn, shape);
  checkStrides(fn, 'srcStrides', srcStrides, shape);
  checkStrides(fn, 'dstStrides', dstStrides, shape);
  if (total === 0) return;
  checkReach(fn, 'src', src, srcOffset, srcStrides, shape, 'srcOffset and srcStrides');
  const srcLo = reach.lo;
  const srcHi = reach.hi;
  checkReach(fn, 'dst', dst, dstOffset, dstStrides, shape, 'dstOffset and dstStrides');
  checkDstDistinct(fn, dstStrides, shape);
  // Only the element ranges actually touched must be disjoint (e.g. two slices of one buffer).
  if (src.buffer === dst.buffer) {
    const es = src.BYTES_PER_ELEMENT;
    const s0 = src.byteOffset + srcLo * es;
    const s1 = src.byteOffset + (srcHi + 1) * es;
    const d0 = dst.byteOffset + reach.lo * es;
    const d1 = dst.byteOffset + (reach.hi + 1) * es;
    if (s0 < d1 && d0 < s1) {
      throw new RangeError(`${fn}: the dst elements written overlap the src elements read; use a temporary`);
    }
  }
  stridedCopy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape, total);
}

/** The unchecked loop: innermost dim as a plain strided loop, outer dims as an odometer. */
function stridedCopy(
  src: Num, si: number, srcStrides: Int32Array, dst: Num, di: number, dstStrides: Int32Array,
  shape: Int32Array, total: number,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[di] = src[si];
    return;
  }
  const n = shape[nd - 1];
  const ss = srcStrides[nd - 1];
  const ds = dstStrides[nd - 1];
  if (counter.length < nd) counter = new Int32Array(nd);
  const ctr = counter;
  ctr.fill(0, 0, nd);
  for (let done = 0; done < total; done += n) {
    if (ss === 1 && ds === 1) for (let i = 0; i < n; i++) dst[di + i] = src[si + i];
    else for (let i = 0, s = si, d = di; i < n; i++, s += ss, d += ds) dst[d] = src[s];
    for (let d = nd - 2; d >= 0; d--) {
      si += srcStrides[d];
      di += dstStrides[d];
      if (++ctr[d] < shape[d]) break;
      si -= srcStrides[d] * shape[d];
      di -= dstStrides[d] * shape[d];
      ctr[d] = 0;
    }
  }
}
