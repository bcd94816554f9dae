/** Argument checks shared by the fused js kernels (mirroring native/fused_*.cc and optim_step.cc). */
import type { Float, Num } from '../kernels';
import { checkNoOverlap, checkNumber, checkSame, checkSize, tooShort } from './validate';

/** An optional buffer: null means absent; otherwise it must be a buffer of kind `k` with ≥ need elements. */
export function checkOptional(fn: string, arg: string, x: Float | null, k: number, firstArg: string, need: number, why: string): void {
  if (x === null) return;
  checkSame(fn, arg, x, k, firstArg);
  if (x.length < need) throw tooShort(fn, arg, x, need, why);
}

/** Checks `x` is at least `need` elements long. */
export function checkLen(fn: string, arg: string, x: Num, need: number, why: string): void {
  if (x.length < need) throw tooShort(fn, arg, x, need, why);
}

/** Throws unless `out` (when present) is disjoint from every buffer in `others` (nulls skipped). */
export function checkDisjoint(fn: string, outArg: string, out: Num | null, others: [string, Num | null][]): void {
  if (out === null) return;
  for (const [name, x] of others) if (x !== null) checkNoOverlap(fn, outArg, out, name, x);
}

/** An int32 scalar (ignoreIndex): TypeError if not a number, RangeError unless a 32-bit integer. */
export function checkInt32Scalar(fn: string, arg: string, v: unknown): void {
  checkNumber(fn, arg, v);
  const n = v as number;
  if (!(n >= -2147483648 && n <= 2147483647 && Math.trunc(n) === n)) {
    throw new RangeError(`${fn}: ${arg} must be a 32-bit integer, got ${n}`);
  }
}

/** A small code in [0, max] (act, reduction). */
export function checkCode(fn: string, arg: string, v: unknown, max: number): void {
  checkSize(fn, arg, v, max);
}

/** Rounding to the buffers' element type: Math.fround for float32, identity for float64. */
export function rounder(x: Float): (v: number) => number {
  return x instanceof Float32Array ? Math.fround : identity;
}

function identity(v: number): number {
  return v;
}
