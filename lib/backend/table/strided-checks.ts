/**
 * What the strided kernels (broadcast binary, copyStrided) check beyond their
 * declared arguments — the reach of the strides, in-place use only on a
 * contiguous input, distinct destination positions — with the addon's texts,
 * and their random valid calls.
 */
import type { Num } from '../kernels';
import { INT64_LIMIT, OVERFLOW_TEXT, overlapText, rangeError } from './messages';
import { type Dtype, alloc, contiguousStrides, prod, randomBuffer, randomDim } from './random';
import type { Rng } from './spec';

/** Element count of a shape (no allocation: this runs on every call). */
export function numelOf(shape: Int32Array): number {
  let n = 1;
  for (let j = 0; j < shape.length; j++) n *= shape[j];
  return n;
}

/** The offset range of the last reachOf call (kept here: no allocation per call). */
const reach = { lo: 0, hi: 0 };

/** Sets `reach` to the lowest and highest offsets `strides` reach over `shape` from `offset`. */
function reachOf(fn: string, shape: Int32Array, strides: Int32Array, offset: number): void {
  let lo = offset;
  let hi = offset;
  for (let j = 0; j < shape.length; j++) {
    const span = (shape[j] - 1) * strides[j];
    if (span < 0) lo += span;
    else hi += span;
    if (lo <= -INT64_LIMIT || hi >= INT64_LIMIT) throw rangeError(fn, OVERFLOW_TEXT);
  }
  reach.lo = lo;
  reach.hi = hi;
}

/** Reaches `strides` over `shape` from `offset` and checks the range lies inside `x`. */
function checkReach(fn: string, arg: string, x: Num, shape: Int32Array, strides: Int32Array, offset: number): void {
  reachOf(fn, shape, strides, offset);
  const { lo, hi } = reach;
  if (lo < 0 || hi >= x.length) {
    throw rangeError(fn, `${arg} has ${x.length} elements but the strides reach offsets ${lo}..${hi}`);
  }
}

/** Strides equal the row-major strides of `shape` (size-1 dims ignored). */
export function isContiguous(shape: Int32Array, strides: Int32Array): boolean {
  let expected = 1;
  for (let j = shape.length - 1; j >= 0; j--) {
    if (shape[j] !== 1 && strides[j] !== expected) return false;
    expected *= shape[j];
  }
  return true;
}

/** True when two views share bytes (empty views never do). */
function overlaps(x: Num, y: Num): boolean {
  if (x === y) return x.byteLength > 0;
  if (x.byteLength === 0 || y.byteLength === 0 || x.buffer !== y.buffer) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** out may be exactly an input only when that input is read element i for output i. */
function checkAlias(fn: string, out: Num, x: Num, arg: string, shape: Int32Array, st: Int32Array): void {
  if (!overlaps(out, x)) return;
  if (!(out.byteOffset === x.byteOffset && out.byteLength === x.byteLength && out.constructor === x.constructor)) {
    throw rangeError(fn, `output overlaps an input (out partially shares memory with ${arg}; only the very same array is allowed)`);
  }
  if (!isContiguous(shape, st)) {
    throw rangeError(fn, `output overlaps an input (out is ${arg}, which is broadcast or strided; in-place needs a contiguous input)`);
  }
}

/** Binary kernels: the strides stay inside a and b; out is disjoint from an input or exactly a contiguous one. */
export function checkBinary(this: string, a: Num, as: Int32Array, b: Num, bs: Int32Array, out: Num, shape: Int32Array): void {
  if (numelOf(shape) === 0) return;
  checkReach(this, 'a', a, shape, as, 0);
  checkReach(this, 'b', b, shape, bs, 0);
  checkAlias(this, out, a, 'a', shape, as);
  checkAlias(this, out, b, 'b', shape, bs);
}

/** Throws unless the dst positions are distinct (sorted by |stride|, each stride exceeds the extent below it). */
function checkNoSelfOverlap(fn: string, shape: Int32Array, strides: Int32Array): void {
  const dims: [number, number][] = [];
  for (let j = 0; j < shape.length; j++) if (shape[j] !== 1) dims.push([shape[j], Math.abs(strides[j])]);
  dims.sort((x, y) => x[1] - y[1]);
  let extent = 0;
  for (const [n, s] of dims) {
    if (s <= extent) throw rangeError(fn, 'dstStrides write some dst positions more than once (overlapping destination)');
    extent += (n - 1) * s;
  }
}

/** copyStrided: both reaches inside their buffers, distinct dst positions, touched ranges disjoint. */
export function checkCopyStrided(
  this: string, src: Num, srcOffset: number, ss: Int32Array, dst: Num, dstOffset: number, ds: Int32Array, shape: Int32Array,
): void {
  const numel = numelOf(shape);
  if (numel === 0) return;
  // Native reaches both before checking either.
  reachOf(this, shape, ds, dstOffset);
  checkReach(this, 'src', src, shape, ss, srcOffset);
  const s0 = reach.lo;
  const s1 = reach.hi;
  checkReach(this, 'dst', dst, shape, ds, dstOffset);
  if (numel > 1) checkNoSelfOverlap(this, shape, ds);
  const e = src.BYTES_PER_ELEMENT;
  const b0 = src.byteOffset + s0 * e;
  const d0 = dst.byteOffset + reach.lo * e;
  if (src.buffer === dst.buffer && d0 < b0 + (s1 - s0 + 1) * e && b0 < d0 + (reach.hi - reach.lo + 1) * e) {
    throw rangeError(this, overlapText('dst', 'src'));
  }
}

/** A random broadcast binary call: each input broadcasts some dims of a random output shape. */
export function randomBinary(rng: Rng, dtype: Dtype): unknown[] {
  const shape = Array.from({ length: rng.int(0, 3) }, () => randomDim(rng));
  const operand = (): [Num, Int32Array] => {
    const own = shape.map((d) => (rng.chance(0.3) ? 1 : d));
    const cs = contiguousStrides(own);
    return [randomBuffer(rng, dtype, prod(own)), Int32Array.from(own.map((d, j) => (d === 1 ? 0 : cs[j])))];
  };
  const [a, as] = operand();
  const [b, bs] = operand();
  const out = alloc(dtype, prod(shape));
  const sh = Int32Array.from(shape);
  // In place now and then, where the input is not broadcast.
  if (rng.chance(0.2) && a.length === out.length && isContiguous(sh, as)) return [a, as, b, bs, a, sh];
  return [a, as, b, bs, out, sh];
}

/** A random copyStrided: a permuted, partly broadcast or flipped source into a contiguous destination. */
export function randomCopyStrided(rng: Rng, dtype: Dtype): unknown[] {
  const nd = rng.int(0, 3);
  const shape = Array.from({ length: nd }, () => randomDim(rng));
  const perm = Array.from({ length: nd }, (_, j) => j).sort(() => rng.next() - 0.5);
  const permStrides = contiguousStrides(perm.map((p) => shape[p]));
  const ss = new Array<number>(nd);
  perm.forEach((p, j) => {
    ss[p] = permStrides[j];
  });
  let srcOffset = rng.int(0, 2);
  for (let j = 0; j < nd; j++) {
    if (rng.chance(0.2)) ss[j] = 0;
    else if (rng.chance(0.2) && shape[j] > 0) {
      srcOffset += (shape[j] - 1) * ss[j];
      ss[j] = -ss[j];
    }
  }
  let hi = srcOffset;
  for (let j = 0; j < nd; j++) if (ss[j] > 0 && shape[j] > 0) hi += (shape[j] - 1) * ss[j];
  const numel = prod(shape);
  const dstOffset = rng.int(0, 2);
  return [
    randomBuffer(rng, dtype, numel === 0 ? 0 : hi + 1), srcOffset, Int32Array.from(ss),
    alloc(dtype, dstOffset + numel), dstOffset, Int32Array.from(contiguousStrides(shape)), Int32Array.from(shape),
  ];
}
