/**
 * One-pass RMSprop and Adagrad updates for the js backend (see
 * native/rmsprop_adagrad.h): the op-by-op order of
 * lib/optim/{rmsprop,adagrad}-update.ts, every intermediate and scalar rounded
 * to the buffers' type as those ops store them, so the numbers are the same.
 */
import type { Float } from '../kernels';
import { rounder } from './rounding';

/** One RMSprop update in place (see Kernels.rmspropStep). */
export function rmspropStep(param: Float, grad: Float, squareAvg: Float, gradAvg: Float | null, buf: Float | null,
  lr: number, alpha: number, eps: number, weightDecay: number, momentum: number, centered: boolean, maximize: boolean): void {
  const r = rounder(param);
  const a = r(alpha);
  const oma = r(1 - alpha);
  const epsT = r(eps);
  const wd = r(weightDecay);
  const mom = r(momentum);
  const negLr = r(-lr);
  const decay = weightDecay !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decay) g = r(g + r(param[i] * wd));
    const v = r(r(squareAvg[i] * a) + r(r(g * oma) * g));
    squareAvg[i] = v;
    let avg: number;
    if (centered && gradAvg !== null) {
      const m = r(r(gradAvg[i] * a) + r(g * oma));
      gradAvg[i] = m;
      avg = r(Math.sqrt(r(v - r(m * m))));
    } else {
      avg = r(Math.sqrt(v));
    }
    avg = r(avg + epsT);
    if (momentum > 0 && buf !== null) {
      const b = r(r(buf[i] * mom) + r(g / avg));
      buf[i] = b;
      param[i] = param[i] + r(b * negLr);
    } else {
      param[i] = param[i] + r(r(g * negLr) / avg);
    }
  }
}

/** One Adagrad update in place (see Kernels.adagradStep). */
export function adagradStep(param: Float, grad: Float, sum: Float, step: number, lr: number, lrDecay: number, eps: number,
  weightDecay: number, maximize: boolean): void {
  const r = rounder(param);
  const negClr = r(-(lr / (1 + (step - 1) * lrDecay)));
  const epsT = r(eps);
  const wd = r(weightDecay);
  const decay = weightDecay !== 0;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decay) g = r(g + r(param[i] * wd));
    const s = r(sum[i] + r(g * g));
    sum[i] = s;
    const std = r(r(Math.sqrt(s)) + epsT);
    param[i] = param[i] + r(r(g * negClr) / std);
  }
}
