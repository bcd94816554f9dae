/** Memory kernels: copies, casts, fills, transposes and the general strided copy. */
import type { Num } from '../kernels';
import { RowWalk } from './row-walk';

/** dst[0..src.length) = src (same element type, no overlap). */
export function copy(src: Num, dst: Num): void {
  // TypedArray.set is a memcpy for equal types (and throws on a detached, empty src).
  if (src.length > 0) dst.set(src);
}

/**
 * dst[i] = src[i] converted, for any pair of types, exactly as a TypedArray
 * store converts: float → int32 truncates toward 0, NaN/±∞ give 0 and values
 * beyond int32 wrap modulo 2^32 (JS ToInt32; the addon implements the same);
 * float64 → float32 rounds to nearest.
 */
export function cast(src: Num, dst: Num): void {
  // TypedArray.set converts element by element with exactly these rules.
  if (src.length > 0) dst.set(src);
}

/** dst[i] = value for every element (converted to dst's type). */
export function fill(dst: Num, value: number): void {
  if (dst.length > 0) dst.fill(value); // a detached buffer has no elements, but fill() would throw
}

/** Tile edge for transpose2d: 32×32 doubles stay within L1 on both sides. */
const TILE = 32;

/** out[j, i] = x[i, j] for x [rows, cols]; tiled so both sides stay cache-friendly. */
export function transpose2d(x: Num, rows: number, cols: number, out: Num): void {
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

/** Odometer for copyStrided. */
const rows = new RowWalk();

/**
 * For every index of `shape`: dst[dstOffset + Σ i·dstStrides] = src[srcOffset + Σ i·srcStrides].
 * Strides may be 0 in src (broadcast) or negative; dst positions must be
 * distinct; the elements read and the elements written must not share memory.
 */
export function copyStrided(
  src: Num, srcOffset: number, srcStrides: Int32Array,
  dst: Num, dstOffset: number, dstStrides: Int32Array, shape: Int32Array,
): void {
  let total = 1;
  for (let d = 0; d < shape.length; d++) total *= shape[d];
  if (total === 0) return;
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
  rows.start(nd, si, di);
  for (let done = 0; done < total; done += n) {
    const s0 = rows.a;
    const d0 = rows.b;
    if (ss === 1 && ds === 1) for (let i = 0; i < n; i++) dst[d0 + i] = src[s0 + i];
    else for (let i = 0, s = s0, d = d0; i < n; i++, s += ss, d += ds) dst[d] = src[s];
    rows.next(shape, srcStrides, dstStrides);
  }
}
