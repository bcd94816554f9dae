/**
 * Index kernels along the middle axis of [outer, dimX, inner]. The checking
 * wrapper has verified every index against [0, dimX) before these loops run,
 * so a bad index leaves the output untouched.
 */
import type { Float, Num } from '../kernels';

/** out[o, j, i] = x[o, idx[j], i]; out is [outer, idx.length, inner]. */
export function indexSelect(x: Num, outer: number, dimX: number, inner: number, idx: Int32Array, out: Num): void {
  const n = idx.length;
  for (let o = 0; o < outer; o++) {
    const xb = o * dimX;
    for (let j = 0; j < n; j++) {
      const src = (xb + idx[j]) * inner;
      const dst = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) out[dst + i] = x[src + i];
    }
  }
}

/** dx[o, idx[j], i] += dy[o, j, i]; accumulates into dx. */
export function indexAdd(dy: Float, outer: number, dimX: number, inner: number, idx: Int32Array, dx: Float): void {
  const n = idx.length;
  for (let o = 0; o < outer; o++) {
    const xb = o * dimX;
    for (let j = 0; j < n; j++) {
      const dst = (xb + idx[j]) * inner;
      const src = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) dx[dst + i] += dy[src + i];
    }
  }
}

/** out[o, j, i] = x[o, idx[o, j, i], i] (torch.gather along the middle axis). */
export function gather(
  x: Num, outer: number, dimX: number, inner: number, idx: Int32Array, n: number, out: Num,
): void {
  for (let o = 0; o < outer; o++) {
    const xb = o * dimX;
    for (let j = 0; j < n; j++) {
      const row = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) out[row + i] = x[(xb + idx[row + i]) * inner + i];
    }
  }
}

/** dx[o, idx[o, j, i], i] += dy[o, j, i]; accumulates into dx. */
export function scatterAdd(
  dy: Float, outer: number, dimX: number, inner: number, idx: Int32Array, n: number, dx: Float,
): void {
  for (let o = 0; o < outer; o++) {
    const xb = o * dimX;
    for (let j = 0; j < n; j++) {
      const row = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) dx[(xb + idx[row + i]) * inner + i] += dy[row + i];
    }
  }
}
