/** Seeded random numbers and buffers for the harness's random valid calls. */
import type { Num } from '../kernels';
import type { Rng, Values } from './spec';
import { stridesOf } from '../../shape';

/** Row-major strides of `dims`. */
export const contiguousStrides = stridesOf;

/** Element type of a random call. */
export type Dtype = 'float32' | 'float64' | 'int32';

/** mulberry32: a tiny seeded PRNG; the same seed gives the same calls everywhere. */
export function makeRng(seed: number): Rng {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** A zeroed buffer of `dtype`. */
export function alloc(dtype: Dtype, n: number): Num {
  if (dtype === 'float32') return new Float32Array(n);
  if (dtype === 'float64') return new Float64Array(n);
  return new Int32Array(n);
}

/** Values that exercise edge cases now and then (ties, zeros, sign changes). */
const SPECIAL = [0, -0, 1, -1, 0.5, 2];

/** A random buffer: floats mostly in [−2, 2), int32 in [−5, 5]; `values` narrows the range. */
export function randomBuffer(rng: Rng, dtype: Dtype, n: number, values?: Values, bound = 0): Num {
  const a = alloc(dtype, n);
  for (let i = 0; i < n; i++) {
    if (values?.kind === 'index') a[i] = rng.int(0, bound - 1);
    else if (values?.kind === 'range') a[i] = values.lo + (values.hi - values.lo) * rng.next();
    else if (dtype === 'int32') a[i] = rng.int(-5, 5);
    else a[i] = rng.chance(0.05) ? rng.pick(SPECIAL) : 4 * rng.next() - 2;
  }
  return a;
}

/** Product of `dims`. */
export const prod = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** A dim size in 0..4, mostly ≥ 1. */
export const randomDim = (rng: Rng): number => (rng.chance(0.08) ? 0 : rng.int(1, 4));
