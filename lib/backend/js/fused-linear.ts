/**
 * Fused linear layer for the js backend: y = act(x·wᵀ + b) as one GEMM plus one
 * pass (bias, activation), and its backward as one pass (activation gradient,
 * bias-gradient column sums) plus two GEMMs. Same semantics as native/fused_linear.h;
 * float32 intermediates are rounded as the unfused kernels store them.
 */
import { ACT_LEAKY_RELU, ACT_NONE, ACT_RELU, ACT_SIGMOID, ACT_TANH, type Float } from '../kernels';
import { gemm } from './gemm';
import { rounder } from './rounding';

/** act(z) with the unary kernels' formulas (NaN passes through relu as there). */
function activate(act: number, z: number, slope: number): number {
  switch (act) {
    case ACT_RELU: return z < 0 ? 0 : z;
    case ACT_LEAKY_RELU: return z > 0 ? z : slope * z;
    case ACT_SIGMOID: return 1 / (1 + Math.exp(-z));
    case ACT_TANH: return Math.tanh(z);
    default: return z;
  }
}

/** dy · act'(z) read from the output y (relu/leaky: y > 0 ⇔ z > 0 for slope ≥ 0). */
function activateGrad(act: number, y: number, dy: number, slope: number): number {
  switch (act) {
    case ACT_RELU: return y > 0 ? dy : 0;
    case ACT_LEAKY_RELU: return y > 0 ? dy : dy * slope;
    case ACT_SIGMOID: return dy * y * (1 - y);
    case ACT_TANH: return dy * (1 - y * y);
    default: return dy;
  }
}

/** y [rows, out] = act(x [rows, in] · w [out, in]ᵀ + b [out]) (see Kernels.linearForward). */
export function linearForward(x: Float, w: Float, b: Float | null, rows: number, inF: number, outF: number,
  act: number, slope: number, y: Float): void {
  if (rows === 0 || outF === 0) return;
  gemm(false, true, rows, outF, inF, 1, x, w, 0, y);
  const r = rounder(y);
  for (let i = 0; i < rows; i++) {
    const o = i * outF;
    if (b !== null) for (let j = 0; j < outF; j++) y[o + j] = activate(act, r(y[o + j] + b[j]), slope);
    else if (act !== ACT_NONE) for (let j = 0; j < outF; j++) y[o + j] = activate(act, y[o + j], slope);
  }
}

/** Column-sum accumulator for db, reused across calls. */
let acc = new Float64Array(64);

/** Backward of linearForward (see Kernels.linearBackward). */
export function linearBackward(x: Float, w: Float, y: Float, dy: Float, rows: number, inF: number, outF: number,
  act: number, slope: number, dz: Float, dx: Float | null, dw: Float | null, db: Float | null): void {
  if (db !== null) {
    if (acc.length < outF) acc = new Float64Array(Math.max(outF, acc.length * 2));
    acc.fill(0, 0, outF);
  }
  for (let i = 0; i < rows; i++) {
    const o = i * outF;
    for (let j = 0; j < outF; j++) dz[o + j] = activateGrad(act, y[o + j], dy[o + j], slope);
    if (db !== null) for (let j = 0; j < outF; j++) acc[j] += dz[o + j];
  }
  if (db !== null) for (let j = 0; j < outF; j++) db[j] = acc[j];
  if (dx !== null && dx.length > 0) gemm(false, false, rows, inF, outF, 1, dz, w, 0, dx);
  if (dw !== null && dw.length > 0) gemm(true, false, outF, inF, rows, 1, dz, x, 0, dw);
}
