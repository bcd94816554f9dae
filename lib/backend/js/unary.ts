/**
 * Elementwise unary kernels and their backward forms. Inputs and outputs have
 * equal lengths; `out` may be exactly `x` (and `dx` exactly `dy`) for in-place ops.
 * Float32 results are computed in float64 and rounded once on store. Arguments
 * are checked by the wrapper compiled from the kernel table (see ./index.ts).
 */
import type { Float, Num, UnaryBackwardKernel, UnaryKernel } from '../kernels';
import { cpow } from './binary';

/** out = −x (Num; int32 −(−2^31) wraps to −2^31 as in C). */
export const neg: UnaryKernel<Num> = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = -x[i];
};

/** out = |x| (Num; int32 |−2^31| wraps to −2^31 as in C). */
export const abs: UnaryKernel<Num> = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
};

/** out = sign(x) ∈ {−1, 0, 1}; NaN stays NaN (Num). */
export const sign: UnaryKernel<Num> = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? 1 : v < 0 ? -1 : v; // v is ±0 or NaN here
  }
};

/** out = e^x. */
export const exp: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
};

/** out = ln x (NaN below 0, −∞ at 0). */
export const log: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
};

/** out = √x (NaN below 0). */
export const sqrt: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
};

/** out = sin x. */
export const sin: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.sin(x[i]);
};

/** out = cos x. */
export const cos: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.cos(x[i]);
};

/** out = max(x, 0); NaN propagates (it fails v < 0), as torch.relu. */
export const relu: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v < 0 ? 0 : v;
  }
};

/** out = 1 / (1 + e^−x). */
export const sigmoid: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
};

/** out = tanh x. */
export const tanh: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
};

/** out = x > 20 ? x : log(1 + eˣ) (PyTorch's threshold: above it the result is x to working precision). */
export const softplus: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 20 ? v : Math.log1p(Math.exp(v));
  }
};

/** out = x > 0 ? x : slope·x. */
export function leakyRelu(x: Float, slope: number, out: Float): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : slope * v;
  }
}

/** out = x ** p for a scalar p, with C pow semantics. */
export function powScalar(x: Float, p: number, out: Float): void {
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
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
};

/** dx = dy · y · (1 − y), saved = forward output y. */
export const sigmoidBackward: UnaryBackwardKernel = (y, dy, dx) => {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    dx[i] = dy[i] * v * (1 - v);
  }
};

/** dx = x > 20 ? dy : dy · eˣ / (eˣ + 1), saved = forward input x (PyTorch's formula). */
export const softplusBackward: UnaryBackwardKernel = (x, dy, dx) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v > 20) {
      dx[i] = dy[i];
    } else {
      const z = Math.exp(v);
      dx[i] = dy[i] * z / (z + 1);
    }
  }
};

/** dx = dy · (1 − y²), saved = forward output y. */
export const tanhBackward: UnaryBackwardKernel = (y, dy, dx) => {
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    dx[i] = dy[i] * (1 - v * v);
  }
};

/** dx = dy · (x > 0 ? 1 : slope), saved = forward input x. */
export function leakyReluBackward(x: Float, slope: number, dy: Float, dx: Float): void {
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : dy[i] * slope;
}

/** dx = lo ≤ x ≤ hi ? dy : 0, saved = forward input x (PyTorch's clamp gradient). */
export function clampBackward(x: Float, lo: number, hi: number, dy: Float, dx: Float): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    dx[i] = v >= lo && v <= hi ? dy[i] : 0;
  }
}
