/**
 * Layer normalization over the last `cols` elements of each of `rows` rows;
 * moments and sums accumulate in float64 (see the layerNorm table entry).
 */
import type { Float } from '../kernels';

/** Mean and 1/√(var + eps) of x[off, off + cols) (biased variance; an empty row: mean 0, variance 0). */
function rowMoments(x: Float, off: number, cols: number, eps: number): [number, number] {
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += x[off + j];
  const mean = cols > 0 ? sum / cols : 0;
  let sq = 0;
  for (let j = 0; j < cols; j++) {
    const d = x[off + j] - mean;
    sq += d * d;
  }
  const variance = cols > 0 ? sq / cols : 0;
  return [mean, 1 / Math.sqrt(variance + eps)];
}

/** y = (x − mean)·rstd·weight + bias per row; mean and rstd saved per row. */
export function layerNorm(
  x: Float, weight: Float | null, bias: Float | null, rows: number, cols: number, eps: number, y: Float, mean: Float, rstd: Float,
): void {
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const [m, s] = rowMoments(x, off, cols, eps);
    for (let j = 0; j < cols; j++) {
      let v = (x[off + j] - m) * s;
      if (weight !== null) v *= weight[j];
      if (bias !== null) v += bias[j];
      y[off + j] = v;
    }
    mean[r] = m;
    rstd[r] = s;
  }
}

/** dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), g = dy·weight; dweight = Σ dy·x̂, dbias = Σ dy over rows. */
export function layerNormBackward(
  x: Float, weight: Float | null, mean: Float, rstd: Float, dy: Float, rows: number, cols: number,
  dx: Float | null, dweight: Float | null, dbias: Float | null,
): void {
  const sw = dweight === null ? null : new Float64Array(cols);
  const sb = dbias === null ? null : new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const off = r * cols;
    const m = mean[r];
    const s = rstd[r];
    if (dx !== null) {
      let sumG = 0;
      let sumGX = 0;
      for (let j = 0; j < cols; j++) {
        const g = weight === null ? dy[off + j] : dy[off + j] * weight[j];
        sumG += g;
        sumGX += g * (x[off + j] - m) * s;
      }
      const a = cols > 0 ? sumG / cols : 0;
      const b = cols > 0 ? sumGX / cols : 0;
      for (let j = 0; j < cols; j++) {
        const g = weight === null ? dy[off + j] : dy[off + j] * weight[j];
        dx[off + j] = s * (g - a - (x[off + j] - m) * s * b);
      }
    }
    if (sw !== null) for (let j = 0; j < cols; j++) sw[j] += dy[off + j] * ((x[off + j] - m) * s);
    if (sb !== null) for (let j = 0; j < cols; j++) sb[j] += dy[off + j];
  }
  if (dweight !== null && sw !== null) dweight.set(sw);
  if (dbias !== null && sb !== null) dbias.set(sb);
}
