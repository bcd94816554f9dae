/** Elementwise math: exp, log, sqrt, abs, sign, sin, cos, clamp — forward and backward. */
import type { Tensor } from '../tensor';
import type { Float, UnaryKernel } from '../backend/kernels';
import { isFloat } from '../dtype';
import { checkTensor, empty, k, record } from './util';
import { div, mul, neg } from './arith';
import { readable } from '../options';

type FloatUnary = 'exp' | 'log' | 'sqrt' | 'sin' | 'cos';

/** Runs a float-only unary kernel; int32 inputs compute in float32, as PyTorch does. */
export function floatUnary(name: FloatUnary | 'relu' | 'sigmoid' | 'tanh', input: Tensor): [Tensor, Tensor] {
  checkTensor(input, name);
  const x = isFloat(input.dtype) ? input : input.to('float32');
  const out = empty(x.shape, x.dtype, name);
  (k()[name] as UnaryKernel)(x.data as Float, out.data as Float);
  return [x, out];
}

/** e^x. */
export function exp(input: Tensor): Tensor {
  const [x, y] = floatUnary('exp', input);
  return record(y, 'ExpBackward', [x], (g) => [mul(g, y)], [y]);
}

/** Natural logarithm. */
export function log(input: Tensor): Tensor {
  const [x, y] = floatUnary('log', input);
  return record(y, 'LogBackward', [x], (g) => [div(g, x)], [x]);
}

/** Square root. */
export function sqrt(input: Tensor): Tensor {
  const [x, y] = floatUnary('sqrt', input);
  return record(y, 'SqrtBackward', [x], (g) => [div(g, mul(y, 2))], [y]);
}

/** Sine. */
export function sin(input: Tensor): Tensor {
  const [x, y] = floatUnary('sin', input);
  return record(y, 'SinBackward', [x], (g) => [mul(g, cos(x))], [x]);
}

/** Cosine. */
export function cos(input: Tensor): Tensor {
  const [x, y] = floatUnary('cos', input);
  return record(y, 'CosBackward', [x], (g) => [neg(mul(g, sin(x)))], [x]);
}

/** |x| (keeps int32). Gradient sign(x), 0 at 0 as PyTorch. */
export function abs(input: Tensor): Tensor {
  checkTensor(input, 'abs');
  const y = empty(input.shape, input.dtype, 'abs');
  k().abs(input.data, y.data);
  return record(y, 'AbsBackward', [input], (g) => [mul(g, sign(input))], [input]);
}

/** −1, 0 or 1 (keeps int32). Its gradient is zero. */
export function sign(input: Tensor): Tensor {
  checkTensor(input, 'sign');
  const y = empty(input.shape, input.dtype, 'sign');
  k().sign(input.data, y.data);
  return record(y, 'SignBackward', [input], (g) => [mul(g, 0)]);
}

/** Clamps into [min, max]; null/undefined leaves a side open. Gradient 1 inside the closed range. */
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

/** Checks clamp's bounds and turns missing ones into ±Infinity. */
export function clampBounds(min?: number | null, max?: number | null): [number, number] {
  if (min === undefined || min === null) {
    if (max === undefined || max === null) throw new TypeError('clamp: at least one of min and max must be given');
  }
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== 'number' || typeof hi !== 'number') throw new TypeError(`clamp: min and max must be numbers or null, got ${readable(lo)} and ${readable(hi)}`);
  return [lo, hi];
}
