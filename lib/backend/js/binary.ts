/**
 * Broadcast binary kernels. Each op is one "row" loop over n elements with a
 * stride per input; the driver calls it once for the two fast paths (both
 * inputs contiguous, or one a broadcast scalar) and once per innermost row in
 * the general nd case.
 *
 * int32 results are stored into an Int32Array, whose ToInt32 conversion wraps
 * modulo 2^32 exactly like C int32 arithmetic for + and − (the double sum of two
 * int32 values is exact); × uses Math.imul because the double product is not.
 */
import type { BinaryKernel, Float, Num } from '../kernels';
import { RowWalk } from './row-walk';

/** out[o..o+n) = f(a[ai + i·as], b[bi + i·bs]). */
type Row = (a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number) => void;

// ---- row loops ---------------------------------------------------------------

function addRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] + b[bi];
}
function subRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] - b[bi];
}
function mulRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] * b[bi];
}
function mulRowI32(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = Math.imul(a[ai], b[bi]);
}
function divRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] / b[bi];
}
function powRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = cpow(a[ai], b[bi]);
}
function maximumRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) {
    const x = a[ai];
    const y = b[bi];
    // x !== x: a NaN in a wins; a NaN in b fails x > y and is taken as y.
    out[o] = x > y || x !== x ? x : y;
  }
}
function minimumRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) {
    const x = a[ai];
    const y = b[bi];
    out[o] = x < y || x !== x ? x : y;
  }
}
function eqRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] === b[bi] ? 1 : 0;
}
function gtRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] > b[bi] ? 1 : 0;
}
function ltRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] < b[bi] ? 1 : 0;
}
function geRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] >= b[bi] ? 1 : 0;
}
function leRow(a: Num, ai: number, as: number, b: Num, bi: number, bs: number, out: Num, o: number, n: number): void {
  for (const end = o + n; o < end; o++, ai += as, bi += bs) out[o] = a[ai] <= b[bi] ? 1 : 0;
}

/**
 * C's pow where it differs from Math.pow: pow(1, y) = 1 even for NaN y, and
 * pow(−1, ±∞) = 1 (Math.pow gives NaN for both).
 */
export function cpow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

// ---- layout and driver ---------------------------------------------------------

/** Strides equal the row-major strides of `shape` (size-1 dims ignored). */
const CONTIG = 1;
/** Every stride is 0 (size-1 dims ignored): a broadcast scalar. */
const ZERO = 2;

function layoutOf(strides: Int32Array, shape: Int32Array): number {
  let flags = CONTIG | ZERO;
  let expect = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const s = shape[d];
    if (s === 1) continue;
    const st = strides[d];
    if (st !== expect) flags &= ~CONTIG;
    if (st !== 0) flags &= ~ZERO;
    expect *= s;
  }
  return flags;
}

/** Odometer for the general nd loop. */
const rows = new RowWalk();

/** One binary call: the contiguous and scalar fast paths, else the strided loop. */
function runBinary(row: Row, a: Num, aStrides: Int32Array, b: Num, bStrides: Int32Array, out: Num, shape: Int32Array): void {
  let total = 1;
  for (let d = 0; d < shape.length; d++) total *= shape[d];
  if (total === 0) return;
  const la = layoutOf(aStrides, shape);
  const lb = layoutOf(bStrides, shape);
  if ((la & CONTIG) !== 0) {
    if ((lb & CONTIG) !== 0) return row(a, 0, 1, b, 0, 1, out, 0, total);
    if ((lb & ZERO) !== 0) return row(a, 0, 1, b, 0, 0, out, 0, total);
  } else if ((la & ZERO) !== 0 && (lb & CONTIG) !== 0) {
    return row(a, 0, 0, b, 0, 1, out, 0, total);
  }
  stridedBinary(row, a, aStrides, b, bStrides, out, shape, total);
}

/** General case: one row call per innermost row, offsets advanced like an odometer. */
function stridedBinary(
  row: Row, a: Num, aStrides: Int32Array, b: Num, bStrides: Int32Array, out: Num, shape: Int32Array,
  total: number,
): void {
  const nd = shape.length;
  const n = shape[nd - 1];
  const as = aStrides[nd - 1];
  const bs = bStrides[nd - 1];
  rows.start(nd, 0, 0);
  for (let o = 0; o < total; o += n) {
    row(a, rows.a, as, b, rows.b, bs, out, o, n);
    rows.next(shape, aStrides, bStrides);
  }
}

// ---- kernels ---------------------------------------------------------------------

/** The kernel that runs `row` over a broadcast call. */
const binaryKernel = (row: Row): BinaryKernel => (a, aStrides, b, bStrides, out, shape) =>
  runBinary(row, a, aStrides, b, bStrides, out, shape);

/** out = a + b with broadcasting (int32 wraps). */
export const add: BinaryKernel = binaryKernel(addRow);
/** out = a − b with broadcasting (int32 wraps). */
export const sub: BinaryKernel = binaryKernel(subRow);
/** out = a · b with broadcasting (int32 wraps, as Math.imul). */
export const mul: BinaryKernel = (a, aStrides, b, bStrides, out, shape) =>
  runBinary(a instanceof Int32Array ? mulRowI32 : mulRow, a, aStrides, b, bStrides, out, shape);
/** out = a / b, Float only. */
export const div: BinaryKernel<Float> = binaryKernel(divRow);
/** out = a ** b with C pow semantics, Float only. */
export const pow: BinaryKernel<Float> = binaryKernel(powRow);
/** out = max(a, b), NaN-propagating. */
export const maximum: BinaryKernel = binaryKernel(maximumRow);
/** out = min(a, b), NaN-propagating. */
export const minimum: BinaryKernel = binaryKernel(minimumRow);
/** out = a == b ? 1 : 0. */
export const eq: BinaryKernel = binaryKernel(eqRow);
/** out = a > b ? 1 : 0. */
export const gt: BinaryKernel = binaryKernel(gtRow);
/** out = a < b ? 1 : 0. */
export const lt: BinaryKernel = binaryKernel(ltRow);
/** out = a >= b ? 1 : 0. */
export const ge: BinaryKernel = binaryKernel(geRow);
/** out = a <= b ? 1 : 0. */
export const le: BinaryKernel = binaryKernel(leRow);
