/**
 * Random valid calls of the seqops kernels that reach their special cases:
 * conditions with zeros (false) and NaN (true), sort lanes with ties and NaN.
 */
import type { Num } from '../kernels';
import type { Rng } from './spec';

/** Rewrites each element of `buf` (by name) now and then: to 0 or NaN (float only), or to a small integer. */
function sprinkle(v: Record<string, unknown>, name: string, rng: Rng, zeros: boolean): void {
  const buf = v[name] as Num;
  const float = !(buf instanceof Int32Array);
  for (let i = 0; i < buf.length; i++) {
    if (float && rng.chance(0.1)) buf[i] = NaN;
    else if (rng.chance(0.4)) buf[i] = zeros ? 0 : rng.int(-2, 2);
  }
}

/** where: a condition with zeros (picks b) and NaN (nonzero, picks a). */
export function fixCondition(v: Record<string, unknown>, rng: Rng): void {
  sprinkle(v, 'cond', rng, true);
}

/** sort: equal values (stability) and NaN (sorts above every number). */
export function fixSortLanes(v: Record<string, unknown>, rng: Rng): void {
  sprinkle(v, 'x', rng, false);
}
