/** Functional batch normalization: F.batchNorm (PyTorch's F.batch_norm). */
import type { Tensor } from '../../tensor';
import { defineOptions, readable, rejectUnknownOptions } from '../../options';
import { batchNorm as batchNormOp } from '../../ops/batch-norm';

/** Options of `batchNorm` (PyTorch's keywords). */
export interface BatchNormOptions {
  /** Per-channel scale γ (default none: 1). */
  weight?: Tensor | null;
  /** Per-channel shift β (default none: 0). */
  bias?: Tensor | null;
  /** Normalise with the batch statistics and update the running ones (default false). */
  training?: boolean;
  /** Weight of the new statistic in the running average (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

const BATCH_NORM = defineOptions<BatchNormOptions>('batchNorm', { weight: true, bias: true, training: true, momentum: true, eps: true });

/**
 * Batch normalization of `input` (N, C, ...) per channel. Training uses the
 * batch's mean and biased variance and updates `runningMean` / `runningVar`
 * in place (either may be null) with `momentum` and the unbiased variance;
 * eval normalises with the running statistics. PyTorch's `F.batch_norm`.
 *
 * @param input (N, C) or (N, C, ...), a float tensor
 * @param runningMean the [C] running mean, updated in place in training; or null
 * @param runningVar the [C] running variance, updated in place in training; or null
 * @param options `weight` and `bias` ([C] or null), `training` (default false), `momentum` (default 0.1) and `eps` (default 1e-5)
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  rejectUnknownOptions(options, BATCH_NORM);
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (typeof training !== 'boolean') throw new TypeError(`batchNorm: training must be a boolean, got ${readable(training)}`);
  return batchNormOp(input, runningMean ?? null, runningVar ?? null, { weight, bias, training, momentum, eps });
}
