/**
 * Elementwise unary kernels and their backward forms. Inputs and outputs have
 * equal lengths; `out` may be exactly `x` (and `dx` exactly `dy`) for in-place ops.
 * Float32 results are computed in float64 and rounded once on store.
 */
import type { Float, Num, UnaryBackwardKernel, UnaryKernel } from '../kernels';
import { cpow } from './binary';
import { checkNumber, checkUnary, checkUnaryBackward } from './validate';

/** out = −x (Num; int32 −(−2^31) wraps to −2^31 as in C). */
export const neg: UnaryKernel<Num> = (x, out) => {
  checkUnary('neg', x, out, false);
  for (let i = 0; i < x.length; i++) out[i] = -x[i];
};

/** out = |x| (Num; int32 |−2^31| wraps to −2^31 as in C). */
export const abs: UnaryKernel<Num> = (x, out) => {
  checkUnary('abs', x, out, false);
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
};

/** out = sign(x) ∈ {−1, 0, 1}; NaN stays NaN (Num). */
export const sign: UnaryKernel<Num> = (x, out) => {
  checkUnary('sign', x, out, false);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? 1 : v < 0 ? -1 : v; // v is ±0 or NaN here
  }
};

/** out = e^x. */
export const exp: UnaryKernel = (x, out) => {
  checkUnary('exp', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
};

/** out = ln x (NaN below 0, −∞ at 0). */
export const log: UnaryKernel = (x, out) => {
  checkUnary('log', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
};

/** out = √x (NaN below 0). */
export const sqrt: UnaryKernel = (x, out) => {
  checkUnary('sqrt', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
};

/** out = sin x. */
export const sin: UnaryKernel = (x, out) => {
  checkUnary('sin', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]);
};

/** out = cos x. */
export const cos: UnaryKernel = (x, out) => {
  checkUnary('cos', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]);
};

/** out = max(x, 0); NaN propagates (it fails v < 0), as torch.relu. */
export const relu: UnaryKernel = (x, out) => {
  checkUnary('relu', x, out, true);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v < 0 ? 0 : v;
  }
};

/** out = 1 / (1 + e^−x). */
export const sigmoid: UnaryKernel = (x, out) => {
  checkUnary('sigmoid', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
};

/** out = tanh x. */
export const tanh: UnaryKernel = (x, out) => {
  checkUnary('tanh', x, out, true);
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
};

/** out = x > 0 ? x : slope·x. */
export function leakyRelu(x: Float, slope: number, out: Float): void {
  checkUnary('leakyRelu', x, out, true);
  checkNumber('leakyRelu', 'slope', slope);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : slope * v;
  }
}

/** out = x ** p for a scalar p, with C pow semantics. */
export function powScalar(x: Float, p: number, out: Float): void {
  checkUnary('powScalar', x, out, true);
  checkNumber('powScalar', 'p', p);
  if (p === 2) {
    for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i]; // exact, and the common case
    return;
  }
  for (let i = 0; i < x.length; i++) out[i] = cpow(x[i], p);
}

/**
 * out = min(max(x, lo), hi) (Num); NaN stays NaN; lo > hi gives hi, as PyTorch.
 * A NaN bound gives NaN everywhere (0 for int32), as Math.min/Math.max would.
 * For int32 the result is computed in double and stored (truncated toward 0).
 */
export function clamp(x: Num, lo: number, hi: number, out: Num): void {
  checkUnary('clamp', x, out, false);
  checkNumber('clamp', 'lo', lo);
  checkNumber('clamp', 'hi', hi);
  if (lo !== lo || hi !== hi) {
    out.fill(NaN);
    return;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const r = v < lo ? lo : v; // NaN fails both tests and passes through
    out[i] = r > hi ? hi : r;
  }
}

/** dx = x > 0 ? dy : 0, saved = forward input x. */
export const reluBackward: UnaryBackwardKernel = (x, dy, dx) => {
  checkUnaryBackward('reluBackward', 'x', x, dy, dx);
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
};

/** dx = dy · y · (1 − y), saved = forward output y. */
export const sigmoidBackward: UnaryBackwardKernel = (y, dy, dx) => {
  checkUnaryBackward('sigmoidBackward', 'y', y, dy, dx);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    dx[i] = dy[i] * v * (1 - v);
  }
};

/** dx = dy · (1 − y²), saved = forward output y. */
export const tanhBackward: UnaryBackwardKernel = (y, dy, dx) => {
  checkUnaryBackward('tanhBackward', 'y', y, dy, dx);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    dx[i] = dy[i] * (1 - v * v);
  }
};

/** dx = dy · (x > 0 ? 1 : slope), saved = forward input x. */
export function leakyReluBackward(x: Float, slope: number, dy: Float, dx: Float): void {
  checkUnaryBackward('leakyReluBackward', 'x', x, dy, dx);
  checkNumber('leakyReluBackward', 'slope', slope);
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * slope;
}

/** dx = lo ≤ x ≤ hi ? dy : 0, saved = forward input x (PyTorch's clamp gradient). */
export function clampBackward(x: Float, lo: number, hi: number, dy: Float, dx: Float): void {
  checkUnaryBackward('clampBackward', 'x', x, dy, dx);
  checkNumber('clampBackward', 'lo', lo);
  checkNumber('clampBackward', 'hi', hi);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    dx[i] = v >= lo && v <= hi ? dy[i] : 0;
  }
}
