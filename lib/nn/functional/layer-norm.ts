/** Functional layer normalization (PyTorch's `F.layer_norm`). */
import type { Tensor } from '../../tensor';
import { layerNorm as layerNormOp } from '../../ops/layer-norm';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of `layerNorm`. */
export interface LayerNormFnOptions {
  /** Scale, of shape normalizedShape (default none). */
  weight?: Tensor | null;
  /** Shift, of shape normalizedShape (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

const LAYER_NORM = defineOptions<LayerNormFnOptions>('layerNorm', { weight: true, bias: true, eps: true });

/**
 * Normalises `input` over its trailing dims `normalizedShape` to zero mean and
 * unit (biased) variance, then applies `weight` and `bias` elementwise.
 * PyTorch's `F.layer_norm`.
 *
 * @param input a float tensor whose trailing dims equal normalizedShape
 * @param normalizedShape the trailing dims to normalise over (a number for the last dim alone)
 * @param options `weight` and `bias` of shape normalizedShape (default none) and `eps` (default 1e-5)
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options: LayerNormFnOptions = {}): Tensor {
  rejectUnknownOptions(options, LAYER_NORM);
  const { weight = null, bias = null, eps = 1e-5 } = options;
  return layerNormOp(input, normalizedShape, weight, bias, eps);
}
