/**
 * Convolutions: conv1d, conv2d and convTranspose2d, forward and backward,
 * each product one batch kernel (im2col + GEMM per sample and group inside,
 * the samples split across threads). A convolution and its transpose are the same three
 * products with the roles swapped (see ConvPlan): `lower` (image → grid:
 * conv forward, transposed-conv input gradient), `raise` (grid → image: conv
 * input gradient, transposed-conv forward) and `weightGrad`.
 */
import type { Tensor } from '../tensor';
import type { Float, Kernels } from '../backend/kernels';
import { allocate, release } from '../storage/allocate';
import { checkBlasSizes } from '../storage/limits';
import { empty, emptyForKernel, k, record } from './util';
import { reshape } from './shape';
import { defineOptions, rejectUnknownOptions } from '../options';
import {
  CONV1D, CONV2D, CONV_T2D, type ConvOptions, type ConvPlan, type ConvTransposeOptions, checkBias, convPlan,
  convTransposePlan,
} from './conv-args';

export type { ConvOptions, ConvTransposeOptions, PaddingArg, SpatialArg } from './conv-args';

const CONV_KEYS = { stride: true, padding: true, dilation: true, groups: true } as const;
const CONV1D_OPTIONS = defineOptions<ConvOptions>('conv1d', CONV_KEYS);
const CONV2D_OPTIONS = defineOptions<ConvOptions>('conv2d', CONV_KEYS);
const CONV_T2D_OPTIONS = defineOptions<ConvTransposeOptions>('convTranspose2d', { ...CONV_KEYS, outputPadding: true });

/** The batch kernels' arguments between their two operands and their output, as the kernel table declares them. */
type BatchArgs = Parameters<Kernels['convForward']> extends [Float, Float, ...infer S, Float] ? S : never;

/** The batch kernels' sizes after their two operands: n, groups, oc, then the geometry of one sample-group. */
function batchArgs(op: string, p: ConvPlan): BatchArgs {
  const kk = p.imgC * p.kH * p.kW;
  checkBlasSizes(op, { m: Math.max(p.gridC, kk), n: p.oH * p.oW, k: Math.max(p.gridC, kk) });
  return [p.n, p.groups, p.gridC, p.imgC, p.h, p.w, p.kH, p.kW, p.strideH, p.strideW, p.padTop, p.padLeft, p.dilH, p.dilW, p.oH, p.oW];
}

/** grid = W · im2col(image), per sample and group. */
function lower(op: string, p: ConvPlan, img: Float, weight: Float, grid: Float): void {
  k().convForward(img, weight, ...batchArgs(op, p), grid);
}

/** image = col2im(Wᵀ · grid), per sample and group. */
function raise(op: string, p: ConvPlan, grid: Float, weight: Float, img: Float): void {
  k().convBackwardInput(grid, weight, ...batchArgs(op, p), img);
}

/** dW = Σ_samples grid · im2col(image)ᵀ, per group, into `dw` (overwritten). */
function weightGrad(op: string, p: ConvPlan, img: Float, grid: Float, dw: Float): void {
  k().convBackwardWeight(img, grid, ...batchArgs(op, p), dw);
}

/**
 * The output of a convolution (image side = input: `lower`) or of a
 * transposed one (grid side = input: `raise`), plus bias when given, then
 * ReLU when `relu`, as one tape node: bias and ReLU are applied in place over
 * the output, and their gradients taken from the output's, with no tensor in between.
 */
function convolution(op: string, plan: ConvPlan, x: Tensor, weight: Tensor, bias: Tensor | null, shape: number[],
  transposed: boolean, relu: boolean): Tensor {
  const y = emptyForKernel(shape, x.dtype, op);
  (transposed ? raise : lower)(op, plan, x.data as Float, weight.data as Float, y.data as Float);
  const [n, c] = shape;
  const cells = n * c === 0 ? 0 : y.numel() / (n * c);
  if (bias !== null || relu) k().convBiasRelu(y.data as Float, bias === null ? null : bias.data as Float, n, c, cells, relu);
  const inputs = bias === null ? [x, weight] : [x, weight, bias];
  return record(y, relu ? 'ConvolutionReluBackward' : 'ConvolutionBackward', inputs, (g) => {
    const gb = bias !== null && bias.requiresGrad ? emptyForKernel(bias.shape, g.dtype, op) : null;
    // The gradient before the ReLU (y > 0 exactly where its input was), with the bias's in the same pass: a temporary handed back after use.
    const dz = relu ? (allocate(g.dtype, g.numel(), op, false) as Float) : null;
    if (dz !== null) k().convReluBackward(y.data as Float, g.data as Float, n, c, cells, dz, gb === null ? null : gb.data as Float);
    const gy = dz ?? (g.data as Float);
    const gx = x.requiresGrad ? emptyForKernel(x.shape, g.dtype, op) : null;
    if (gx !== null) (transposed ? lower : raise)(op, plan, gy, weight.data as Float, gx.data as Float);
    const gw = weight.requiresGrad ? emptyForKernel(weight.shape, g.dtype, op) : null;
    if (gw !== null) {
      const [img, grid] = transposed ? [gy, x.data as Float] : [x.data as Float, gy];
      weightGrad(op, plan, img, grid, gw.data as Float);
    }
    if (gb !== null && dz === null) k().convBiasBackward(gy, n, c, cells, gb.data as Float);
    if (dz !== null) release(dz);
    return bias === null ? [gx, gw] : [gx, gw, gb];
  }, relu ? [x, weight, y] : [x, weight]);
}

/**
 * 2-D convolution (PyTorch's cross-correlation) of input [N, C, H, W] with
 * weight [outChannels, C/groups, kH, kW], plus bias [outChannels] when given.
 * Output [N, outChannels, oH, oW], oH = ⌊(H + padding·2 − dilation·(kH − 1) − 1) / stride⌋ + 1.
 * PyTorch's `F.conv2d`.
 *
 * @param input [N, C, H, W]
 * @param weight [outChannels, C/groups, kH, kW]
 * @param bias [outChannels], or null/omitted for none
 * @param options `stride` (default 1), `padding` (default 0; a number, [pH, pW], 'valid' or 'same'), `dilation` (default 1), `groups` (default 1)
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  return conv2dAct(input, weight, bias, options, false);
}

function conv2dAct(input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvOptions, relu: boolean): Tensor {
  rejectUnknownOptions(options, CONV2D_OPTIONS);
  const [plan, x, w, shape] = convPlan('conv2d', input, weight, options, CONV2D);
  const b = checkBias('conv2d', bias, shape[1], x);
  return convolution('conv2d', plan, x, w, b, shape, false, relu);
}

/**
 * 1-D convolution of input [N, C, L] with weight [outChannels, C/groups, kL]:
 * the 2-D convolution with height 1. PyTorch's `F.conv1d`.
 *
 * @param input [N, C, L]
 * @param weight [outChannels, C/groups, kL]
 * @param bias [outChannels], or null/omitted for none
 * @param options `stride` (default 1), `padding` (default 0; a number, 'valid' or 'same'), `dilation` (default 1), `groups` (default 1)
 */
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  return conv1dAct(input, weight, bias, options, false);
}

function conv1dAct(input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvOptions, relu: boolean): Tensor {
  rejectUnknownOptions(options, CONV1D_OPTIONS);
  const [plan, x, w, shape] = convPlan('conv1d', input, weight, options, CONV1D);
  const b = checkBias('conv1d', bias, shape[1], x);
  const y = convolution('conv1d', plan, reshape(x, [plan.n, x.shape[1], 1, plan.w]), reshape(w, [w.shape[0], w.shape[1], 1, plan.kW]),
    b, [shape[0], shape[1], 1, shape[2]], false, relu);
  return reshape(y, shape);
}

/**
 * 2-D transposed convolution ("deconvolution", the gradient of conv2d with
 * respect to its input) of input [N, C, H, W] with weight
 * [C, outChannels/groups, kH, kW]. Output [N, outChannels, oH, oW],
 * oH = (H − 1)·stride − 2·padding + dilation·(kH − 1) + outputPadding + 1.
 * PyTorch's `F.conv_transpose2d`.
 *
 * @param input [N, C, H, W]
 * @param weight [C, outChannels/groups, kH, kW]
 * @param bias [outChannels], or null/omitted for none
 * @param options `stride` (default 1), `padding` (of the convolution this transposes, default 0), `outputPadding` (default 0), `dilation` (default 1), `groups` (default 1)
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTransposeOptions = {}): Tensor {
  return convTranspose2dAct(input, weight, bias, options, false);
}

function convTranspose2dAct(input: Tensor, weight: Tensor, bias: Tensor | null | undefined, options: ConvTransposeOptions, relu: boolean): Tensor {
  const op = 'convTranspose2d';
  rejectUnknownOptions(options, CONV_T2D_OPTIONS);
  const [plan, x, w, shape] = convTransposePlan(op, input, weight, options, CONV_T2D);
  const b = checkBias(op, bias, shape[1], x);
  return convolution(op, plan, x, w, b, shape, true, relu);
}

/**
 * relu(conv1d / conv2d / convTranspose2d(...)) as one tape node, the same
 * numbers as the two ops (nn.Sequential runs a convolution layer followed by
 * a ReLU through this).
 */
export function convRelu(op: 'conv1d' | 'conv2d' | 'convTranspose2d', input: Tensor, weight: Tensor, bias: Tensor | null,
  options: ConvOptions | ConvTransposeOptions): Tensor {
  if (op === 'convTranspose2d') return convTranspose2dAct(input, weight, bias, options as ConvTransposeOptions, true);
  return (op === 'conv1d' ? conv1dAct : conv2dAct)(input, weight, bias, options as ConvOptions, true);
}
