/**
 * layerNorm(x, normalizedShape, weight, bias, eps): each slice over the
 * trailing `normalizedShape` dims normalised to zero mean and unit variance,
 * then scaled and shifted; one layerNorm kernel forward (saving each row's
 * mean and rstd), one layerNormBackward kernel for all three gradients.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { readable } from '../options';
import { checkTensor, empty, k, record } from './util';

/** Checks that `normalizedShape` is a list of non-negative integers and returns it as an array. */
export function checkNormalizedShape(normalizedShape: number | readonly number[], op: string): number[] {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${op}: normalizedShape must be a non-negative integer or an array of them, got ${readable(normalizedShape)}`);
  }
  return [...shape];
}

/**
 * (x − mean)/√(var + eps)·weight + bias over the trailing dims `normalizedShape`
 * of `input` (biased variance, PyTorch's `F.layer_norm`); weight and bias have
 * shape `normalizedShape` or are null.
 */
export function layerNorm(
  input: Tensor, normalizedShape: number | readonly number[], weight: Tensor | null = null, bias: Tensor | null = null, eps = 1e-5,
): Tensor {
  checkTensor(input, 'layerNorm');
  const shape = checkNormalizedShape(normalizedShape, 'layerNorm');
  const lead = input.ndim - shape.length;
  if (lead < 0 || shape.some((d, i) => input.shape[lead + i] !== d)) {
    throw new RangeError(`layerNorm: input ${fmtShape(input.shape)} does not end with normalizedShape ${fmtShape(shape)} (expected input of shape [*, ${shape.join(', ')}])`);
  }
  if (!isFloat(input.dtype)) throw new TypeError(`layerNorm: input must be a float tensor, got dtype ${input.dtype}`);
  for (const [name, t] of [['weight', weight], ['bias', bias]] as const) {
    if (t === null) continue;
    checkTensor(t, 'layerNorm', name);
    if (t.dtype !== input.dtype || t.ndim !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new RangeError(`layerNorm: ${name} must be ${input.dtype} ${fmtShape(shape)} (normalizedShape, input's dtype), got ${t.dtype} ${fmtShape(t.shape)}`);
    }
  }
  if (typeof eps !== 'number') throw new TypeError(`layerNorm: eps must be a number, got ${readable(eps)}`);
  const cols = shape.reduce((a, b) => a * b, 1);
  const rows = input.shape.slice(0, lead).reduce((a, b) => a * b, 1);
  const y = empty(input.shape, input.dtype, 'layerNorm');
  const mean = empty([rows], input.dtype, 'layerNorm');
  const rstd = empty([rows], input.dtype, 'layerNorm');
  const data = (t: Tensor | null): Float | null => (t === null ? null : t.data as Float);
  k().layerNorm(input.data as Float, data(weight), data(bias), rows, cols, eps, y.data as Float, mean.data as Float, rstd.data as Float);
  const inputs = [input, ...(weight === null ? [] : [weight]), ...(bias === null ? [] : [bias])];
  return record(y, 'NativeLayerNormBackward', inputs, (g) => {
    const want = (t: Tensor | null): Tensor | null => (t !== null && t.requiresGrad ? empty(t.shape, g.dtype) : null);
    const dx = want(input);
    const dw = want(weight);
    const db = want(bias);
    k().layerNormBackward(input.data as Float, data(weight), mean.data as Float, rstd.data as Float, g.data as Float, rows, cols,
      data(dx), data(dw), data(db));
    return [dx, ...(weight === null ? [] : [dw]), ...(bias === null ? [] : [db])];
  }, inputs);
}
