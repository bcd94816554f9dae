/**
 * One-pass optimizer updates for the js backend (see native/optim_step.h): the
 * op-by-op order of lib/optim/{sgd,adam}-update.ts, with every intermediate and
 * every scalar rounded to the buffers' type as those ops store them, so the
 * numbers are the same.
 */
import type { Float } from '../kernels';
import { rounder } from './rounding';

/** One SGD update in place (see Kernels.sgdStep). */
export function sgdStep(param: Float, grad: Float, buf: Float | null, lr: number, momentum: number, dampening: number,
  weightDecay: number, nesterov: boolean, maximize: boolean, firstStep: boolean): void {
  const r = rounder(param);
  const wd = r(weightDecay);
  const mom = r(momentum);
  const keep = r(1 - dampening);
  const negLr = r(-lr);
  const decay = weightDecay !== 0;
  const useMomentum = momentum !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decay) g = r(g + r(param[i] * wd));
    if (useMomentum && buf !== null) {
      const b = firstStep ? g : r(r(buf[i] * mom) + r(g * keep));
      buf[i] = b;
      g = nesterov ? r(g + r(b * mom)) : b;
    }
    param[i] = param[i] + r(g * negLr);
  }
}

/** One Adam / AdamW update in place (see Kernels.adamStep). */
export function adamStep(param: Float, grad: Float, m: Float, v: Float, vmax: Float | null, step: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay: number,
  decoupled: boolean, amsgrad: boolean, maximize: boolean): void {
  const r = rounder(param);
  const decayMul = r(1 - lr * weightDecay);
  const wd = r(weightDecay);
  const b1 = r(beta1);
  const omb1 = r(1 - beta1);
  const b2 = r(beta2);
  const omb2 = r(1 - beta2);
  const bc1 = 1 - beta1 ** step;
  const bc2 = 1 - beta2 ** step;
  const negStep = r(-(lr / bc1));
  const sqrtBc2 = r(Math.sqrt(bc2));
  const epsT = r(eps);
  const l2 = !decoupled && weightDecay !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    let p = param[i];
    if (decoupled) p = r(p * decayMul);
    if (l2) g = r(g + r(p * wd));
    const mi = r(r(m[i] * b1) + r(g * omb1));
    const vi = r(r(v[i] * b2) + r(r(g * omb2) * g));
    m[i] = mi;
    v[i] = vi;
    let vv = vi;
    if (amsgrad && vmax !== null) {
      const a = vmax[i];
      vv = a > vi || a !== a ? a : vi;
      vmax[i] = vv;
    }
    const denom = r(r(r(Math.sqrt(vv)) / sqrtBc2) + epsT);
    param[i] = p + r(r(mi * negStep) / denom);
  }
}
