/**
 * crossEntropy = logSoftmax + nll, with PyTorch's two target kinds (int32
 * class indices, or float class probabilities of the input's shape), class
 * weights, ignoreIndex and label smoothing — PyTorch 1.13's formulas, term by term.
 */
import { Tensor } from '../../tensor';
import { isFloat } from '../../dtype';
import { fmtShape, sameShape } from '../../shape';
import { add, div, mul, neg } from '../../ops/arith';
import { logSoftmax } from '../../ops/activation';
import { sum } from '../../ops/reduce';
import { reshape } from '../../ops/shape';
import { checkClassWeight, checkInput, checkReduction, reduce, type Reduction } from './checks';
import { batched, classTargets, nllFromTargets, type NLLOptions } from './nll';
import { softmaxCrossEntropy } from '../../ops/fused-loss';
import { fuseCrossEntropy } from '../../ops/fusion';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of `crossEntropy`. */
export interface CrossEntropyOptions extends NLLOptions {
  /** Mixes the target with the uniform distribution: (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/** Per-class weight shaped [1, C, 1, …] to broadcast against an [N, C, d1, …] input. */
function classWeightView(weight: Tensor, ndim: number): Tensor {
  const shape = new Array<number>(ndim).fill(1);
  shape[1] = weight.shape[0];
  return reshape(weight, shape);
}

/** Probability targets: −Σ_c w_c·t_c·log p_c per sample; the mean divides by the sample count N·d1·…, not the weights. */
function probabilityLoss(logp: Tensor, target: Tensor, weight: Tensor | null, smoothing: number, reduction: Reduction): Tensor {
  const classes = logp.shape[1];
  const t = smoothing > 0 ? add(mul(target, 1 - smoothing), smoothing / classes) : target;
  let prod = mul(logp, t);
  if (weight !== null) prod = mul(prod, classWeightView(weight, logp.ndim));
  if (reduction === 'none') return neg(sum(prod, 1));
  const total = neg(sum(prod));
  return reduction === 'sum' ? total : div(total, logp.numel() / classes);
}

const CROSS_ENTROPY = defineOptions<CrossEntropyOptions>('crossEntropy', { reduction: true, weight: true, ignoreIndex: true, labelSmoothing: true });

/**
 * Cross-entropy of raw scores `input` ([N, C], [N, C, d1, …] or [C]) against
 * int32 class indices ([N] / [N, d1, …] / []) or float class probabilities of
 * the input's shape. With class indices and `weight`, the mean is
 * Σ w_y·ℓ / Σ w_y over targets not equal to `ignoreIndex`.
 *
 * @param input raw scores, [N, C]
 * @param target int32 classes [N], or probabilities [N, C]
 * @param options `weight`, `ignoreIndex`, `labelSmoothing`, `reduction`
 * @returns the loss
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  rejectUnknownOptions(options, CROSS_ENTROPY);
  const name = 'crossEntropy';
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  checkInput(name, input);
  const smoothing = options.labelSmoothing ?? 0;
  if (typeof smoothing !== 'number' || !(smoothing >= 0 && smoothing <= 1)) {
    throw new RangeError(`${name}: labelSmoothing must be between 0.0 and 1.0, got ${String(smoothing)}`);
  }
  const ignoreIndex = options.ignoreIndex ?? -100;
  return batched(name, input, target, reduction, (x, y) => {
    const given = checkClassWeight(name, options.weight, x.shape[1]);
    const weight = given === null ? null : given.to(x.dtype);
    if (y instanceof Tensor && isFloat(y.dtype)) {
      if (!sameShape(y.shape, x.shape)) {
        if (sameShape(y.shape, [x.shape[0], ...x.shape.slice(2)])) {
          throw new TypeError(`${name}: class indices must be int32, got ${y.dtype} of shape ${fmtShape(y.shape)}; convert them with .int() ` +
            `(float targets are class probabilities and need the input's shape ${fmtShape(x.shape)})`);
        }
        throw new RangeError(`${name}: float (probability) targets must have the input's shape ${fmtShape(x.shape)}, got ${fmtShape(y.shape)}`);
      }
      return probabilityLoss(logSoftmax(x, 1), y, weight, smoothing, reduction);
    }
    if (y instanceof Tensor && fuseCrossEntropy(x, y, weight, ignoreIndex, smoothing)) {
      // The common path: one fused softmax + cross-entropy node.
      try {
        return softmaxCrossEntropy(x, y, weight, ignoreIndex, reduction);
      } catch (err) {
        // A target out of range: let classTargets throw its descriptive error.
        if (err instanceof RangeError) classTargets(name, x, y, weight, ignoreIndex);
        throw err;
      }
    }
    const t = classTargets(name, x, y, weight, ignoreIndex);
    const logp = logSoftmax(x, 1);
    const nll = nllFromTargets(logp, t, reduction);
    if (smoothing === 0) return nll;
    // The smoothing term −Σ_c w_c·log p_c, zero where ignored, normalised like the nll term.
    const perClass = weight === null ? logp : mul(logp, classWeightView(weight, logp.ndim));
    const smooth = mul(neg(sum(perClass, 1)), t.keep);
    const term = reduction === 'mean' ? div(sum(smooth), sum(weight === null ? t.keep : t.weights)) : reduce(smooth, reduction);
    return add(mul(nll, 1 - smoothing), mul(term, smoothing / x.shape[1]));
  });
}
