/**
 * Softmax family over the middle axis of [outer, dim, inner]. The maximum is
 * subtracted before exponentiating (so inputs like 1000 do not overflow) and
 * sums accumulate in float64.
 */
import type { AxisBackwardKernel, AxisKernel, Float } from '../kernels';

/** Largest element of the lane starting at j with step `inner` (NaN-blind; NaN poisons the sum anyway). */
function laneMax(x: Float, j: number, dim: number, inner: number): number {
  let m = -Infinity;
  for (let d = 0; d < dim; d++, j += inner) {
    const v = x[j];
    if (v > m) m = v;
  }
  return m;
}

/** Σ exp(x − m) over a lane. */
function laneExpSum(x: Float, j: number, dim: number, inner: number, m: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++, j += inner) s += Math.exp(x[j] - m);
  return s;
}

/** out = exp(x − max) / Σ exp(x − max) along the axis. */
export const softmax: AxisKernel = (x, outer, dim, inner, out) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j0 = o * dim * inner + i;
      const m = laneMax(x, j0, dim, inner);
      const s = laneExpSum(x, j0, dim, inner, m);
      for (let d = 0, j = j0; d < dim; d++, j += inner) out[j] = Math.exp(x[j] - m) / s;
    }
  }
};

/** out = x − max − log Σ exp(x − max) along the axis. */
export const logSoftmax: AxisKernel = (x, outer, dim, inner, out) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j0 = o * dim * inner + i;
      const m = laneMax(x, j0, dim, inner);
      // (x − m) − log s, never x − (m + log s): adding the max back rounds away
      // digits on the scale of m's last place.
      const ls = Math.log(laneExpSum(x, j0, dim, inner, m));
      for (let d = 0, j = j0; d < dim; d++, j += inner) out[j] = (x[j] - m) - ls;
    }
  }
};

/** dx = y · (dy − Σ dy·y) along the axis, y = softmax output. */
export const softmaxBackward: AxisBackwardKernel = (y, dy, outer, dim, inner, dx) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j0 = o * dim * inner + i;
      let s = 0;
      for (let d = 0, j = j0; d < dim; d++, j += inner) s += dy[j] * y[j];
      for (let d = 0, j = j0; d < dim; d++, j += inner) dx[j] = y[j] * (dy[j] - s);
    }
  }
};

/** dx = dy − exp(y) · Σ dy along the axis, y = log-softmax output. */
export const logSoftmaxBackward: AxisBackwardKernel = (y, dy, outer, dim, inner, dx) => {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const j0 = o * dim * inner + i;
      let s = 0;
      for (let d = 0, j = j0; d < dim; d++, j += inner) s += dy[j];
      for (let d = 0, j = j0; d < dim; d++, j += inner) dx[j] = dy[j] - Math.exp(y[j]) * s;
    }
  }
};
