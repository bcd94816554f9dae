/**
 * Binary cross-entropy on probabilities and on logits. Each elementwise loss
 * is one tape node whose forward is composed of ops and whose backward is
 * PyTorch's own formula: the plain chain rule through log(x) gives NaN at
 * x = 0 or 1 (0·∞), where PyTorch's BCE gradient is finite (EPSILON clamp),
 * and gives −y at logit 0 instead of σ(0) − y through |x|.
 */
import type { Tensor } from '../../tensor';
import { promoteTypes, type DType } from '../../dtype';
import { noGrad } from '../../autograd/grad-mode';
import { record } from '../../ops/util';
import { sumTo } from '../../ops/broadcast';
import { add, div, maximum, mul, neg, sub } from '../../ops/arith';
import { clamp, exp, log } from '../../ops/unary';
import { withoutForwardChecks } from '../../autograd/anomaly';
import { sigmoid } from '../../ops/activation';
import { ge, le } from '../../ops/compare';
import { argmax, max, min } from '../../ops/reduce';
import { bceProbabilities, probabilityError, sigmoidBCE } from '../../ops/fused-loss';
import { fuseBCE, fuseBCEWithLogits } from '../../ops/fusion';
import { checkBroadcastWeight, checkInput, checkReduction, checkSameShapeTarget, reduce, type Reduction, type ReductionOptions } from './checks';
import { defineOptions, rejectUnknownOptions, type OptionSpec } from '../../options';

/** Options of `binaryCrossEntropy`. */
export interface BCEOptions extends ReductionOptions {
  /** Rescales each element's loss; must broadcast to the input's shape. */
  weight?: Tensor | null;
}

/** Options of `binaryCrossEntropyWithLogits`. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** Weight of positive examples (per class, broadcast over the input's last dims). */
  posWeight?: Tensor | null;
}

/** PyTorch's floor on x(1 − x) in the BCE gradient: a C++ `float` 1e-12, in float64 too. */
const EPSILON = Math.fround(1e-12);

/** Throws unless every input lies in [0, 1] (NaN fails too, as in PyTorch). */
function checkProbabilities(loss: string, input: Tensor): void {
  if (input.numel() === 0) return;
  noGrad(() => {
    // Two reductions on the happy path; max() propagates NaN, so NaN fails too.
    if (min(input).item() >= 0 && max(input).item() <= 1) return;
    throw probabilityError(loss, input, argmax(sub(1, mul(ge(input, 0), le(input, 1)))).item());
  });
}

/** −(y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)), elementwise. */
function bceElementwise(x: Tensor, y: Tensor): Tensor {
  // log(0) = −Infinity is expected here and clamped at once: not an anomaly.
  const out = withoutForwardChecks(() => noGrad(() => neg(add(mul(y, clamp(log(x), -100)), mul(sub(1, y), clamp(log(sub(1, x)), -100))))));
  return record(out, 'BinaryCrossEntropyBackward', [x, y], (g) => [
    x.requiresGrad ? div(mul(g, sub(x, y)), maximum(mul(sub(1, x), x), EPSILON)) : null,
    // d/dy = −logit(x) = log(1 − x) − log(x), unclamped as in PyTorch.
    y.requiresGrad ? mul(g, neg(log(div(x, sub(1, x))))) : null,
  ], [x, y]);
}

/**
 * The checks both BCE forms start with, errors named by `spec`: the options'
 * keys, the reduction, input and target of the same shape, a weight that
 * broadcasts to them; with the dtype the loss is computed in.
 */
function checkBCEArgs(spec: OptionSpec, input: Tensor, target: Tensor, options: BCEOptions): { reduction: Reduction; weight: Tensor | null; dtype: DType } {
  rejectUnknownOptions(options, spec);
  const name = spec.where;
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  checkSameShapeTarget(name, checkInput(name, input), target);
  const weight = checkBroadcastWeight(name, 'weight', options.weight, input.shape);
  return { reduction, weight, dtype: promoteTypes(input.dtype, target.dtype) };
}

const BCE = defineOptions<BCEOptions>('binaryCrossEntropy', { reduction: true, weight: true });

/**
 * Binary cross-entropy of probabilities `input` (in [0, 1]) against `target`
 * of the same shape; each log is clamped at −100 as PyTorch does, so inputs of
 * exactly 0 or 1 give finite losses.
 *
 * @param input probabilities in [0, 1]
 * @param target targets in [0, 1], same shape
 * @param options `weight`, `reduction`
 * @returns the loss
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCEOptions = {}): Tensor {
  const { reduction, weight, dtype } = checkBCEArgs(BCE, input, target, options);
  if (fuseBCE(weight, target)) {
    // The common path: one fused node, the [0, 1] check in the same pass.
    return bceProbabilities(input.to(dtype), target.to(dtype), reduction, BCE.where);
  }
  checkProbabilities(BCE.where, input);
  const losses = bceElementwise(input.to(dtype), target.to(dtype));
  return reduce(weight === null ? losses : mul(losses, weight), reduction);
}

/**
 * PyTorch 1.13's stable form: with m = max(−x, 0),
 * (1 − y)·x + lw·(m + log(e^−m + e^(−x−m))), lw = (posWeight − 1)·y + 1
 * (lw = 1 without posWeight). Equal to max(x,0) − x·y + log(1 + e^−|x|) for lw = 1.
 */
function bceLogitsElementwise(x: Tensor, y: Tensor, pw: Tensor | null): Tensor {
  const out = noGrad(() => {
    const lw = pw === null ? null : add(mul(sub(pw, 1), y), 1);
    return add(mul(sub(1, y), x), lw === null ? softplus(neg(x)) : mul(lw, softplus(neg(x))));
  });
  const inputs = pw === null ? [x, y] : [x, y, pw];
  return record(out, 'BinaryCrossEntropyWithLogitsBackward', inputs, (g) => {
    const s = sigmoid(x);
    const t = pw === null ? null : mul(pw, y);
    const gx = t === null ? mul(sub(s, y), g) : mul(sub(mul(sub(add(t, 1), y), s), t), g);
    // log(1 − σ(x)) − pw·log σ(x) = pw·softplus(−x) − softplus(x), stable where σ saturates (as PyTorch's log_sigmoid).
    const gy = pw === null ? mul(x, neg(g)) : mul(sub(mul(pw, softplus(neg(x))), softplus(x)), g);
    // PyTorch has no gradient for pos_weight; this one is ∂ℓ/∂pw = y·softplus(−x), summed over broadcast dims.
    const gp = pw !== null && pw.requiresGrad ? sumTo(mul(mul(y, softplus(neg(x))), g), pw.shape) : null;
    return [x.requiresGrad ? gx : null, y.requiresGrad ? gy : null, gp];
  }, inputs);
}

/** log(1 + eᶻ) as m + log(e^−m + e^(z−m)), m = max(z, 0): PyTorch 1.13's stable form. Not recorded. */
function softplus(z: Tensor): Tensor {
  const m = clamp(z, 0);
  return add(m, log(add(exp(neg(m)), exp(sub(z, m)))));
}

const BCE_WITH_LOGITS = defineOptions<BCEWithLogitsOptions>('binaryCrossEntropyWithLogits', { reduction: true, weight: true, posWeight: true });

/**
 * Sigmoid + binary cross-entropy in one numerically stable expression, on raw
 * scores `input` against `target` of the same shape, with optional `weight`
 * and `posWeight`.
 *
 * @param input raw scores (logits)
 * @param target targets in [0, 1], same shape
 * @param options `weight`, `posWeight`, `reduction`
 * @returns the loss
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsOptions = {}): Tensor {
  const { reduction, weight, dtype } = checkBCEArgs(BCE_WITH_LOGITS, input, target, options);
  const posWeight = checkBroadcastWeight(BCE_WITH_LOGITS.where, 'posWeight', options.posWeight, input.shape);
  if (fuseBCEWithLogits(weight, target, posWeight, input.shape)) {
    // The common path: one fused sigmoid + BCE node.
    return sigmoidBCE(input.to(dtype), target.to(dtype), posWeight === null ? null : posWeight.to(dtype), reduction);
  }
  const losses = bceLogitsElementwise(input.to(dtype), target.to(dtype), posWeight === null ? null : posWeight.to(dtype));
  return reduce(weight === null ? losses : mul(losses, weight), reduction);
}
