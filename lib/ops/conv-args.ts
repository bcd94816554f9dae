/**
 * The arguments of the convolution ops: options read as PyTorch reads them
 * (a number or one per spatial dim; padding also 'valid' / 'same'), every
 * shape checked, and the geometry the kernels take (lib/ops/conv.ts). 1-D
 * convolution is the 2-D one with height 1, so everything here is 2-D.
 */
import type { Tensor } from '../tensor';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { readable } from '../options';
import { checkTensor } from './util';

/** A number for every spatial dim, or one per dim (`[h, w]` for 2-D, `[l]` for 1-D). */
export type SpatialArg = number | readonly number[];
/** Padding: per-dim amounts (both sides), or 'valid' (none) / 'same' (output size = input size, stride 1 only). */
export type PaddingArg = SpatialArg | 'valid' | 'same';

/** Options of `conv1d` / `conv2d` (PyTorch's keywords). */
export interface ConvOptions {
  /** Step between windows (default 1). */
  stride?: SpatialArg;
  /** Zero padding on both sides of each spatial dim, 'valid' or 'same' (default 0). */
  padding?: PaddingArg;
  /** Spacing between kernel taps (default 1). */
  dilation?: SpatialArg;
  /** Channel groups: input and output channels split into this many independent convolutions (default 1). */
  groups?: number;
}

/** Options of `convTranspose2d` (PyTorch's keywords). */
export interface ConvTransposeOptions {
  /** Stride of the convolution this one transposes (default 1). */
  stride?: SpatialArg;
  /** Padding of the convolution this one transposes, removed from the output (default 0). */
  padding?: SpatialArg;
  /** Extra rows/columns on the bottom/right of the output, smaller than stride or dilation (default 0). */
  outputPadding?: SpatialArg;
  /** Channel groups (default 1). */
  groups?: number;
  /** Spacing between kernel taps (default 1). */
  dilation?: SpatialArg;
}

/**
 * One convolution lowered to GEMM, per sample and group. The image side (im2col's
 * input: a convolution's input, a transposed convolution's output) is
 * [n, groups·imgC, h, w]; the grid side (the windows: a convolution's output, a
 * transposed convolution's input) is [n, groups·gridC, oH, oW]; the weight is
 * [groups·gridC, imgC, kH, kW] for both.
 */
export interface ConvPlan {
  readonly n: number;
  readonly groups: number;
  readonly imgC: number;
  readonly h: number;
  readonly w: number;
  readonly gridC: number;
  readonly oH: number;
  readonly oW: number;
  readonly kH: number;
  readonly kW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilH: number;
  readonly dilW: number;
}

/** 1 or 2 spatial dims, and how the op's shapes are named in errors. */
interface Rank {
  readonly dims: 1 | 2;
  readonly input: string;
  readonly weight: string;
}

/** conv1d / conv2d / convTranspose2d. */
export const CONV1D: Rank = { dims: 1, input: '[N, C, L]', weight: '[outChannels, inChannels/groups, kL]' };
export const CONV2D: Rank = { dims: 2, input: '[N, C, H, W]', weight: '[outChannels, inChannels/groups, kH, kW]' };
export const CONV_T2D: Rank = { dims: 2, input: '[N, C, H, W]', weight: '[inChannels, outChannels/groups, kH, kW]' };

/**
 * `v` as [h, w]: a number applies to every dim; an array has one entry per dim.
 * Each must be an integer ≥ min (1-D ops have h fixed to `one`).
 */
function spatial(op: string, name: string, v: unknown, rank: Rank, min: number, one: number): [number, number] {
  const list = typeof v === 'number' ? Array<number>(rank.dims).fill(v) : v;
  const what = min === 0 ? 'non-negative' : 'positive';
  const ok = Array.isArray(list) && list.length === rank.dims &&
    list.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= min);
  if (!ok) {
    const form = rank.dims === 2 ? 'or a pair [h, w] of them' : 'or a 1-element array';
    throw new RangeError(`${op}: ${name} must be a ${what} integer ${form}, got ${readable(v)}`);
  }
  const xs = list as number[];
  return rank.dims === 2 ? [xs[0], xs[1]] : [one, xs[0]];
}

/** Input and weight: tensors of one float dtype, with the rank's number of dims. */
function checkOperands(op: string, input: unknown, weight: unknown, rank: Rank): [Tensor, Tensor] {
  const x = checkTensor(input, op, 'input');
  const wt = checkTensor(weight, op, 'weight');
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: expected a float input, got ${x.dtype}; convert with .float()`);
  if (wt.dtype !== x.dtype) {
    throw new TypeError(`${op}: input is ${x.dtype} but weight is ${wt.dtype}; convert one with .to()`);
  }
  const nd = rank.dims + 2;
  if (x.ndim !== nd) {
    const hint = x.ndim === nd - 1 ? '; add a batch dim with unsqueeze(0)' : '';
    throw new RangeError(`${op}: expected a ${nd}-D input ${rank.input}, got ${fmtShape(x.shape)} (${x.ndim}-D)${hint}`);
  }
  if (wt.ndim !== nd) throw new RangeError(`${op}: expected a ${nd}-D weight ${rank.weight}, got ${fmtShape(wt.shape)}`);
  return [x, wt];
}

function checkGroups(op: string, groups: unknown): number {
  if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1) {
    throw new RangeError(`${op}: groups must be a positive integer, got ${readable(groups)}`);
  }
  return groups;
}

/** bias: null/undefined, or a tensor [channels] of the input's dtype. */
export function checkBias(op: string, bias: unknown, channels: number, x: Tensor): Tensor | null {
  if (bias === undefined || bias === null) return null;
  const b = checkTensor(bias, op, 'bias');
  if (b.ndim !== 1 || b.shape[0] !== channels) {
    throw new RangeError(`${op}: bias must have shape [${channels}] (one per output channel), got ${fmtShape(b.shape)}`);
  }
  if (b.dtype !== x.dtype) throw new TypeError(`${op}: input is ${x.dtype} but bias is ${b.dtype}; convert one with .to()`);
  return b;
}

/** Spatial dims of a 4-D view of a (1-D: height 1) tensor. */
const hw = (t: Tensor, rank: Rank): [number, number] =>
  rank.dims === 2 ? [t.shape[2], t.shape[3]] : [1, t.shape[2]];

/** The "h×w" text of a size, "l" in 1-D. */
const size = (rank: Rank, h: number, w: number): string => (rank.dims === 2 ? `${h}×${w}` : `${w}`);

/** Checks a convolution's arguments; the plan and output shape. */
export function convPlan(op: string, input: unknown, weight: unknown, o: ConvOptions, rank: Rank): [ConvPlan, Tensor, Tensor, number[]] {
  const [x, wt] = checkOperands(op, input, weight, rank);
  const groups = checkGroups(op, o.groups ?? 1);
  const [strideH, strideW] = spatial(op, 'stride', o.stride ?? 1, rank, 1, 1);
  const [dilH, dilW] = spatial(op, 'dilation', o.dilation ?? 1, rank, 1, 1);
  const [n, c] = x.shape;
  const [h, w] = hw(x, rank);
  const outC = wt.shape[0];
  const [kH, kW] = hw(wt, rank);
  if (outC % groups !== 0) {
    throw new RangeError(`${op}: groups=${groups} must divide the output channels, but weight ${fmtShape(wt.shape)} has ${outC}`);
  }
  if (wt.shape[1] * groups !== c) {
    throw new RangeError(`${op}: input ${fmtShape(x.shape)} has ${c} channels, but weight ${fmtShape(wt.shape)} with groups=${groups} expects ${wt.shape[1] * groups} (weight.shape[1] × groups)`);
  }
  const spanH = dilH * (kH - 1) + 1;
  const spanW = dilW * (kW - 1) + 1;
  let pads: [number, number, number, number];
  const padding = o.padding ?? 0;
  if (padding === 'valid') {
    pads = [0, 0, 0, 0];
  } else if (padding === 'same') {
    if (strideH !== 1 || strideW !== 1) {
      throw new RangeError(`${op}: padding='same' needs stride 1 (as in PyTorch), got stride ${readable(o.stride)}`);
    }
    // PyTorch's split: the odd extra row/column of an even kernel goes bottom/right.
    pads = [(spanH - 1) >> 1, (spanW - 1) >> 1, (spanH - 1) - ((spanH - 1) >> 1), (spanW - 1) - ((spanW - 1) >> 1)];
  } else {
    const [ph, pw] = spatial(op, "padding (or 'valid' / 'same')", padding, rank, 0, 0);
    pads = [ph, pw, ph, pw];
  }
  const [padTop, padLeft, padBottom, padRight] = pads;
  const inH = h + padTop + padBottom;
  const inW = w + padLeft + padRight;
  if (spanH > inH || spanW > inW) {
    throw new RangeError(`${op}: kernel ${size(rank, kH, kW)}${dilH * dilW > 1 ? ` (dilated ${size(rank, spanH, spanW)})` : ''} is larger than the padded input ${size(rank, inH, inW)} (input ${fmtShape(x.shape)}, weight ${fmtShape(wt.shape)})`);
  }
  const oH = Math.floor((inH - spanH) / strideH) + 1;
  const oW = Math.floor((inW - spanW) / strideW) + 1;
  const plan: ConvPlan = {
    n, groups, imgC: c / groups, h, w, gridC: outC / groups, oH, oW, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW,
  };
  return [plan, x, wt, rank.dims === 2 ? [n, outC, oH, oW] : [n, outC, oW]];
}

/** Checks a transposed convolution's arguments; the plan (output = image side) and output shape. */
export function convTransposePlan(op: string, input: unknown, weight: unknown, o: ConvTransposeOptions, rank: Rank): [ConvPlan, Tensor, Tensor, number[]] {
  const [x, wt] = checkOperands(op, input, weight, rank);
  const groups = checkGroups(op, o.groups ?? 1);
  const [strideH, strideW] = spatial(op, 'stride', o.stride ?? 1, rank, 1, 1);
  const [dilH, dilW] = spatial(op, 'dilation', o.dilation ?? 1, rank, 1, 1);
  const [padTop, padLeft] = spatial(op, 'padding', o.padding ?? 0, rank, 0, 0);
  const [opH, opW] = spatial(op, 'outputPadding', o.outputPadding ?? 0, rank, 0, 0);
  if ((opH >= strideH && opH >= dilH) || (opW >= strideW && opW >= dilW)) {
    throw new RangeError(`${op}: outputPadding ${readable(o.outputPadding)} must be smaller than either stride or dilation in each dim (stride ${readable(o.stride ?? 1)}, dilation ${readable(o.dilation ?? 1)})`);
  }
  const [n, c] = x.shape;
  const [h, w] = hw(x, rank);
  const [kH, kW] = hw(wt, rank);
  if (wt.shape[0] !== c) {
    throw new RangeError(`${op}: input ${fmtShape(x.shape)} has ${c} channels, but weight ${fmtShape(wt.shape)} expects ${wt.shape[0]} (weight.shape[0])`);
  }
  if (c % groups !== 0) {
    throw new RangeError(`${op}: groups=${groups} must divide the input channels (${c})`);
  }
  const outC = wt.shape[1] * groups;
  const outH = (h - 1) * strideH - 2 * padTop + dilH * (kH - 1) + opH + 1;
  const outW = (w - 1) * strideW - 2 * padLeft + dilW * (kW - 1) + opW + 1;
  if (outH < 1 || outW < 1) {
    throw new RangeError(`${op}: the output would be ${size(rank, outH, outW)} for input ${fmtShape(x.shape)}, weight ${fmtShape(wt.shape)} and padding ${readable(o.padding ?? 0)}; it must be at least 1 in each dim`);
  }
  const plan: ConvPlan = {
    n, groups, imgC: wt.shape[1], h: outH, w: outW, gridC: c / groups, oH: h, oW: w, kH, kW, strideH, strideW, padTop, padLeft, dilH, dilW,
  };
  return [plan, x, wt, rank.dims === 2 ? [n, outC, outH, outW] : [n, outC, outW]];
}
