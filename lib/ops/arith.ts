/** Broadcasting arithmetic: add, sub, mul, div, pow, neg, maximum, minimum. */
import { defineMethods, type Tensor, type Operand } from '../tensor';
import { isFloat } from '../dtype';
import { runBinary, sumTo } from './broadcast';
import { checkOperand, checkTensor, empty, k, operand, record, resultType } from './util';
import { eq, gt } from './compare';
import { readable } from '../options';

function prepare(op: string, a: Operand, b: Operand, floatOnly = false): [Tensor, Tensor] {
  if (typeof a !== 'number') checkTensor(a, op, 'input');
  checkOperand(b, op, 'other');
  if (typeof a === 'number' && typeof b === 'number') throw new TypeError(`${op}: at least one argument must be a Tensor`);
  let dtype = resultType(a, b);
  if (floatOnly && !isFloat(dtype)) dtype = 'float32';
  return [operand(a, dtype, op, 'input'), operand(b, dtype, op, 'other')];
}

function checkAlpha(op: string, alpha: number): void {
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number, got ${readable(alpha)}`);
}

/**
 * input + alpha · other, with broadcasting and type promotion.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @param alpha multiplies `other` first (default 1)
 * @returns a new tensor
 */
export function add(input: Operand, other: Operand, alpha = 1): Tensor {
  checkAlpha('add', alpha);
  const [a, b0] = prepare('add', input, other);
  const b = alpha === 1 ? b0 : mul(b0, alpha);
  const out = runBinary('add', 'add', a, b);
  return record(out, 'AddBackward', [a, b], (g) => [sumTo(g, a.shape), sumTo(g, b.shape)]);
}

/**
 * input − alpha · other.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @param alpha multiplies `other` first (default 1)
 * @returns a new tensor
 */
export function sub(input: Operand, other: Operand, alpha = 1): Tensor {
  checkAlpha('sub', alpha);
  const [a, b0] = prepare('sub', input, other);
  const b = alpha === 1 ? b0 : mul(b0, alpha);
  const out = runBinary('sub', 'sub', a, b);
  return record(out, 'SubBackward', [a, b], (g) => [sumTo(g, a.shape), b.requiresGrad ? sumTo(neg(g), b.shape) : null]);
}

/**
 * Elementwise product.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns a new tensor
 */
export function mul(input: Operand, other: Operand): Tensor {
  const [a, b] = prepare('mul', input, other);
  const out = runBinary('mul', 'mul', a, b);
  return record(out, 'MulBackward', [a, b], (g) => [
    a.requiresGrad ? sumTo(mul(g, b), a.shape) : null,
    b.requiresGrad ? sumTo(mul(g, a), b.shape) : null,
  ], [a, b]);
}

/**
 * True division; integer inputs are divided in float32, as PyTorch does.
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns a new tensor
 */
export function div(input: Operand, other: Operand): Tensor {
  const [a, b] = prepare('div', input, other, true);
  const out = runBinary('div', 'div', a, b);
  return record(out, 'DivBackward', [a, b], (g) => [
    a.requiresGrad ? sumTo(div(g, b), a.shape) : null,
    b.requiresGrad ? sumTo(neg(div(mul(g, out), b)), b.shape) : null,
  ], [a, b, out]);
}

/**
 * input ** exponent (float; int32 inputs compute in float32).
 *
 * @param input a tensor or a number
 * @param exponent a tensor (broadcast against `input`) or a number
 * @returns a new tensor
 */
export function pow(input: Operand, exponent: Operand): Tensor {
  if (typeof input !== 'number' && typeof exponent === 'number') return powScalar(input, exponent);
  const [a, b] = prepare('pow', input, exponent, true);
  const out = runBinary('pow', 'pow', a, b);
  return record(out, 'PowBackward', [a, b], (g) => [
    a.requiresGrad ? sumTo(mul(g, mul(b, pow(a, sub(b, 1)))), a.shape) : null,
    b.requiresGrad ? sumTo(mul(g, mul(out, a.log())), b.shape) : null,
  ], [a, b, out]);
}

function powScalar(input: Tensor, p: number): Tensor {
  checkTensor(input, 'pow');
  const x = isFloat(input.dtype) ? input : input.to('float32');
  const out = empty(x.shape, x.dtype, 'pow');
  k().powScalar(x.data as Float32Array, p, out.data as Float32Array);
  return record(out, 'PowBackward', [x], (g) => [p === 0 ? mul(g, 0) : mul(g, mul(powScalar(x, p - 1), p))], [x]);
}

/**
 * −input.
 *
 * @param input the input tensor
 * @returns a new tensor
 */
export function neg(input: Tensor): Tensor {
  checkTensor(input, 'neg');
  const out = empty(input.shape, input.dtype, 'neg');
  k().neg(input.data, out.data);
  return record(out, 'NegBackward', [input], (g) => [neg(g)]);
}

/**
 * Elementwise max or min of `input` and `other`, named `name` (the kernel's
 * name too); `aWins` says where `a` is taken. Ties split the gradient evenly, as PyTorch.
 */
function extremum(name: 'maximum' | 'minimum', backward: string, input: Operand, other: Operand,
  aWins: (a: Tensor, b: Tensor) => Tensor): Tensor {
  const [a, b] = prepare(name, input, other);
  const out = runBinary(name, name, a, b);
  return record(out, backward, [a, b], (g) => {
    // Share of the gradient that goes to `a`: 1 where a wins, ½ on ties.
    const share = add(aWins(a, b), mul(eq(a, b), 0.5));
    return [sumTo(mul(g, share), a.shape), sumTo(mul(g, sub(1, share)), b.shape)];
  }, [a, b]);
}

/**
 * Elementwise max (ties split the gradient evenly, as PyTorch).
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns a new tensor
 */
export function maximum(input: Operand, other: Operand): Tensor {
  return extremum('maximum', 'MaximumBackward', input, other, gt);
}

/**
 * Elementwise min (ties split the gradient evenly, as PyTorch).
 *
 * @param input a tensor or a number
 * @param other a tensor (broadcast against `input`) or a number
 * @returns a new tensor
 */
export function minimum(input: Operand, other: Operand): Tensor {
  return extremum('minimum', 'MinimumBackward', input, other, (a, b) => gt(b, a));
}

declare module '../tensor' {
  interface Tensor {
    /**
     * this + alpha · other, broadcasting (PyTorch's `Tensor.add`; `+` in Python).
     *
     * @param other a tensor or a number
     * @param alpha multiplies `other` first (default 1)
     * @returns a new tensor
     *
     * @example
     * ```ts
     * const c = a.add(b);          // a + b
     * const d = a.add(b, -0.5);    // a - 0.5 * b
     * a.add(1);                    // a + 1
     * ```
     */
    add(other: Operand, alpha?: number): Tensor;
    /**
     * this − alpha · other.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @param alpha multiplies `other` first (default 1)
     * @returns a new tensor
     */
    sub(other: Operand, alpha?: number): Tensor;
    /**
     * Elementwise product.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns a new tensor
     */
    mul(other: Operand): Tensor;
    /**
     * True division (int32 inputs give float32).
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns a new tensor
     */
    div(other: Operand): Tensor;
    /**
     * Elementwise power.
     *
     * @param exponent a tensor (broadcast against this one) or a number
     * @returns a new tensor
     */
    pow(exponent: Operand): Tensor;
    /** −this. */
    neg(): Tensor;
    /**
     * Elementwise max with another tensor.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns a new tensor
     */
    maximum(other: Operand): Tensor;
    /**
     * Elementwise min with another tensor.
     *
     * @param other a tensor (broadcast against this one) or a number
     * @returns a new tensor
     */
    minimum(other: Operand): Tensor;
  }
}

defineMethods({
  add(other, alpha) { return add(this, other, alpha); },
  sub(other, alpha) { return sub(this, other, alpha); },
  mul(other) { return mul(this, other); },
  div(other) { return div(this, other); },
  pow(exponent) { return pow(this, exponent); },
  neg() { return neg(this); },
  maximum(other) { return maximum(this, other); },
  minimum(other) { return minimum(this, other); },
});
