/**
 * One SGD update of one parameter, in PyTorch 1.13's operation order
 * (torch/optim/sgd.py, _single_tensor_sgd). Kept apart from the class so a
 * fused single-pass kernel can replace it without touching the bookkeeping.
 */
import type { Tensor } from '../tensor';

/** SGD's per-parameter state: the momentum buffer, null until the first step with momentum. */
export interface SGDState {
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

/** Updates `param` in place from `grad`; must run under noGrad. */
export function sgdUpdate(param: Tensor, grad: Tensor, state: SGDState, o: SGDUpdateOptions): void {
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
