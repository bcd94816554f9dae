/**
 * Where a fused one-pass kernel replaces the op-by-op path: every such
 * decision, in one file. Each asks the fusion switch (fused-switch.ts) and the
 * fused kernel's contract; a call that does not fit runs the composite path,
 * which gives the same numbers and its own errors.
 */
import type { Tensor } from '../tensor';
import { isFloat } from '../dtype';
import { fusionEnabled } from './fused-switch';

/**
 * nn.Sequential, for a layer that declares `linear` followed by one that
 * declares `activation` (LayerTraits): run both as one linearAct node.
 */
export function fuseLinearAct(): boolean {
  return fusionEnabled();
}

/** nn.Sequential, for a layer that declares `reluFused` followed by a ReLU: one convolution node. */
export function fuseConvRelu(): boolean {
  return fusionEnabled();
}

/**
 * linearAct's kernel contract: one float dtype, a 2-D weight, bias [out],
 * slope ≥ 0 for leakyRelu (the backward reads y's sign). Outside it,
 * linearAct runs act(linear(x, w, b)) op by op.
 */
export function linearActFits(input: Tensor, weight: Tensor, bias: Tensor | null, leaky: boolean, slope: number): boolean {
  return isFloat(input.dtype) && weight.dtype === input.dtype && (bias === null || bias.dtype === input.dtype) &&
    input.ndim >= 1 && weight.ndim === 2 && input.shape[input.ndim - 1] === weight.shape[1] &&
    (bias === null || (bias.ndim === 1 && bias.shape[0] === weight.shape[0])) &&
    (!leaky || slope >= 0);
}

/** F.crossEntropy: the softmax + cross-entropy kernel takes [N, C] scores, [N] int32 classes, no smoothing, a constant weight. */
export function fuseCrossEntropy(x: Tensor, y: Tensor, weight: Tensor | null, ignoreIndex: number, smoothing: number): boolean {
  return smoothing === 0 && fusionEnabled() && x.ndim === 2 && y.dtype === 'int32' &&
    y.ndim === 1 && y.shape[0] === x.shape[0] && Number.isInteger(ignoreIndex) &&
    (weight === null || !weight.requiresGrad);
}

/** F.binaryCrossEntropy: the fused kernel takes no weight and a constant target. */
export function fuseBCE(weight: Tensor | null, target: Tensor): boolean {
  return weight === null && fusionEnabled() && !target.requiresGrad;
}

/**
 * F.binaryCrossEntropyWithLogits: as fuseBCE, with a constant posWeight of
 * one value or one per entry of the last dim ([C] against [..., C]).
 */
export function fuseBCEWithLogits(weight: Tensor | null, target: Tensor, posWeight: Tensor | null, shape: readonly number[]): boolean {
  if (!fuseBCE(weight, target)) return false;
  if (posWeight === null) return true;
  if (posWeight.requiresGrad) return false;
  if (posWeight.numel() === 1) return true;
  return posWeight.ndim === 1 && shape.length > 0 && posWeight.shape[0] === shape[shape.length - 1];
}

/** SGD, Adam, AdamW, RMSprop, Adagrad: one sgdStep / adamStep / rmspropStep / adagradStep kernel per parameter. */
export function fuseOptimizerStep(): boolean {
  return fusionEnabled();
}
