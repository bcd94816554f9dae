/**
 * Elementwise unary kernels and their backward forms. Inputs and outputs have
 * equal lengths; `out` may be exactly `x` (and `dx` exactly `dy`) for in-place ops.
 * Float32 results are computed in float64 and rounded once on store. Arguments
 * are checked by the wrapper compiled from the kernel table (see ./index.ts).
 */
import type { Float, Num, UnaryBackwardKernel, UnaryKernel } from '../kernels';
import { cpow } from './binary';
import { erf } from './erf';

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

// ---- GELU, SiLU, ELU, softplus with beta (PyTorch's formulas) ----------------------

const SQRT1_2 = Math.SQRT1_2;
/** 1/√(2π): the standard normal density at 0. */
const INV_SQRT_2PI = 0.3989422804014327;
/** √(2/π), the tanh approximation's scale. */
const GELU_BETA = 0.7978845608028654;
const GELU_KAPPA = 0.044715;

/** out = x · Φ(x) = x/2 · (1 + erf(x/√2)). */
export const gelu: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v * 0.5 * (1 + erf(v * SQRT1_2));
  }
};

/** dx = dy · (Φ(x) + x·φ(x)), saved = forward input x. */
export const geluBackward: UnaryBackwardKernel = (x, dy, dx) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const cdf = 0.5 * (1 + erf(v * SQRT1_2));
    const pdf = Math.exp(-0.5 * v * v) * INV_SQRT_2PI;
    dx[i] = dy[i] * (cdf + v * pdf);
  }
};

/** out = x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export const geluTanh: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + Math.tanh(GELU_BETA * (v + GELU_KAPPA * v * v * v)));
  }
};

/** dx = dy · ((1 + t)/2 + x/2 · (1 − t²) · √(2/π)·(1 + 3·0.044715·x²)), t = tanh(inner), saved = forward input x. */
export const geluTanhBackward: UnaryBackwardKernel = (x, dy, dx) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const v2 = v * v;
    const t = Math.tanh(GELU_BETA * (v + GELU_KAPPA * v2 * v));
    const right = 0.5 * v * (1 - t * t) * GELU_BETA * (1 + 3 * GELU_KAPPA * v2);
    dx[i] = dy[i] * (0.5 * (1 + t) + right);
  }
};

/** out = x · σ(x) = x / (1 + e^−x). */
export const silu: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v / (1 + Math.exp(-v));
  }
};

/** dx = dy · σ(x) · (1 + x·(1 − σ(x))), saved = forward input x. */
export const siluBackward: UnaryBackwardKernel = (x, dy, dx) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const s = 1 / (1 + Math.exp(-v));
    dx[i] = dy[i] * s * (1 + v * (1 - s));
  }
};

/** out = x > 0 ? x : alpha · (eˣ − 1). */
export function elu(x: Float, alpha: number, out: Float): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : alpha * Math.expm1(v);
  }
}

/** dx = x > 0 ? dy : dy · alpha · eˣ, saved = forward input x. */
export function eluBackward(x: Float, alpha: number, dy: Float, dx: Float): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    dx[i] = v > 0 ? dy[i] : dy[i] * alpha * Math.exp(v);
  }
}

/** out = x·beta > threshold ? x : log(1 + e^(x·beta)) / beta. */
export function softplusScaled(x: Float, beta: number, threshold: number, out: Float): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    const bx = v * beta;
    out[i] = bx > threshold ? v : Math.log1p(Math.exp(bx)) / beta;
  }
}

/** dx = x·beta > threshold ? dy : dy · z / (z + 1), z = e^(x·beta), saved = forward input x. */
export function softplusScaledBackward(x: Float, beta: number, threshold: number, dy: Float, dx: Float): void {
  for (let i = 0; i < x.length; i++) {
    const bx = x[i] * beta;
    if (bx > threshold) {
      dx[i] = dy[i];
    } else {
      const z = Math.exp(bx);
      dx[i] = dy[i] * z / (z + 1);
    }
  }
}
