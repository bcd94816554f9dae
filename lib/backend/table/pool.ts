/**
 * Pooling and batch-norm kernels: the window geometry shared by the kernels'
 * checks, their random valid calls and the ops (PyTorch's output-size rule),
 * and the checks the table cannot state declaratively. native/pool.cc words
 * every message the same way.
 */
import type { Float } from '../kernels';
import type { Rng } from './spec';
import { rangeError, typeError } from './messages';

/**
 * PyTorch's pooled size along one axis (pooling_output_shape): windows of
 * `k` taps `d` apart, stepping `s`, over `size` plus `p` padding each side.
 * With ceilMode the last partial window counts when it starts inside the
 * input or the left padding. May be ≤ 0 (the op reports that).
 */
export function pooledSize(size: number, k: number, s: number, p: number, d: number, ceilMode: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1 + (ceilMode ? s - 1 : 0);
  let out = Math.floor(span / s) + 1;
  if (ceilMode && (out - 1) * s >= size + p) out -= 1;
  return out;
}

/**
 * The first output index along one axis whose window holds no input element
 * (taps o·s − p + j·d, j < k, none in [0, size)), or −1 when every window of
 * the `out` windows holds one.
 */
export function emptyWindow(size: number, k: number, s: number, p: number, d: number, out: number): number {
  for (let o = 0; o < out; o++) {
    const t = o * s - p;
    if (t >= size) return o;
    if (t >= 0) continue;
    const j = Math.ceil(-t / d);
    if (j >= k || t + j * d >= size) return o;
  }
  return -1;
}

/** RangeError unless every named size is at least 1. */
function positive(kernel: string, sizes: Record<string, number>): void {
  for (const [name, v] of Object.entries(sizes)) if (v < 1) throw rangeError(kernel, `${name} must be >= 1 (got ${v})`);
}

/** RangeError naming the first output row, then column, whose window covers no input. */
function cover(kernel: string, planes: number, g: readonly number[], dilated: boolean): void {
  const [h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow] = g;
  if (planes * oh * ow === 0) return;
  const axes = [['row', 'h', h, kh, sh, ph, dh, oh], ['column', 'w', w, kw, sw, pw, dw, ow]] as const;
  for (const [what, n, size, k, s, p, d, out] of axes) {
    const o = emptyWindow(size, k, s, p, d, out);
    if (o < 0) continue;
    const dil = dilated ? `, d${n} = ${d}` : '';
    throw rangeError(kernel, `output ${what} ${o} covers no input ${what} (${n} = ${size}, k${n} = ${k}, s${n} = ${s}, p${n} = ${p}${dil})`);
  }
}

/** The largest plane max pooling indexes (its indices are int32). */
const MAX_PLANE = 2147483647;

/** maxPool2d's geometry: kernel, stride and dilation ≥ 1, int32 indices, and no window outside the input. */
export function checkMaxPool(this: string, _x: Float, planes: number, h: number, w: number, kh: number, kw: number,
  sh: number, sw: number, ph: number, pw: number, dh: number, dw: number, oh: number, ow: number): void {
  positive(this, { kh, kw, sh, sw, dh, dw });
  if (h * w > MAX_PLANE) throw rangeError(this, `h*w must be at most ${MAX_PLANE} (the indices are int32), got h = ${h}, w = ${w}`);
  cover(this, planes, [h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow], true);
}

/** avgPool2d's (and its backward's) geometry: kernel and stride ≥ 1, and no window outside the input. */
export function checkAvgPool(this: string, _x: Float, planes: number, h: number, w: number, kh: number, kw: number,
  sh: number, sw: number, ph: number, pw: number, oh: number, ow: number): void {
  positive(this, { kh, kw, sh, sw });
  cover(this, planes, [h, w, kh, kw, sh, sw, ph, pw, 1, 1, oh, ow], false);
}

/** A random valid geometry: padding at most half the kernel, output sizes as floor or ceil mode gives them. */
export function fixPoolDraw(v: Record<string, unknown>, rng: Rng): void {
  const dilated = 'dh' in v;
  for (const n of ['h', 'w'] as const) {
    const k = v[`k${n}`] as number;
    const s = v[`s${n}`] as number;
    const d = dilated ? (v[`d${n}`] as number) : 1;
    let p = Math.min(v[`p${n}`] as number, Math.floor(k / 2));
    let size = Math.max(v[n] as number, d * (k - 1) + 1);
    let out = pooledSize(size, k, s, p, d, rng.chance(0.5));
    if (emptyWindow(size, k, s, p, d, out) >= 0) {
      p = 0;
      size = Math.max(size, d * (k - 1) + 1);
      out = pooledSize(size, k, s, p, d, false);
    }
    Object.assign(v, { [n]: size, [`p${n}`]: p, [`o${n}`]: out });
  }
}

/** Eval mode normalises with the running statistics: both must be given. */
export function checkBatchNormStats(this: string, _x: Float, _n: number, _c: number, _inner: number, _w: Float | null,
  _b: Float | null, runningMean: Float | null, runningVar: Float | null, training: boolean): void {
  if (training) return;
  if (runningMean === null) throw typeError(this, 'runningMean must be a Float32Array or Float64Array when training is false (got null)');
  if (runningVar === null) throw typeError(this, 'runningVar must be a Float32Array or Float64Array when training is false (got null)');
}

/** Random batch-norm calls in eval mode carry running statistics. */
export function fixBatchNormDraw(v: Record<string, unknown>): void {
  if (v.runningMean === null || v.runningVar === null) v.training = true;
}
