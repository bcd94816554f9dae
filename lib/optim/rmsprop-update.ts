/**
 * One RMSprop update of one parameter, in PyTorch 1.13's operation order
 * (torch/optim/rmsprop.py, _single_tensor_rmsprop), op by op or in one pass
 * of the rmspropStep kernel (same numbers).
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { k } from '../ops/util';
import { zerosLike } from '../ops/creation';
import { fuseOptimizerStep } from '../ops/fusion';
import { written } from '../ops/inplace';

/** RMSprop's per-parameter state (PyTorch's step, square_avg, momentum_buffer, grad_avg). */
export interface RMSpropState {
  /** Number of updates done so far. */
  step: number;
  /** Running average of the squared gradient. */
  squareAvg: Tensor;
  /** Momentum buffer, with momentum > 0 only. */
  momentumBuffer?: Tensor;
  /** Running average of the gradient, with centered only. */
  gradAvg?: Tensor;
}

/** The options one RMSprop update uses. */
export interface RMSpropUpdateOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** Updates `param` in place; must run under noGrad. Missing state buffers an option needs start at zero. */
export function rmspropUpdate(param: Tensor, grad: Tensor, state: RMSpropState, o: RMSpropUpdateOptions): void {
  state.step += 1;
  if (o.momentum > 0) state.momentumBuffer ??= zerosLike(param);
  if (o.centered) state.gradAvg ??= zerosLike(param);
  if (fuseOptimizerStep()) {
    const { squareAvg, gradAvg, momentumBuffer } = state;
    const buf = o.momentum > 0 ? momentumBuffer ?? null : null;
    const avg = o.centered ? gradAvg ?? null : null;
    const moments = [squareAvg, ...(avg === null ? [] : [avg]), ...(buf === null ? [] : [buf])];
    written(param, 'rmspropStep', [param, grad, ...moments, o.lr], () => k().rmspropStep(param.data as Float,
      grad.data as Float, squareAvg.data as Float, avg === null ? null : avg.data as Float,
      buf === null ? null : buf.data as Float, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum, o.centered, o.maximize),
    moments);
    return;
  }
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  // addcmul_(g, g, value): PyTorch's kernel computes value·g·g left to right.
  state.squareAvg.mul_(o.alpha).add_(g.mul(1 - o.alpha).mul(g));
  let avg: Tensor;
  if (o.centered && state.gradAvg !== undefined) {
    const m = state.gradAvg.mul_(o.alpha).add_(g, 1 - o.alpha);
    avg = state.squareAvg.sub(m.mul(m)).sqrt();
  } else {
    avg = state.squareAvg.sqrt();
  }
  avg.add_(o.eps);
  if (o.momentum > 0 && state.momentumBuffer !== undefined) {
    state.momentumBuffer.mul_(o.momentum).add_(g.div(avg));
    param.add_(state.momentumBuffer, -o.lr);
  } else {
    // addcdiv_(g, avg, value=−lr): PyTorch's kernel computes (value·g)/avg.
    param.add_(g.mul(-o.lr).div(avg));
  }
}
