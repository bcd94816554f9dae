/**
 * One SGD update of one parameter, in PyTorch 1.13's operation order
 * (torch/optim/sgd.py, _single_tensor_sgd). Kept apart from the class so a
 * fused single-pass kernel can replace it without touching the bookkeeping.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { empty, k } from '../ops/util';
import { fuseOptimizerStep } from '../ops/fusion';
import { written } from '../ops/inplace';

/** SGD's per-parameter state: the momentum buffer, null until the first step with momentum. */
export interface SGDState {
  /** The momentum buffer (PyTorch's `momentum_buffer`), null until a step with momentum. */
  momentumBuffer: Tensor | null;
}

/** The options one SGD update uses. */
export interface SGDUpdateOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/**
 * The same update in one pass of the sgdStep kernel (same numbers). Param and
 * momentum buffer are written in place, as by the in-place ops (`written`).
 */
function sgdUpdateFused(param: Tensor, grad: Tensor, state: SGDState, o: SGDUpdateOptions): void {
  let buf: Tensor | null = null;
  let first = false;
  if (o.momentum !== 0) {
    buf = state.momentumBuffer;
    if (buf === null) {
      buf = empty(param.shape, param.dtype);
      state.momentumBuffer = buf;
      first = true;
    }
  }
  const bufData = buf === null ? null : buf.data as Float;
  const moments = buf === null ? [] : [buf];
  written(param, 'sgdStep', [param, grad, ...moments, o.lr], () => k().sgdStep(param.data as Float, grad.data as Float,
    bufData, o.lr, o.momentum, o.dampening, o.weightDecay, o.nesterov, o.maximize, first), moments);
}

/** Updates `param` in place from `grad`; must run under noGrad. */
export function sgdUpdate(param: Tensor, grad: Tensor, state: SGDState, o: SGDUpdateOptions): void {
  if (fuseOptimizerStep()) {
    sgdUpdateFused(param, grad, state, o);
    return;
  }
  let g = o.maximize ? grad.neg() : grad;
  if (o.weightDecay !== 0) g = g.add(param, o.weightDecay);
  if (o.momentum !== 0) {
    let buf = state.momentumBuffer;
    if (buf === null) {
      // The first step copies the gradient: no dampening applied (PyTorch's rule).
      buf = g.clone();
      state.momentumBuffer = buf;
    } else {
      buf.mul_(o.momentum).add_(g, 1 - o.dampening);
    }
    g = o.nesterov ? g.add(buf, o.momentum) : buf;
  }
  param.add_(g, -o.lr);
}
