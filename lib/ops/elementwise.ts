/** Helpers of the elementwise ops (unary.ts, activation.ts) that are not ops themselves. */
import type { Tensor } from '../tensor';
import type { Float, Kernels, UnaryBackwardKernel, UnaryKernel } from '../backend/kernels';
import { isFloat } from '../dtype';
import { checkTensor, empty, k, record } from './util';
import { to } from './convert';
import { readable } from '../options';
import type { GeluApproximate } from './activation';

/** The Kernels members that map a float array to a float array of the same length. */
type FloatUnary = { [K in keyof Kernels]: Kernels[K] extends UnaryKernel ? K : never }[keyof Kernels];

/** Runs a float-only unary kernel; int32 inputs compute in float32, as PyTorch does. */
export function floatUnary(name: FloatUnary, input: Tensor): [Tensor, Tensor] {
  checkTensor(input, name);
  const x = isFloat(input.dtype) ? input : to(input, 'float32');
  const out = empty(x.shape, x.dtype, name);
  (k()[name] as UnaryKernel)(x.data as Float, out.data as Float);
  return [x, out];
}

type UnaryBackward = { [K in keyof Kernels]: Kernels[K] extends UnaryBackwardKernel ? K : never }[keyof Kernels];

/**
 * A float elementwise op whose gradient is one backward kernel dx = f(saved, dy):
 * the forward through `floatUnary`, the tape node `node` beside it; `saves`
 * says whether that kernel reads the forward input or the output.
 */
export function unaryOp(name: FloatUnary, input: Tensor, node: string, backward: UnaryBackward, saves: 'input' | 'output'): Tensor {
  return elementwiseOp(name, input, node, (x, out) => (k()[name] as UnaryKernel)(x, out),
    (s, dy, dx) => (k()[backward] as UnaryBackwardKernel)(s, dy, dx), saves);
}

/**
 * unaryOp for kernels that take scalar parameters too (leakyRelu's slope,
 * elu's alpha): `forward` and `backward` call them with the parameters bound.
 * int32 inputs compute in float32, as PyTorch does.
 */
export function elementwiseOp(
  name: string, input: Tensor, node: string, forward: UnaryKernel, backward: UnaryBackwardKernel, saves: 'input' | 'output',
): Tensor {
  checkTensor(input, name);
  const x = isFloat(input.dtype) ? input : to(input, 'float32');
  const y = empty(x.shape, x.dtype, name);
  forward(x.data as Float, y.data as Float);
  const saved = saves === 'input' ? x : y;
  return record(y, node, [x], (g) => {
    const dx = empty(g.shape, g.dtype);
    backward(saved.data as Float, g.data as Float, dx.data as Float);
    return [dx];
  }, [saved]);
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

/** Returns `approximate` if it is 'none' or 'tanh', else throws a TypeError naming `op`. */
export function checkApproximate(approximate: unknown, op: string): GeluApproximate {
  if (approximate === 'none' || approximate === 'tanh') return approximate;
  throw new TypeError(`${op}: approximate must be 'none' or 'tanh', got ${readable(approximate)}`);
}

/** Throws a TypeError naming `op` and the parameter unless every value is a number. */
export function checkNumbers(op: string, values: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(values)) {
    if (typeof v !== 'number') throw new TypeError(`${op}: ${name} must be a number, got ${readable(v)}`);
  }
}
