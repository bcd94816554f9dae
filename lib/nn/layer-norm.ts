/** nn.LayerNorm: normalization over the trailing dims with a learned elementwise scale and shift. */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { full } from '../ops/creation';
import { checkNormalizedShape, layerNorm } from '../ops/layer-norm';
import { Module } from './module';
import { pyBool, pyFloat } from './repr';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

/** Options of `LayerNorm` (PyTorch's keywords). */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn `weight` (ones) and `bias` (zeros) of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the bias too (default true). */
  bias?: boolean;
  /** dtype of weight and bias (default float32). */
  dtype?: DType;
}

const LAYER_NORM = defineOptions<LayerNormOptions>('LayerNorm', { eps: true, elementwiseAffine: true, bias: true, dtype: true });

/**
 * y = (x − mean)/√(var + eps)·weight + bias over the trailing dims
 * `normalizedShape` of x (biased variance), as PyTorch's `torch.nn.LayerNorm`.
 *
 * @example
 * ```ts
 * const norm = new nn.LayerNorm(64);
 * const y = norm.forward(torch.randn(8, 10, 64));        // [8, 10, 64], each row mean 0, variance 1
 * const plain = new nn.LayerNorm([10, 64], { elementwiseAffine: false, eps: 1e-6 });
 * ```
 */
export class LayerNorm extends Module<[Tensor], Tensor> {
  /** The trailing dims normalised over. */
  readonly normalizedShape: readonly number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether weight (and bias unless `{ bias: false }`) are learned. */
  readonly elementwiseAffine: boolean;
  /** The scale (normalizedShape), or null without elementwiseAffine. */
  declare weight: Tensor | null;
  /** The shift (normalizedShape), or null. */
  declare bias: Tensor | null;

  /**
   * @param normalizedShape the trailing dims of x to normalise over (a number for the last dim alone)
   * @param options `eps` (default 1e-5), `elementwiseAffine` (default true), `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    rejectUnknownOptions(options, LAYER_NORM);
    super();
    this.normalizedShape = checkNormalizedShape(normalizedShape, 'LayerNorm');
    const { eps = 1e-5, elementwiseAffine = true, bias = true, dtype = 'float32' } = options;
    if (typeof eps !== 'number') throw new TypeError(`LayerNorm: eps must be a number, got ${readable(eps)}`);
    checkDType(dtype, 'LayerNorm');
    if (!isFloat(dtype)) throw new TypeError(`LayerNorm: dtype must be float32 or float64, got ${dtype}`);
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine === true;
    const shape = this.normalizedShape;
    this.registerParameter('weight', this.elementwiseAffine ? full(shape, 1, { dtype }) : null);
    this.registerParameter('bias', this.elementwiseAffine && bias ? full(shape, 0, { dtype }) : null);
  }

  /**
   * x [*, ...normalizedShape] → the same shape.
   *
   * @param input a float tensor whose trailing dims equal normalizedShape
   */
  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, this.weight, this.bias, this.eps);
  }

  override extraRepr(): string {
    const shape = this.normalizedShape.length === 1 ? `(${this.normalizedShape[0]},)` : `(${this.normalizedShape.join(', ')})`;
    return `${shape}, eps=${pyFloat(this.eps)}, elementwise_affine=${pyBool(this.elementwiseAffine)}`;
  }
}
