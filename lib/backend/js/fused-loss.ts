/**
 * Fused losses for the js backend: softmax + cross-entropy over int32 class
 * targets and sigmoid + binary cross-entropy on logits, and binary
 * cross-entropy on probabilities, forward and backward, one pass per sample.
 * Same semantics as native/fused_loss.h.
 */
import { REDUCTION_NONE, REDUCTION_MEAN, REDUCTION_SUM, type Float } from '../kernels';
import { checkFloat, checkInt32, checkNoOverlap, checkSame, checkSize } from './validate';
import { checkCode, checkDisjoint, checkInt32Scalar, checkLen, checkOptional, rounder } from './fused-args';

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

/** Checks shared by softmaxCrossEntropy and its backward; returns the buffers' kind. */
function checkCe(fn: string, x: Float, t: Int32Array, w: Float | null, n: number, c: number,
  ignoreIndex: number, reduction: number): number {
  const k = checkFloat(fn, 'logits', x);
  checkInt32(fn, 'targets', t);
  checkSize(fn, 'n', n);
  checkSize(fn, 'c', c);
  checkInt32Scalar(fn, 'ignoreIndex', ignoreIndex);
  checkCode(fn, 'reduction', reduction, REDUCTION_SUM);
  checkLen(fn, 'logits', x, n * c, `n=${n}, c=${c}`);
  checkLen(fn, 'targets', t, n, `n=${n}`);
  checkOptional(fn, 'weight', w, k, 'logits', c, `c=${c}`);
  for (let r = 0; r < n; r++) {
    const v = t[r];
    if (v !== ignoreIndex && (v < 0 || v >= c)) {
      throw new RangeError(`${fn}: target ${v} at targets[${r}] is out of range for ${c} classes`);
    }
  }
  return k;
}

/** Output length: n per-sample values, or 1 reduced value. */
const reducedLength = (reduction: number, n: number): number => (reduction === REDUCTION_NONE ? n : 1);

/** Cross-entropy of logits against class targets (see Kernels.softmaxCrossEntropy). */
export function softmaxCrossEntropy(x: Float, t: Int32Array, w: Float | null, n: number, c: number,
  ignoreIndex: number, reduction: number, out: Float): void {
  const fn = 'softmaxCrossEntropy';
  const k = checkCe(fn, x, t, w, n, c, ignoreIndex, reduction);
  checkSame(fn, 'out', out, k, 'logits');
  checkLen(fn, 'out', out, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkDisjoint(fn, 'out', out, [['logits', x], ['targets', t], ['weight', w]]);
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
  const fn = 'softmaxCrossEntropyBackward';
  const k = checkCe(fn, x, t, w, n, c, ignoreIndex, reduction);
  checkSame(fn, 'dout', dout, k, 'logits');
  checkSame(fn, 'dlogits', dx, k, 'logits');
  checkLen(fn, 'dout', dout, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkLen(fn, 'dlogits', dx, n * c, `n=${n}, c=${c}`);
  checkDisjoint(fn, 'dlogits', dx, [['logits', x], ['targets', t], ['dout', dout], ['weight', w]]);
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

/** Checks shared by sigmoidBCE and its backward; returns the buffers' kind. */
function checkBce(fn: string, x: Float, y: Float, pw: Float | null, n: number, p: number, reduction: number): number {
  const k = checkFloat(fn, 'x', x);
  checkSame(fn, 'y', y, k, 'x');
  checkSize(fn, 'n', n);
  checkSize(fn, 'p', p);
  checkCode(fn, 'reduction', reduction, REDUCTION_SUM);
  checkLen(fn, 'x', x, n, `n=${n}`);
  checkLen(fn, 'y', y, n, `n=${n}`);
  if (pw !== null) {
    checkSame(fn, 'posWeight', pw, k, 'x');
    if (p === 0 || n % p !== 0) {
      throw new RangeError(`${fn}: p (${p}) must be positive and divide n (${n}) when posWeight is given`);
    }
    checkLen(fn, 'posWeight', pw, p, `p=${p}`);
  }
  return k;
}

/** log(1 + e^z) as m + log(e^−m + e^(z−m)), m = max(z, 0) (PyTorch 1.13's form), rounded as stored. */
function softplus(z: number, r: (v: number) => number): number {
  const m = z > 0 ? z : 0;
  return r(m + r(Math.log(r(r(Math.exp(-m)) + r(Math.exp(r(z - m)))))));
}

/** Binary cross-entropy with logits (see Kernels.sigmoidBCE). */
export function sigmoidBCE(x: Float, y: Float, pw: Float | null, n: number, p: number, reduction: number, out: Float): void {
  const fn = 'sigmoidBCE';
  const k = checkBce(fn, x, y, pw, n, p, reduction);
  checkSame(fn, 'out', out, k, 'x');
  checkLen(fn, 'out', out, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkDisjoint(fn, 'out', out, [['x', x], ['y', y], ['posWeight', pw]]);
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
  const fn = 'sigmoidBCEBackward';
  const k = checkBce(fn, x, y, pw, n, p, reduction);
  checkSame(fn, 'dout', dout, k, 'x');
  checkSame(fn, 'dx', dx, k, 'x');
  checkLen(fn, 'dout', dout, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkLen(fn, 'dx', dx, n, `n=${n}`);
  checkNoOverlap(fn, 'dx', dx, 'dout', dout);
  checkDisjoint(fn, 'dx', dx, [['x', x], ['y', y], ['posWeight', pw]]);
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
  const fn = 'bce';
  const k = checkBce(fn, x, y, null, n, 0, reduction);
  checkSame(fn, 'out', out, k, 'x');
  checkLen(fn, 'out', out, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkDisjoint(fn, 'out', out, [['x', x], ['y', y]]);
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
  const fn = 'bceBackward';
  const k = checkBce(fn, x, y, null, n, 0, reduction);
  checkSame(fn, 'dout', dout, k, 'x');
  checkSame(fn, 'dx', dx, k, 'x');
  checkLen(fn, 'dout', dout, reducedLength(reduction, n), `reduction=${reduction}, n=${n}`);
  checkLen(fn, 'dx', dx, n, `n=${n}`);
  checkNoOverlap(fn, 'dx', dx, 'dout', dout);
  checkDisjoint(fn, 'dx', dx, [['x', x], ['y', y]]);
  const r = rounder(x);
  const g = reduction === REDUCTION_MEAN ? r(dout[0] / n) : reduction === REDUCTION_SUM ? dout[0] : 0;
  for (let i = 0; i < n; i++) {
    const gi = reduction === REDUCTION_NONE ? dout[i] : g;
    const den = r(r(1 - x[i]) * x[i]);
    dx[i] = r(gi * r(x[i] - y[i])) / (den > BCE_EPSILON || den !== den ? den : BCE_EPSILON);
  }
}
