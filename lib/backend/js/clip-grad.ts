/** The reduction of clipGradNorm_ for the js backend (see native/clip_grad.h). */
import type { Float } from '../kernels';

/** Σ |x_i|^p in float64, or max |x_i| for p = Infinity (see Kernels.powerSum). */
export function powerSum(x: Float, p: number): number {
  let acc = 0;
  if (p === Infinity) {
    for (let i = 0; i < x.length; i++) {
      const a = Math.abs(x[i]);
      if (a > acc || a !== a) acc = a;
      if (acc !== acc) break;
    }
  } else if (p === 2) {
    for (let i = 0; i < x.length; i++) acc += x[i] * x[i];
  } else if (p === 1) {
    for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]);
  } else {
    for (let i = 0; i < x.length; i++) acc += Math.abs(x[i]) ** p;
  }
  return acc;
}
