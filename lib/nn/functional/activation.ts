/** Functional activations that take PyTorch's keyword parameters: gelu, elu, softplus. */
import type { Tensor } from '../../tensor';
import { elu as eluOp, gelu as geluOp, softplus as softplusOp, type GeluApproximate } from '../../ops/activation';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of `gelu`. */
export interface GeluOptions {
  /** 'none' (default): x·Φ(x) with erf; 'tanh': PyTorch's tanh approximation. */
  approximate?: GeluApproximate;
}

/** Options of `elu`. */
export interface EluOptions {
  /** The negative side's saturation value −alpha (default 1). */
  alpha?: number;
}

/** Options of `softplus`. */
export interface SoftplusOptions {
  /** Sharpness: log(1 + e^(beta·x)) / beta (default 1). */
  beta?: number;
  /** Above beta·x > threshold the result is x itself (default 20). */
  threshold?: number;
}

const GELU = defineOptions<GeluOptions>('gelu', { approximate: true });
const ELU = defineOptions<EluOptions>('elu', { alpha: true });
const SOFTPLUS = defineOptions<SoftplusOptions>('softplus', { beta: true, threshold: true });

/**
 * GELU: x·Φ(x), Φ the standard normal CDF (PyTorch's `F.gelu`).
 *
 * @param input a float tensor
 * @param options `approximate`: 'none' (exact, with erf; the default) or 'tanh'
 */
export function gelu(input: Tensor, options: GeluOptions = {}): Tensor {
  rejectUnknownOptions(options, GELU);
  return geluOp(input, options.approximate ?? 'none');
}

/**
 * ELU: x > 0 ? x : alpha·(eˣ − 1) (PyTorch's `F.elu`).
 *
 * @param input a float tensor
 * @param options `alpha`: the scale of the negative part (default 1)
 */
export function elu(input: Tensor, options: EluOptions = {}): Tensor {
  rejectUnknownOptions(options, ELU);
  return eluOp(input, options.alpha ?? 1);
}

/**
 * Softplus: log(1 + e^(beta·x)) / beta, x where beta·x > threshold (PyTorch's `F.softplus`).
 *
 * @param input a float tensor
 * @param options `beta`: the sharpness (default 1); `threshold`: above beta·x this the result is x (default 20)
 */
export function softplus(input: Tensor, options: SoftplusOptions = {}): Tensor {
  rejectUnknownOptions(options, SOFTPLUS);
  return softplusOp(input, options.beta ?? 1, options.threshold ?? 20);
}
