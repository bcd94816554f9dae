/** Elementwise math: exp, log, sqrt, abs, sign, sin, cos, clamp — forward and backward. */
import { defineMethods, type Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { checkTensor, empty, k, record } from './util';
import { clampBounds, floatUnary } from './elementwise';
import { div, mul, neg } from './arith';

/**
 * e^x.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function exp(input: Tensor): Tensor {
  const [x, y] = floatUnary('exp', input);
  return record(y, 'ExpBackward', [x], (g) => [mul(g, y)], [y]);
}

/**
 * Natural logarithm.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function log(input: Tensor): Tensor {
  const [x, y] = floatUnary('log', input);
  return record(y, 'LogBackward', [x], (g) => [div(g, x)], [x]);
}

/**
 * Square root.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function sqrt(input: Tensor): Tensor {
  const [x, y] = floatUnary('sqrt', input);
  return record(y, 'SqrtBackward', [x], (g) => [div(g, mul(y, 2))], [y]);
}

/**
 * Sine.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function sin(input: Tensor): Tensor {
  const [x, y] = floatUnary('sin', input);
  return record(y, 'SinBackward', [x], (g) => [mul(g, cos(x))], [x]);
}

/**
 * Cosine.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function cos(input: Tensor): Tensor {
  const [x, y] = floatUnary('cos', input);
  return record(y, 'CosBackward', [x], (g) => [neg(mul(g, sin(x)))], [x]);
}

/**
 * |x| (keeps int32). Gradient sign(x), 0 at 0 as PyTorch.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function abs(input: Tensor): Tensor {
  checkTensor(input, 'abs');
  const y = empty(input.shape, input.dtype, 'abs');
  k().abs(input.data, y.data);
  return record(y, 'AbsBackward', [input], (g) => [mul(g, sign(input))], [input]);
}

/**
 * −1, 0 or 1 (keeps int32). Its gradient is zero.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function sign(input: Tensor): Tensor {
  checkTensor(input, 'sign');
  const y = empty(input.shape, input.dtype, 'sign');
  k().sign(input.data, y.data);
  return record(y, 'SignBackward', [input], (g) => [mul(g, 0)]);
}

/**
 * Clamps into [min, max]; null/undefined leaves a side open. Gradient 1 inside the closed range.
 *
 * @param input the input tensor
 * @param min the lower bound (null: none)
 * @param max the upper bound (null: none)
 * @returns a new tensor
 */
export function clamp(input: Tensor, min?: number | null, max?: number | null): Tensor {
  checkTensor(input, 'clamp');
  const [lo, hi] = clampBounds(min, max);
  const y = empty(input.shape, input.dtype, 'clamp');
  k().clamp(input.data, lo, hi, y.data);
  return record(y, 'ClampBackward', [input], (g) => {
    const dx = empty(g.shape, g.dtype);
    k().clampBackward(input.data as Float, lo, hi, g.data as Float, dx.data as Float);
    return [dx];
  }, [input]);
}

declare module '../tensor' {
  interface Tensor {
    /** Elementwise eˣ. */
    exp(): Tensor;
    /** Elementwise natural logarithm. */
    log(): Tensor;
    /** Elementwise square root. */
    sqrt(): Tensor;
    /** Elementwise absolute value. */
    abs(): Tensor;
    /** Elementwise sign (−1, 0 or 1). */
    sign(): Tensor;
    /** Elementwise sine. */
    sin(): Tensor;
    /** Elementwise cosine. */
    cos(): Tensor;
    /**
     * Clamps into [min, max]; either bound may be null/undefined.
     *
     * @param min the lower bound (null: none)
     * @param max the upper bound (null: none)
     * @returns a new tensor
     */
    clamp(min?: number | null, max?: number | null): Tensor;
  }
}

defineMethods({
  exp() { return exp(this); },
  log() { return log(this); },
  sqrt() { return sqrt(this); },
  abs() { return abs(this); },
  sign() { return sign(this); },
  sin() { return sin(this); },
  cos() { return cos(this); },
  clamp(min, max) { return clamp(this, min, max); },
});
