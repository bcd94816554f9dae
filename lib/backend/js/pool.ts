/**
 * Pooling over [planes, h, w] and batch norm over [n, c, inner]: the plain
 * loops behind the kernel-table checks (which guarantee every window covers
 * an input element). Sums run in float64, as native/pool.h.
 */
import type { Float } from '../kernels';

/** First tap ≥ 0 of a window starting at t with taps d apart. */
const firstTap = (t: number, d: number): number => (t < 0 ? t + Math.ceil(-t / d) * d : t);

/** Max over each (dilated) window, with the flat index of the first maximum. */
export function maxPool2d(x: Float, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
  ph: number, pw: number, dh: number, dw: number, oh: number, ow: number, out: Float, indices: Int32Array): void {
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < oh; i++) {
      const t = i * sh - ph;
      const r0 = firstTap(t, dh);
      const r1 = Math.min(t + (kh - 1) * dh + 1, h);
      for (let j = 0; j < ow; j++) {
        const u = j * sw - pw;
        const c0 = firstTap(u, dw);
        const c1 = Math.min(u + (kw - 1) * dw + 1, w);
        let best = -Infinity;
        let at = r0 * w + c0;
        for (let r = r0; r < r1; r += dh) {
          for (let c = c0; c < c1; c += dw) {
            const v = x[base + r * w + c];
            if (v > best || v !== v) {
              best = v;
              at = r * w + c;
            }
          }
        }
        const o = (p * oh + i) * ow + j;
        out[o] = best;
        indices[o] = at;
      }
    }
  }
}

/** dx = 0, then each dy added at its recorded index. */
export function maxPool2dBackward(dy: Float, indices: Int32Array, planes: number, inSize: number, outSize: number, dx: Float): void {
  dx.fill(0, 0, planes * inSize);
  for (let p = 0; p < planes; p++) {
    for (let o = 0; o < outSize; o++) dx[p * inSize + indices[p * outSize + o]] += dy[p * outSize + o];
  }
}

/** Visits every window of an average pool: f(output index, row range, column range, divisor). */
function avgWindows(planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number,
  pw: number, oh: number, ow: number, countIncludePad: boolean, divisor: number,
  f: (o: number, base: number, r0: number, r1: number, c0: number, c1: number, div: number) => void): void {
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      const t = i * sh - ph;
      const tEnd = Math.min(t + kh, h + ph);
      const r0 = Math.max(t, 0);
      const r1 = Math.min(tEnd, h);
      for (let j = 0; j < ow; j++) {
        const u = j * sw - pw;
        const uEnd = Math.min(u + kw, w + pw);
        const c0 = Math.max(u, 0);
        const c1 = Math.min(uEnd, w);
        const div = divisor !== 0 ? divisor : countIncludePad ? (tEnd - t) * (uEnd - u) : (r1 - r0) * (c1 - c0);
        f((p * oh + i) * ow + j, p * h * w, r0, r1, c0, c1, div);
      }
    }
  }
}

/** Mean over each window with PyTorch's divisor. */
export function avgPool2d(x: Float, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
  ph: number, pw: number, oh: number, ow: number, countIncludePad: boolean, divisor: number, out: Float): void {
  avgWindows(planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad, divisor, (o, base, r0, r1, c0, c1, div) => {
    let s = 0;
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += x[base + r * w + c];
    out[o] = s / div;
  });
}

/** dx = 0, then each dy / divisor added over its window. */
export function avgPool2dBackward(dy: Float, planes: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number,
  ph: number, pw: number, oh: number, ow: number, countIncludePad: boolean, divisor: number, dx: Float): void {
  dx.fill(0, 0, planes * h * w);
  avgWindows(planes, h, w, kh, kw, sh, sw, ph, pw, oh, ow, countIncludePad, divisor, (o, base, r0, r1, c0, c1, div) => {
    const g = dy[o] / div;
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) dx[base + r * w + c] += g;
  });
}

/** Visits every adaptive window: f(output index, plane base, row range, column range). */
function adaptiveWindows(planes: number, h: number, w: number, oh: number, ow: number,
  f: (o: number, base: number, r0: number, r1: number, c0: number, c1: number) => void): void {
  for (let p = 0; p < planes; p++) {
    for (let i = 0; i < oh; i++) {
      const r0 = Math.floor((i * h) / oh);
      const r1 = Math.ceil(((i + 1) * h) / oh);
      for (let j = 0; j < ow; j++) f((p * oh + i) * ow + j, p * h * w, r0, r1, Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow));
    }
  }
}

/** Mean over PyTorch's adaptive windows. */
export function adaptiveAvgPool2d(x: Float, planes: number, h: number, w: number, oh: number, ow: number, out: Float): void {
  adaptiveWindows(planes, h, w, oh, ow, (o, base, r0, r1, c0, c1) => {
    let s = 0;
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) s += x[base + r * w + c];
    out[o] = s / ((r1 - r0) * (c1 - c0));
  });
}

/** dx = 0, then each dy spread evenly over its adaptive window. */
export function adaptiveAvgPool2dBackward(dy: Float, planes: number, h: number, w: number, oh: number, ow: number, dx: Float): void {
  dx.fill(0, 0, planes * h * w);
  adaptiveWindows(planes, h, w, oh, ow, (o, base, r0, r1, c0, c1) => {
    const g = dy[o] / ((r1 - r0) * (c1 - c0));
    for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) dx[base + r * w + c] += g;
  });
}

/** Per-channel batch norm; training uses and saves the batch statistics and updates the running ones. */
export function batchNormForward(x: Float, n: number, c: number, inner: number, weight: Float | null, bias: Float | null,
  runningMean: Float | null, runningVar: Float | null, training: boolean, momentum: number, eps: number,
  y: Float, saveMean: Float, saveInvstd: Float): void {
  const m = n * inner;
  for (let ch = 0; ch < c; ch++) {
    let mean: number;
    let invstd: number;
    if (training) {
      let s = 0;
      for (let i = 0; i < n; i++) for (let j = 0, at = (i * c + ch) * inner; j < inner; j++) s += x[at + j];
      mean = s / m;
      let q = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0, at = (i * c + ch) * inner; j < inner; j++) {
          const d = x[at + j] - mean;
          q += d * d;
        }
      }
      const variance = q / m;
      invstd = 1 / Math.sqrt(variance + eps);
      if (runningMean !== null) runningMean[ch] = (1 - momentum) * runningMean[ch] + momentum * mean;
      if (runningVar !== null) runningVar[ch] = (1 - momentum) * runningVar[ch] + momentum * ((variance * m) / (m - 1));
    } else {
      mean = (runningMean as Float)[ch];
      invstd = 1 / Math.sqrt((runningVar as Float)[ch] + eps);
    }
    saveMean[ch] = mean;
    saveInvstd[ch] = invstd;
    const scale = weight === null ? 1 : weight[ch];
    const shift = bias === null ? 0 : bias[ch];
    for (let i = 0; i < n; i++) {
      for (let j = 0, at = (i * c + ch) * inner; j < inner; j++) y[at + j] = (x[at + j] - mean) * invstd * scale + shift;
    }
  }
}

/** Batch norm's backward from the saved statistics (the closed form when training). */
export function batchNormBackward(x: Float, dy: Float, n: number, c: number, inner: number, weight: Float | null,
  saveMean: Float, saveInvstd: Float, training: boolean, dx: Float | null, dweight: Float | null, dbias: Float | null): void {
  const m = n * inner;
  for (let ch = 0; ch < c; ch++) {
    const mean = saveMean[ch];
    const invstd = saveInvstd[ch];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0, at = (i * c + ch) * inner; j < inner; j++) {
        sumDy += dy[at + j];
        sumDyXhat += dy[at + j] * (x[at + j] - mean) * invstd;
      }
    }
    if (dweight !== null) dweight[ch] = sumDyXhat;
    if (dbias !== null) dbias[ch] = sumDy;
    if (dx === null) continue;
    const scale = (weight === null ? 1 : weight[ch]) * invstd;
    const meanDy = sumDy / m;
    const meanDyXhat = sumDyXhat / m;
    for (let i = 0; i < n; i++) {
      for (let j = 0, at = (i * c + ch) * inner; j < inner; j++) {
        dx[at + j] = training ? scale * (dy[at + j] - meanDy - (x[at + j] - mean) * invstd * meanDyXhat) : scale * dy[at + j];
      }
    }
  }
}
