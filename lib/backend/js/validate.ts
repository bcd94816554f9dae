/**
 * Argument checks for the js kernels, mirroring what the native binding checks
 * so that switching backends changes no error behaviour.
 *
 * Wrong kinds of argument throw TypeError; bad sizes, short buffers, indices out
 * of range and overlapping outputs throw RangeError. Every message starts with
 * the kernel name. Checks are plain comparisons: no allocation on the success
 * path, because per-call overhead dominates for tiny tensors.
 */
import type { Float, Num } from '../kernels';

/** Element-type tags. 0 means "not a storage buffer". */
export const F32 = 1;
export const F64 = 2;
export const I32 = 3;

/** The largest size a kernel accepts (BLAS takes 32-bit ints), as the addon. */
export const MAX_SIZE = 2147483647;
/** The largest offset or batch stride accepted (Number.MAX_SAFE_INTEGER), as the addon. */
export const MAX_OFFSET = 9007199254740991;
/** The most dims a shape may have, as the addon. */
export const MAX_DIMS = 64;

/** Element-type tag of a buffer, 0 if it is not a Float32/Float64/Int32 array. */
export function kindOf(x: unknown): number {
  if (x instanceof Float32Array) return F32;
  if (x instanceof Float64Array) return F64;
  if (x instanceof Int32Array) return I32;
  return 0;
}

function kindName(x: unknown): string {
  const k = kindOf(x);
  if (k === F32) return 'Float32Array';
  if (k === F64) return 'Float64Array';
  if (k === I32) return 'Int32Array';
  if (x === null) return 'null';
  if (typeof x === 'object') {
    const ctor = (x as { constructor?: { name?: unknown } }).constructor;
    return ctor !== undefined && typeof ctor.name === 'string' ? ctor.name : 'object';
  }
  return typeof x;
}

/** Checks that `x` is a Float32Array or Float64Array; returns its kind tag. */
export function checkFloat(fn: string, arg: string, x: unknown): number {
  const k = kindOf(x);
  if (k !== F32 && k !== F64) {
    throw new TypeError(`${fn}: ${arg} must be a Float32Array or Float64Array, got ${kindName(x)}`);
  }
  return k;
}

/** Checks that `x` is a Float32Array, Float64Array or Int32Array; returns its kind tag. */
export function checkNum(fn: string, arg: string, x: unknown): number {
  const k = kindOf(x);
  if (k === 0) {
    throw new TypeError(`${fn}: ${arg} must be a Float32Array, Float64Array or Int32Array, got ${kindName(x)}`);
  }
  return k;
}

/** Checks that `x` is a buffer of exactly kind `k` (the type shared by one call). */
export function checkSame(fn: string, arg: string, x: unknown, k: number, firstArg: string): void {
  if (kindOf(x) !== k) {
    const want = k === F32 ? 'Float32Array' : k === F64 ? 'Float64Array' : 'Int32Array';
    throw new TypeError(`${fn}: ${arg} must be a ${want} like ${firstArg}, got ${kindName(x)}`);
  }
}

/** Checks that `x` is an Int32Array (indices, strides, shapes). */
export function checkInt32(fn: string, arg: string, x: unknown): void {
  if (!(x instanceof Int32Array)) {
    throw new TypeError(`${fn}: ${arg} must be an Int32Array, got ${kindName(x)}`);
  }
}

/** Checks a size: a finite integer in [0, max] (max defaults to 2^31 − 1). */
export function checkSize(fn: string, arg: string, n: unknown, max: number = MAX_SIZE): void {
  if (typeof n !== 'number') throw new TypeError(`${fn}: ${arg} must be a number, got ${kindName(n)}`);
  // NaN fails every comparison, so test the good range positively.
  if (!(n >= 0 && n <= max && Math.floor(n) === n)) {
    throw new RangeError(`${fn}: ${arg} must be an integer in [0, ${max}], got ${n}`);
  }
}

/** Checks a scalar parameter is a number (any value, NaN included). */
export function checkNumber(fn: string, arg: string, v: unknown): void {
  if (typeof v !== 'number') throw new TypeError(`${fn}: ${arg} must be a number, got ${kindName(v)}`);
}

/** Checks a flag is a boolean. */
export function checkBool(fn: string, arg: string, v: unknown): void {
  if (typeof v !== 'boolean') throw new TypeError(`${fn}: ${arg} must be a boolean, got ${kindName(v)}`);
}

/**
 * The error for a buffer shorter than its sizes require. Call sites test the
 * length themselves and build `why` only when throwing, so success allocates nothing.
 */
export function tooShort(fn: string, arg: string, x: Num, need: number, why: string): RangeError {
  return new RangeError(`${fn}: ${arg} has ${x.length} elements, expected at least ${need} (${why})`);
}

/** Checks two elementwise buffers have the same length. */
export function checkEqualLen(fn: string, arg: string, x: Num, other: string, y: Num): void {
  if (x.length !== y.length) {
    throw new RangeError(`${fn}: ${arg} has ${x.length} elements but ${other} has ${y.length}; they must match`);
  }
}

/** True when the memory of `x` and `y` intersects (empty views never do). */
export function overlaps(x: Num, y: Num): boolean {
  if (x === y) return x.byteLength > 0; // in-place calls: skip the .buffer lookups
  if (x.byteLength === 0 || y.byteLength === 0) return false;
  if (x.buffer !== y.buffer) return false;
  return x.byteOffset < y.byteOffset + y.byteLength && y.byteOffset < x.byteOffset + x.byteLength;
}

/** True when `x` and `y` are exactly the same memory: same start, same length (exact aliasing). */
export function sameView(x: Num, y: Num): boolean {
  return x === y || (x.buffer === y.buffer && x.byteOffset === y.byteOffset && x.byteLength === y.byteLength);
}

/** Throws if output `out` shares any memory with input `x`. */
export function checkNoOverlap(fn: string, outArg: string, out: Num, inArg: string, x: Num): void {
  if (overlaps(out, x)) {
    throw new RangeError(`${fn}: ${outArg} overlaps ${inArg}; outputs must not share memory with inputs`);
  }
}

/**
 * Throws if `out` overlaps `x` other than by starting at exactly the same element
 * (the in-place aliasing elementwise kernels allow).
 */
export function checkAliasOrDisjoint(fn: string, outArg: string, out: Num, inArg: string, x: Num): void {
  if (overlaps(out, x) && !sameView(out, x)) {
    throw new RangeError(
      `${fn}: ${outArg} partially overlaps ${inArg}; an output may only be exactly an input or disjoint from it`,
    );
  }
}

/**
 * Elementwise unary checks: x and out of one kind (`float` → Float only), same
 * length, out exactly x or disjoint from it.
 */
export function checkUnary(fn: string, x: Num, out: Num, float: boolean): void {
  const k = float ? checkFloat(fn, 'x', x) : checkNum(fn, 'x', x);
  checkSame(fn, 'out', out, k, 'x');
  checkEqualLen(fn, 'out', out, 'x', x);
  checkAliasOrDisjoint(fn, 'out', out, 'x', x);
}

/**
 * Elementwise backward checks: saved, dy, dx Float of one kind and one length;
 * dx may be exactly dy or exactly the saved value (elementwise, so harmless).
 */
export function checkUnaryBackward(fn: string, savedArg: string, saved: Float, dy: Float, dx: Float): void {
  const k = checkFloat(fn, savedArg, saved);
  checkSame(fn, 'dy', dy, k, savedArg);
  checkSame(fn, 'dx', dx, k, savedArg);
  checkEqualLen(fn, 'dy', dy, savedArg, saved);
  checkEqualLen(fn, 'dx', dx, savedArg, saved);
  checkAliasOrDisjoint(fn, 'dx', dx, 'dy', dy);
  checkAliasOrDisjoint(fn, 'dx', dx, savedArg, saved);
}

/**
 * Checks the [outer, dim, inner] sizes and that `x` covers outer·dim·inner;
 * returns that element count.
 */
export function checkAxisInput(fn: string, xArg: string, x: Num, outer: number, dim: number, inner: number): number {
  checkSize(fn, 'outer', outer);
  checkSize(fn, 'dim', dim);
  checkSize(fn, 'inner', inner);
  const n = outer * dim * inner;
  if (x.length < n) throw tooShort(fn, xArg, x, n, `outer=${outer}, dim=${dim}, inner=${inner}`);
  return n;
}

/** Lowest and highest element offsets found by the last checkReach (no allocation per call). */
export const reach = { lo: 0, hi: 0 };

/**
 * Strided-view reach check: with `offset` and per-dim `strides` over `shape`
 * (already known non-empty), every reachable element must lie in [0, x.length).
 * Leaves the reached range in `reach`.
 */
export function checkReach(
  fn: string, arg: string, x: Num, offset: number, strides: Int32Array, shape: Int32Array, stridesArg: string,
): void {
  let lo = offset;
  let hi = offset;
  for (let d = 0; d < shape.length; d++) {
    const span = (shape[d] - 1) * strides[d];
    if (span < 0) lo += span;
    else hi += span;
  }
  reach.lo = lo;
  reach.hi = hi;
  if (lo < 0) {
    throw new RangeError(`${fn}: ${stridesArg} reach element ${lo} of ${arg}, below 0`);
  }
  if (hi >= x.length) {
    throw new RangeError(
      `${fn}: ${arg} has ${x.length} elements, expected at least ${hi + 1} (reachable through ${stridesArg})`,
    );
  }
}

/** Checks a shape (Int32Array, at most MAX_DIMS entries, each ≥ 0) and returns its element count. */
export function checkShape(fn: string, shape: Int32Array): number {
  checkInt32(fn, 'shape', shape);
  if (shape.length > MAX_DIMS) {
    throw new RangeError(`${fn}: shape has ${shape.length} dims; at most ${MAX_DIMS} are supported`);
  }
  let total = 1;
  for (let d = 0; d < shape.length; d++) {
    const s = shape[d];
    if (s < 0) throw new RangeError(`${fn}: shape[${d}] is ${s}; sizes must be non-negative`);
    total *= s;
  }
  return total;
}

/** Checks a strides array: Int32Array with one entry per dim of `shape`. */
export function checkStrides(fn: string, arg: string, strides: Int32Array, shape: Int32Array): void {
  checkInt32(fn, arg, strides);
  if (strides.length !== shape.length) {
    throw new RangeError(`${fn}: ${arg} has ${strides.length} entries but shape has ${shape.length} dims`);
  }
}

/** Checks every index in idx[0..count) lies in [0, limit), before any write. */
export function checkIndices(fn: string, idx: Int32Array, count: number, limit: number): void {
  for (let j = 0; j < count; j++) {
    const v = idx[j];
    // Unsigned compare folds v < 0 and v >= limit into one test.
    if (v >>> 0 >= limit) {
      throw new RangeError(`${fn}: index ${v} at idx[${j}] is out of range for a dim of size ${limit}`);
    }
  }
}
