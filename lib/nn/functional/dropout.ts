/** Functional dropout (inverted): built from rand, ge and mul so autograd needs nothing new. */
import type { Tensor } from '../../tensor';
import type { Generator } from '../../random';
import { isFloat } from '../../dtype';
import { checkTensor } from '../../ops/util';
import { rand } from '../../ops/creation';
import { div, mul } from '../../ops/arith';
import { ge } from '../../ops/compare';
import { defineOptions, rejectUnknownOptions } from '../../options';
import { readable } from '../../options';

/** Options of `dropout`. */
export interface DropoutFnOptions {
  /** Generator for the mask (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

/** Checks a dropout probability. */
export function checkDropoutP(where: string, p: number): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new RangeError(`${where}: dropout probability has to be between 0 and 1, but got ${readable(p)}`);
  }
  return p;
}

const DROPOUT_FN = defineOptions<DropoutFnOptions>('dropout', { generator: true });

/**
 * When `training`, zeroes each element with probability `p` and scales the
 * survivors by 1/(1−p), so the expected value is unchanged; otherwise returns
 * `input` itself (as PyTorch does for p = 0 too).
 *
 * @param input the input tensor
 * @param p the probability of zeroing an element (default 0.5)
 * @param training false returns `input` unchanged (default true)
 * @param options `generator` for the mask
 * @returns the input with elements zeroed and the rest scaled by 1/(1−p)
 */
export function dropout(input: Tensor, p = 0.5, training = true, options: DropoutFnOptions = {}): Tensor {
  rejectUnknownOptions(options, DROPOUT_FN);
  checkTensor(input, 'dropout');
  checkDropoutP('dropout', p);
  if (!training || p === 0 || input.numel() === 0) return input;
  if (!isFloat(input.dtype)) throw new TypeError(`dropout: input must be a float tensor, got ${input.dtype}`);
  if (p === 1) return mul(input, 0);
  // keep ~ Bernoulli(1 − p): u ≥ p for u uniform in [0, 1).
  const keep = ge(rand(input.shape, { dtype: input.dtype, generator: options.generator }), p);
  return mul(input, div(keep, 1 - p));
}
