/**
 * One Adam / AdamW update of one parameter, in PyTorch 1.13's operation order
 * (torch/optim/adam.py and adamw.py, the single-tensor path). Kept apart from
 * the classes so a fused single-pass kernel can replace it.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { empty, k } from '../ops/util';
import { fuseOptimizerStep } from '../ops/fusion';
import { written } from '../ops/inplace';

/** Adam's per-parameter state. */
export interface AdamState {
  /** Number of updates done so far (t). */
  step: number;
  /** First moment m (exp_avg). */
  expAvg: Tensor;
  /** Second moment v (exp_avg_sq). */
  expAvgSq: Tensor;
  /** Running max of v, with amsgrad only. */
  maxExpAvgSq?: Tensor;
}

/** The options one Adam update uses. */
export interface AdamUpdateOptions {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

/**
 * Updates `param` in place; must run under noGrad. `decoupled` selects AdamW's
 * θ ← θ(1 − lr·λ) instead of Adam's L2 term g ← g + λθ.
 */
export function adamUpdate(param: Tensor, grad: Tensor, state: AdamState, o: AdamUpdateOptions, decoupled: boolean): void {
  if (fuseOptimizerStep()) {
    adamUpdateFused(param, grad, state, o, decoupled);
    return;
  }
  let g = o.maximize ? grad.neg() : grad;
  state.step += 1;
  if (decoupled) param.mul_(1 - o.lr * o.weightDecay);
  else if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  const [beta1, beta2] = o.betas;
  state.expAvg.mul_(beta1).add_(g, 1 - beta1);
  // addcmul_(g, g, value): PyTorch's kernel computes value·g·g left to right.
  state.expAvgSq.mul_(beta2).add_(g.mul(1 - beta2).mul(g));
  const biasCorrection1 = 1 - beta1 ** state.step;
  const biasCorrection2 = 1 - beta2 ** state.step;
  const stepSize = o.lr / biasCorrection1;
  let v = state.expAvgSq;
  if (o.amsgrad) {
    const vMax = state.maxExpAvgSq ?? v.detach().clone().zero_();
    state.maxExpAvgSq = vMax.copy_(vMax.maximum(v));
    v = vMax;
  }
  const denom = v.sqrt().div(Math.sqrt(biasCorrection2)).add_(o.eps);
  // addcdiv_(m, denom, value=−stepSize): PyTorch's kernel computes (value·m)/denom.
  param.add_(state.expAvg.mul(-stepSize).div(denom));
}

/**
 * The same update in one pass of the adamStep kernel (same numbers). Param and
 * moment buffers are written in place, as by the in-place ops (`written`).
 */
function adamUpdateFused(param: Tensor, grad: Tensor, state: AdamState, o: AdamUpdateOptions, decoupled: boolean): void {
  state.step += 1;
  let vMax: Tensor | null = null;
  if (o.amsgrad) {
    vMax = state.maxExpAvgSq ?? empty(param.shape, param.dtype);
    state.maxExpAvgSq = vMax;
  }
  const [beta1, beta2] = o.betas;
  const moments = vMax === null ? [state.expAvg, state.expAvgSq] : [state.expAvg, state.expAvgSq, vMax];
  written(param, 'adamStep', [param, grad, ...moments, o.lr], () => k().adamStep(param.data as Float, grad.data as Float,
    state.expAvg.data as Float, state.expAvgSq.data as Float, vMax === null ? null : vMax.data as Float, state.step, o.lr,
    beta1, beta2, o.eps, o.weightDecay, decoupled, o.amsgrad, o.maximize), moments);
}
