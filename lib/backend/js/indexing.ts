/**
 * Index kernels along the middle axis of [outer, dimX, inner]. Every index is
 * checked against [0, dimX) before anything is written, so a bad index leaves
 * the output untouched.
 */
import type { Float, Num } from '../kernels';
import {
  checkAxisInput, checkFloat, checkIndices, checkInt32, checkNoOverlap, checkNum, checkSame, checkSize, tooShort,
} from './validate';

/**
 * Common checks: `src` is x/dy ([outer, srcDim, inner]), `dst` is out/dx
 * ([outer, dstDim, inner]); one of srcDim/dstDim is dimX, the other n. `float`
 * restricts to Float (the backward kernels).
 */
function checkIndexing(
  fn: string, float: boolean, srcArg: string, src: Num, dstArg: string, dst: Num,
  outer: number, dimX: number, inner: number, idx: Int32Array, n: number, srcIsX: boolean, idxCount: number,
): void {
  const k = float ? checkFloat(fn, srcArg, src) : checkNum(fn, srcArg, src);
  checkSame(fn, dstArg, dst, k, srcArg);
  checkInt32(fn, 'idx', idx);
  checkSize(fn, 'n', n);
  checkAxisInput(fn, srcArg, src, outer, srcIsX ? dimX : n, inner);
  const dstN = outer * (srcIsX ? n : dimX) * inner;
  if (dst.length < dstN) {
    throw tooShort(fn, dstArg, dst, dstN, `outer=${outer}, ${srcIsX ? `n=${n}` : `dimX=${dimX}`}, inner=${inner}`);
  }
  if (idx.length < idxCount) throw tooShort(fn, 'idx', idx, idxCount, `outer=${outer}, n=${n}, inner=${inner}`);
  checkNoOverlap(fn, dstArg, dst, srcArg, src);
  checkNoOverlap(fn, dstArg, dst, 'idx', idx);
  checkIndices(fn, idx, idxCount, dimX);
}

/** out[o, j, i] = x[o, idx[j], i]; out is [outer, idx.length, inner]. */
export function indexSelect(x: Num, outer: number, dimX: number, inner: number, idx: Int32Array, out: Num): void {
  const fn = 'indexSelect';
  checkInt32(fn, 'idx', idx);
  const n = idx.length;
  checkIndexing(fn, false, 'x', x, 'out', out, outer, dimX, inner, idx, n, true, n);
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
  const fn = 'indexAdd';
  checkInt32(fn, 'idx', idx);
  const n = idx.length;
  checkIndexing(fn, true, 'dy', dy, 'dx', dx, outer, dimX, inner, idx, n, false, n);
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
  checkSize('gather', 'n', n);
  const count = outer * n * inner;
  checkIndexing('gather', false, 'x', x, 'out', out, outer, dimX, inner, idx, n, true, count);
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
  checkSize('scatterAdd', 'n', n);
  const count = outer * n * inner;
  checkIndexing('scatterAdd', true, 'dy', dy, 'dx', dx, outer, dimX, inner, idx, n, false, count);
  for (let o = 0; o < outer; o++) {
    const xb = o * dimX;
    for (let j = 0; j < n; j++) {
      const row = (o * n + j) * inner;
      for (let i = 0; i < inner; i++) dx[(xb + idx[row + i]) * inner + i] += dy[row + i];
    }
  }
}
