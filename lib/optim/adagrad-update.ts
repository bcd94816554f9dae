/**
 * One Adagrad update of one parameter, in PyTorch 1.13's operation order
 * (torch/optim/adagrad.py, _single_tensor_adagrad), op by op or in one pass
 * of the adagradStep kernel (same numbers).
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { k } from '../ops/util';
import { fuseOptimizerStep } from '../ops/fusion';
import { written } from '../ops/inplace';

/** Adagrad's per-parameter state (PyTorch's step and sum). */
export interface AdagradState {
  /** Number of updates done so far. */
  step: number;
  /** Sum of the squared gradients, from initialAccumulatorValue. */
  sum: Tensor;
}

/** The options one Adagrad update uses. */
export interface AdagradUpdateOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/** Updates `param` in place; must run under noGrad. */
export function adagradUpdate(param: Tensor, grad: Tensor, state: AdagradState, o: AdagradUpdateOptions): void {
  state.step += 1;
  const { sum, step } = state;
  if (fuseOptimizerStep()) {
    written(param, 'adagradStep', [param, grad, sum, o.lr], () => k().adagradStep(param.data as Float,
      grad.data as Float, sum.data as Float, step, o.lr, o.lrDecay, o.eps, o.weightDecay, o.maximize), [sum]);
    return;
  }
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  const clr = o.lr / (1 + (step - 1) * o.lrDecay);
  sum.add_(g.mul(g));
  const std = sum.sqrt().add_(o.eps);
  // addcdiv_(g, std, value=−clr): PyTorch's kernel computes (value·g)/std.
  param.add_(g.mul(-clr).div(std));
}
