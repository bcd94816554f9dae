/**
 * Fused losses, each ONE tape node: softmax + cross-entropy against int32 class
 * targets and sigmoid + binary cross-entropy on logits, and binary
 * cross-entropy on probabilities. The loss functions in lib/nn/functional
 * choose these for their common option sets.
 */
import type { Tensor } from '../tensor';
import { REDUCTION_MEAN, REDUCTION_NONE, REDUCTION_SUM, type Float } from '../backend/kernels';
import { empty, k, record } from './util';

/** 'none' | 'mean' | 'sum' as the kernels' codes. */
export type LossReduction = 'none' | 'mean' | 'sum';
const CODES: Record<LossReduction, number> = { none: REDUCTION_NONE, mean: REDUCTION_MEAN, sum: REDUCTION_SUM };

/**
 * Cross-entropy of logits [N, C] against int32 targets [N], optional class
 * weight [C] (not differentiated) and ignoreIndex; 'mean' is PyTorch's weighted
 * mean. Callers have checked shapes and dtypes; a target out of range throws
 * the kernel's RangeError.
 */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number,
  reduction: LossReduction): Tensor {
  const [n, c] = logits.shape;
  const code = CODES[reduction];
  const w = weight === null ? null : weight.data as Float;
  const out = empty(reduction === 'none' ? [n] : [], logits.dtype);
  k().softmaxCrossEntropy(logits.data as Float, target.data as Int32Array, w, n, c, ignoreIndex, code, out.data as Float);
  return record(out, 'SoftmaxCrossEntropyBackward', [logits], (g) => {
    const dx = empty(logits.shape, g.dtype);
    k().softmaxCrossEntropyBackward(logits.data as Float, target.data as Int32Array, w, n, c, ignoreIndex, code,
      g.data as Float, dx.data as Float);
    return [dx];
  }, weight === null ? [logits, target] : [logits, target, weight]);
}

/**
 * Binary cross-entropy with logits over every element of `input` against
 * `target` (same shape and dtype); `posWeight` (not differentiated) repeats
 * with period `p` over the flattened input (p = its length: a per-class
 * weight over the last dim, or 1). Callers have checked the shapes.
 */
export function sigmoidBCE(input: Tensor, target: Tensor, posWeight: Tensor | null, reduction: LossReduction): Tensor {
  const n = input.numel();
  const p = posWeight === null ? 1 : posWeight.numel();
  const code = CODES[reduction];
  const pw = posWeight === null ? null : posWeight.data as Float;
  const out = empty(reduction === 'none' ? input.shape : [], input.dtype);
  k().sigmoidBCE(input.data as Float, target.data as Float, pw, n, p, code, out.data as Float);
  return record(out, 'SigmoidBCEBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    k().sigmoidBCEBackward(input.data as Float, target.data as Float, pw, n, p, code, g.data as Float, dx.data as Float);
    return [dx];
  }, posWeight === null ? [input, target] : [input, target, posWeight]);
}

/** The error for an input of binary cross-entropy outside [0, 1] at flat index `i`. */
export function probabilityError(loss: string, input: Tensor, i: number): RangeError {
  return new RangeError(`${loss}: all elements of input should be between 0 and 1, got ${input.data[i]} at flat index ${i}; ` +
    'apply sigmoid first, or use binaryCrossEntropyWithLogits (BCEWithLogitsLoss) on raw scores');
}

/**
 * Binary cross-entropy of probabilities `input` against `target` (same shape
 * and float dtype, target not differentiated), unweighted. The kernel checks
 * that every input lies in [0, 1] in the same pass; `loss` names the caller in
 * the RangeError when one does not.
 */
export function bceProbabilities(input: Tensor, target: Tensor, reduction: LossReduction, loss: string): Tensor {
  const n = input.numel();
  const code = CODES[reduction];
  const out = empty(reduction === 'none' ? input.shape : [], input.dtype);
  const bad = k().bce(input.data as Float, target.data as Float, n, code, out.data as Float);
  if (bad >= 0) throw probabilityError(loss, input, bad);
  return record(out, 'BinaryCrossEntropyBackward', [input], (g) => {
    const dx = empty(input.shape, g.dtype);
    k().bceBackward(input.data as Float, target.data as Float, n, code, g.data as Float, dx.data as Float);
    return [dx];
  }, [input, target]);
}
