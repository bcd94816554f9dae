/**
 * Pooling: maxPool1d/2d, avgPool1d/2d, adaptiveAvgPool2d over (N, C, H, W) or
 * unbatched (C, H, W) inputs — 1-D pooling is the 2-D kernel with H = 1 —
 * forward and backward, with PyTorch's argument rules and output sizes.
 */
import type { Tensor } from '../tensor';
import type { Float } from '../backend/kernels';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { readable } from '../options';
import { pooledSize } from '../backend/table/pool';
import { allocate } from '../storage/allocate';
import { checkTensor, empty, emptyForKernel, k, record, releaseWithNode } from './util';

/** A size per spatial dim: one number for all, or one per dim (`[h, w]`; `[l]` in 1-D). */
export type PoolSize = number | readonly number[];

/** The window of a pooling op, per axis [rows, columns]. */
interface Window {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
}

/** The input viewed as planes of [h, w], and the output shape for [oh, ow]. */
interface Planes {
  x: Tensor;
  planes: number;
  h: number;
  w: number;
  outShape(oh: number, ow: number): number[];
}

/** Reads a size argument as [rows, columns]; 1-D sizes put 1 (`one`) on the row axis. */
function sizes(v: unknown, dims: 1 | 2, op: string, arg: string, one: number): [number, number] {
  const list = typeof v === 'number' ? new Array<number>(dims).fill(v) : Array.isArray(v) ? (v as unknown[]) : null;
  if (list === null || (list.length !== dims && list.length !== 1) || !list.every((x) => Number.isInteger(x))) {
    const what = dims === 1 ? 'an integer (or [l])' : 'an integer or a pair of integers [h, w]';
    throw new TypeError(`${op}: ${arg} must be ${what}, got ${readable(v)}`);
  }
  const full = (list.length === 1 ? new Array<unknown>(dims).fill(list[0]) : list) as number[];
  return dims === 1 ? [one, full[0]] : [full[0], full[1]];
}

/** Shows a per-axis pair as the user wrote it: [h, w] for 2-D, the number for 1-D. */
const shown = (v: readonly [number, number], dims: 1 | 2): string => (dims === 1 ? String(v[1]) : `[${v.join(', ')}]`);

/** The input as planes: (N, C, H, W) / (C, H, W) in 2-D, (N, C, L) / (C, L) in 1-D. */
function asPlanes(input: Tensor, dims: 1 | 2, op: string): Planes {
  checkTensor(input, op);
  const ranks = dims === 2 ? [3, 4] : [2, 3];
  const names = dims === 2 ? '3-D (C, H, W) or 4-D (N, C, H, W)' : '2-D (C, L) or 3-D (N, C, L)';
  const s = input.shape;
  if (!ranks.includes(input.ndim) || s.slice(input.ndim === ranks[1] ? 1 : 0).some((d) => d === 0)) {
    throw new RangeError(`${op}: expected a ${names} input with non-zero sizes but the batch, got shape ${fmtShape(s)}`);
  }
  if (!isFloat(input.dtype)) throw new TypeError(`${op}: expected a float32 or float64 input, got ${input.dtype}`);
  const lead = s.slice(0, s.length - dims);
  const h = dims === 2 ? s[s.length - 2] : 1;
  const w = s[s.length - 1];
  return {
    x: input,
    planes: lead.reduce((a, b) => a * b, 1),
    h,
    w,
    outShape: (oh, ow) => (dims === 2 ? [...lead, oh, ow] : [...lead, ow]),
  };
}

/** Checks a window against PyTorch's rules and computes the output size [oh, ow]. */
function outputSize(op: string, p: Planes, win: Window, dims: 1 | 2, ceilMode: boolean, shape: readonly number[]): [number, number] {
  const axes = dims === 2 ? [0, 1] : [1];
  const check = (what: string, v: [number, number], min: number, text: string): void => {
    if (axes.some((a) => v[a] < min)) throw new RangeError(`${op}: ${what} must be ${text}, got ${shown(v, dims)}`);
  };
  check('kernelSize', win.k, 1, 'greater than zero');
  check('stride', win.s, 1, 'greater than zero');
  check('dilation', win.d, 1, 'greater than zero');
  check('padding', win.p, 0, 'non-negative');
  if (axes.some((a) => win.p[a] > Math.floor(win.k[a] / 2))) {
    throw new RangeError(`${op}: padding should be at most half of the kernel size, but got padding ${shown(win.p, dims)} for kernelSize ${shown(win.k, dims)}`);
  }
  const out: [number, number] = [
    pooledSize(p.h, win.k[0], win.s[0], win.p[0], win.d[0], ceilMode),
    pooledSize(p.w, win.k[1], win.s[1], win.p[1], win.d[1], ceilMode),
  ];
  if (out[0] < 1 || out[1] < 1) {
    const dil = win.d[0] === 1 && win.d[1] === 1 ? '' : `, dilation ${shown(win.d, dims)}`;
    throw new RangeError(`${op}: input of shape ${fmtShape(shape)} is too small for kernelSize ${shown(win.k, dims)} (padding ${shown(win.p, dims)}${dil}): the output size would be ${shown(out, dims)}`);
  }
  return out;
}

/** Options of `maxPool1d` / `maxPool2d` (PyTorch's keywords). */
export interface MaxPoolOptions {
  /** Step between windows (default: kernelSize). */
  stride?: PoolSize | null;
  /** Implicit −∞ padding on both sides (default 0; at most half the kernel). */
  padding?: PoolSize;
  /** Spacing between the taps of a window (default 1). */
  dilation?: PoolSize;
  /** Round the output size up: a last partial window counts if it starts inside the input or the left padding (default false). */
  ceilMode?: boolean;
}

/** Options of `avgPool1d` / `avgPool2d` (PyTorch's keywords). */
export interface AvgPoolOptions {
  /** Step between windows (default: kernelSize). */
  stride?: PoolSize | null;
  /** Implicit zero padding on both sides (default 0; at most half the kernel). */
  padding?: PoolSize;
  /** Round the output size up as maxPool does (default false). */
  ceilMode?: boolean;
  /** Count padding elements in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead (2-D only, as PyTorch's; a non-zero integer). */
  divisorOverride?: number | null;
}

/** Options of `avgPool1d`: those of avgPool2d but divisorOverride (PyTorch's avg_pool1d has none). */
export type AvgPool1dOptions = Omit<AvgPoolOptions, 'divisorOverride'>;

/** The option keys of the max-pooling functions and modules. */
export const MAX_POOL_KEYS = { stride: true, padding: true, dilation: true, ceilMode: true } as const;
/** The option keys of avgPool1d / AvgPool1d. */
export const AVG_POOL_1D_KEYS = { stride: true, padding: true, ceilMode: true, countIncludePad: true } as const;
/** The option keys of avgPool2d / AvgPool2d. */
export const AVG_POOL_2D_KEYS = { ...AVG_POOL_1D_KEYS, divisorOverride: true } as const;

/** The window of a pooling call from its arguments. */
function windowOf(op: string, dims: 1 | 2, kernelSize: unknown, o: MaxPoolOptions): Window {
  const kk = sizes(kernelSize, dims, op, 'kernelSize', 1);
  return {
    k: kk,
    s: o.stride === undefined || o.stride === null ? kk : sizes(o.stride, dims, op, 'stride', 1),
    p: sizes(o.padding ?? 0, dims, op, 'padding', 0),
    d: sizes(o.dilation ?? 1, dims, op, 'dilation', 1),
  };
}

function checkFlag(op: string, name: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new TypeError(`${op}: ${name} must be a boolean, got ${readable(v)}`);
  return v;
}

/** Max pooling over 1 or 2 trailing dims; the gradient goes to the first maximum of each window. */
export function maxPool(op: string, dims: 1 | 2, input: Tensor, kernelSize: PoolSize, options: MaxPoolOptions): Tensor {
  const p = asPlanes(input, dims, op);
  const win = windowOf(op, dims, kernelSize, options);
  const ceilMode = checkFlag(op, 'ceilMode', options.ceilMode ?? false);
  const [oh, ow] = outputSize(op, p, win, dims, ceilMode, input.shape);
  const y = emptyForKernel(p.outShape(oh, ow), p.x.dtype, op);
  const indices = allocate('int32', p.planes * oh * ow, op, false) as Int32Array;
  k().maxPool2d(p.x.data as Float, p.planes, p.h, p.w, win.k[0], win.k[1], win.s[0], win.s[1], win.p[0], win.p[1],
    win.d[0], win.d[1], oh, ow, y.data as Float, indices);
  const name = dims === 2 ? 'MaxPool2DWithIndicesBackward' : 'MaxPool1DWithIndicesBackward';
  const out = record(y, name, [p.x], (g) => {
    const dx = emptyForKernel(p.x.shape, g.dtype, op);
    k().maxPool2dBackward(g.data as Float, indices, p.planes, p.h * p.w, oh * ow, dx.data as Float);
    return [dx];
  });
  releaseWithNode(out, [indices]); // only the backward reads the indices
  return out;
}

/** Average pooling over 1 or 2 trailing dims with PyTorch's divisor rules. */
export function avgPool(op: string, dims: 1 | 2, input: Tensor, kernelSize: PoolSize, options: AvgPoolOptions): Tensor {
  const p = asPlanes(input, dims, op);
  const win = windowOf(op, dims, kernelSize, { stride: options.stride, padding: options.padding });
  const ceilMode = checkFlag(op, 'ceilMode', options.ceilMode ?? false);
  const includePad = checkFlag(op, 'countIncludePad', options.countIncludePad ?? true);
  const divisor = options.divisorOverride ?? 0;
  if (options.divisorOverride !== undefined && options.divisorOverride !== null && !(Number.isInteger(divisor) && divisor !== 0)) {
    throw new RangeError(`${op}: divisorOverride must be a non-zero integer, got ${readable(options.divisorOverride)}`);
  }
  const [oh, ow] = outputSize(op, p, win, dims, ceilMode, input.shape);
  const y = empty(p.outShape(oh, ow), p.x.dtype, op);
  const geometry = [p.planes, p.h, p.w, win.k[0], win.k[1], win.s[0], win.s[1], win.p[0], win.p[1], oh, ow] as const;
  k().avgPool2d(p.x.data as Float, ...geometry, includePad, divisor, y.data as Float);
  return record(y, dims === 2 ? 'AvgPool2DBackward' : 'AvgPool1DBackward', [p.x], (g) => {
    const dx = empty(p.x.shape, g.dtype);
    k().avgPool2dBackward(g.data as Float, ...geometry, includePad, divisor, dx.data as Float);
    return [dx];
  });
}

/** An adaptive output size: a number, or [oh, ow] where null keeps that input size. */
export type AdaptiveSize = number | readonly (number | null)[];

/**
 * Average pooling to a fixed output size over PyTorch's adaptive windows:
 * PyTorch's `F.adaptive_avg_pool2d`.
 *
 * @param input (N, C, H, W) or (C, H, W)
 * @param outputSize the output's [oh, ow], or one number for both; null in either keeps that input size
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  const op = 'adaptiveAvgPool2d';
  const p = asPlanes(input, 2, op);
  const given = typeof outputSize === 'number' ? [outputSize, outputSize] : Array.isArray(outputSize) ? outputSize : null;
  if (given === null || given.length !== 2 || !given.every((v) => v === null || (Number.isInteger(v) && (v as number) >= 0))) {
    throw new TypeError(`${op}: outputSize must be a non-negative integer or a pair [oh, ow] of them (null keeps the input size), got ${readable(outputSize)}`);
  }
  const oh = given[0] ?? p.h;
  const ow = given[1] ?? p.w;
  const y = empty(p.outShape(oh, ow), p.x.dtype, op);
  if (y.numel() > 0) k().adaptiveAvgPool2d(p.x.data as Float, p.planes, p.h, p.w, oh, ow, y.data as Float);
  return record(y, 'AdaptiveAvgPool2DBackward', [p.x], (g) => {
    const dx = empty(p.x.shape, g.dtype);
    k().adaptiveAvgPool2dBackward(g.data as Float, p.planes, p.h, p.w, oh, ow, dx.data as Float);
    return [dx];
  });
}
