/**
 * Fused losses for the js backend: softmax + cross-entropy over int32 class
 * targets and sigmoid + binary cross-entropy on logits, and binary
 * cross-entropy on probabilities, forward and backward, one pass per sample.
 * Same semantics as native/fused_loss.h.
 */
import { REDUCTION_NONE, REDUCTION_MEAN, REDUCTION_SUM, type Float } from '../kernels';
import { rounder } from './rounding';

/** Row statistics of the last rowLogSumExp call (no allocation per row). */
const row = { max: 0, logSum: 0 };

/** Max and log Σ exp(x − max) of the c logits starting at x[o]. */
function rowLogSumExp(x: Float, o: number, c: number): void {
  let m = -Infinity;
  for (let j = 0; j < c; j++) if (x[o + j] > m) m = x[o + j];
  let s = 0;
  for (let j = 0; j < c; j++) s += Math.exp(x[o + j] - m);
  row.max = m;
  row.logSum = Math.log(s);
}

/** Cross-entropy of logits against class targets (see Kernels.softmaxCrossEntropy). */
export function softmaxCrossEntropy(x: Float, t: Int32Array, w: Float | null, n: number, c: number,
  ignoreIndex: number, reduction: number, out: Float): void {
  const r = rounder(x);
  let total = 0;
  let wsum = 0;
  for (let i = 0; i < n; i++) {
    let loss = 0;
    const y = t[i];
    if (y !== ignoreIndex) {
      rowLogSumExp(x, i * c, c);
      const logp = r((x[i * c + y] - row.max) - row.logSum);
      const wt = w !== null ? w[y] : 1;
      loss = r(-(logp * wt));
      wsum += wt;
    }
    if (reduction === REDUCTION_NONE) out[i] = loss;
    else total += loss;
  }
  if (reduction === REDUCTION_MEAN) out[0] = r(total) / r(wsum);
  else if (reduction === REDUCTION_SUM) out[0] = total;
}

/** dlogits = (softmax − onehot) · w[t] · g (see Kernels.softmaxCrossEntropyBackward). */
export function softmaxCrossEntropyBackward(x: Float, t: Int32Array, w: Float | null, n: number, c: number,
  ignoreIndex: number, reduction: number, dout: Float, dx: Float): void {
  const r = rounder(x);
  let g = 0;
  if (reduction === REDUCTION_MEAN) {
    let wsum = 0;
    for (let i = 0; i < n; i++) if (t[i] !== ignoreIndex) wsum += w !== null ? w[t[i]] : 1;
    g = r(dout[0] / r(wsum));
  } else if (reduction === REDUCTION_SUM) {
    g = dout[0];
  }
  for (let i = 0; i < n; i++) {
    const o = i * c;
    const y = t[i];
    if (y === ignoreIndex) {
      dx.fill(0, o, o + c);
      continue;
    }
    const s = r((reduction === REDUCTION_NONE ? dout[i] : g) * (w !== null ? w[y] : 1));
    rowLogSumExp(x, o, c);
    for (let j = 0; j < c; j++) {
      const p = r(Math.exp((x[o + j] - row.max) - row.logSum));
      dx[o + j] = (p - (j === y ? 1 : 0)) * s;
    }
  }
}

/** log(1 + e^z) as m + log(e^−m + e^(z−m)), m = max(z, 0) (PyTorch 1.13's form), rounded as stored. */
function softplus(z: number, r: (v: number) => number): number {
  const m = z > 0 ? z : 0;
  return r(m + r(Math.log(r(r(Math.exp(-m)) + r(Math.exp(r(z - m)))))));
}

/** Binary cross-entropy with logits (see Kernels.sigmoidBCE). */
export function sigmoidBCE(x: Float, y: Float, pw: Float | null, n: number, p: number, reduction: number, out: Float): void {
  const r = rounder(x);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const sp = softplus(-x[i], r);
    const base = r(r(1 - y[i]) * x[i]);
    const loss = pw !== null ? r(base + r(r(r(pw[i % p] - 1) * y[i] + 1) * sp)) : r(base + sp);
    if (reduction === REDUCTION_NONE) out[i] = loss;
    else total += loss;
  }
  if (reduction === REDUCTION_MEAN) out[0] = total / n;
  else if (reduction === REDUCTION_SUM) out[0] = total;
}

/** Gradient of sigmoidBCE with respect to the logits (see Kernels.sigmoidBCEBackward). */
export function sigmoidBCEBackward(x: Float, y: Float, pw: Float | null, n: number, p: number, reduction: number,
  dout: Float, dx: Float): void {
  const r = rounder(x);
  const g = reduction === REDUCTION_MEAN ? r(dout[0] / n) : reduction === REDUCTION_SUM ? dout[0] : 0;
  for (let i = 0; i < n; i++) {
    const gi = reduction === REDUCTION_NONE ? dout[i] : g;
    const s = r(1 / (1 + Math.exp(-x[i])));
    if (pw !== null) {
      const tw = r(pw[i % p] * y[i]);
      dx[i] = r(r(r(r(tw + 1) - y[i]) * s) - tw) * gi;
    } else {
      dx[i] = r(s - y[i]) * gi;
    }
  }
}

/** PyTorch's floor on x(1 − x) in the BCE gradient: a C++ float 1e-12, in float64 too. */
const BCE_EPSILON = Math.fround(1e-12);

/** Binary cross-entropy of probabilities (see Kernels.bce); −1, or the first bad index with `out` untouched. */
export function bce(x: Float, y: Float, n: number, reduction: number, out: Float): number {
  for (let i = 0; i < n; i++) if (!(x[i] >= 0 && x[i] <= 1)) return i; // before any write, as native
  const r = rounder(x);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const logX = Math.max(r(Math.log(xi)), -100);
    const log1mX = Math.max(r(Math.log(r(1 - xi))), -100);
    const loss = -r(r(y[i] * logX) + r(r(1 - y[i]) * log1mX));
    if (reduction === REDUCTION_NONE) out[i] = loss;
    else total += loss;
  }
  if (reduction === REDUCTION_MEAN) out[0] = total / n;
  else if (reduction === REDUCTION_SUM) out[0] = total;
  return -1;
}

/** Gradient of bce with respect to the probabilities (see Kernels.bceBackward). */
export function bceBackward(x: Float, y: Float, n: number, reduction: number, dout: Float, dx: Float): void {
  const r = rounder(x);
  const g = reduction === REDUCTION_MEAN ? r(dout[0] / n) : reduction === REDUCTION_SUM ? dout[0] : 0;
  for (let i = 0; i < n; i++) {
    const gi = reduction === REDUCTION_NONE ? dout[i] : g;
    const den = r(r(1 - x[i]) * x[i]);
    dx[i] = r(gi * r(x[i] - y[i])) / (den > BCE_EPSILON || den !== den ? den : BCE_EPSILON);
  }
}
