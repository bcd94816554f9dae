/**
 * Negative log-likelihood over class-index targets, shared by nllLoss and
 * crossEntropy: picks −w[y]·input[n, y, …] with gather, zeroes ignored targets
 * and divides the mean by Σ w[y] over the targets kept (PyTorch's weighted mean).
 */
import { Tensor } from '../../tensor';
import { noGrad } from '../../autograd/grad-mode';
import { describe, fmtShape, sameShape } from '../../shape';
import { div, mul, neg, sub } from '../../ops/arith';
import { eq, ge, lt } from '../../ops/compare';
import { argmax, sum } from '../../ops/reduce';
import { gather, indexSelect } from '../../ops/indexing';
import { reshape, squeeze, unsqueeze } from '../../ops/shape';
import { checkClassWeight, checkInput, checkReduction, reduce, type Reduction, type ReductionOptions } from './checks';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of `nllLoss`. */
export interface NLLOptions extends ReductionOptions {
  /** Per-class weight, a 1-D tensor of C entries. */
  weight?: Tensor | null;
  /** Target value that contributes nothing, not even to the mean's denominator (default −100). */
  ignoreIndex?: number;
}

/** Class-index targets resolved against the input: what both losses need. */
export interface ClassTargets {
  /** Targets with ignored entries replaced by class 0 (safe to gather). */
  safe: Tensor;
  /** 1 where the target counts, 0 where it is ignored (input's dtype). */
  keep: Tensor;
  /** w[y] (1 without weights) times keep: each target's weight in the sum and the mean. */
  weights: Tensor;
}

/** Checks an int32 target of shape [N, d1, …] for an input [N, C, d1, …] and that every class is in range. */
export function classTargets(loss: string, input: Tensor, target: unknown, weight: Tensor | null, ignoreIndex: number): ClassTargets {
  if (!(target instanceof Tensor)) throw new TypeError(`${loss}: expected target to be a Tensor, got ${describe(target)}`);
  if (target.dtype !== 'int32') {
    throw new TypeError(`${loss}: class-index targets must be an int32 tensor, got ${target.dtype} of shape ${fmtShape(target.shape)}; ` +
      'convert the labels with .int()' + (loss === 'crossEntropy' ? ` (or pass class probabilities of the input's shape ${fmtShape(input.shape)})` : ''));
  }
  const expected = [input.shape[0], ...input.shape.slice(2)];
  if (!sameShape(target.shape, expected)) {
    throw new RangeError(`${loss}: expected target of shape ${fmtShape(expected)} for input of shape ${fmtShape(input.shape)}, got ${fmtShape(target.shape)}`);
  }
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${loss}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  const classes = input.shape[1];
  return noGrad(() => {
    const keepInt = sub(1, eq(target, ignoreIndex));
    const outOfRange = mul(keepInt, sub(1, mul(ge(target, 0), lt(target, classes))));
    if (outOfRange.numel() > 0 && sum(outOfRange).item() > 0) {
      const i = argmax(outOfRange).item();
      throw new RangeError(`${loss}: target ${target.data[i]} (at flat index ${i}) is out of bounds for ${classes} classes; ` +
        `expected 0 <= target < ${classes}, or ignoreIndex (${ignoreIndex})`);
    }
    const safe = mul(target, keepInt);
    const keep = keepInt.to(input.dtype);
    const weights = weight === null ? keep : mul(reshape(indexSelect(weight, 0, reshape(safe, [safe.numel()])), target.shape), keep);
    return { safe, keep, weights };
  });
}

/** −w[y]·input[n, y, …] per target (0 where ignored), reduced with the weighted mean. */
export function nllFromTargets(input: Tensor, t: ClassTargets, reduction: Reduction): Tensor {
  const picked = squeeze(gather(input, 1, unsqueeze(t.safe, 1)), 1);
  const losses = neg(mul(picked, t.weights));
  if (reduction === 'mean') return div(sum(losses), sum(t.weights));
  return reduce(losses, reduction);
}

/**
 * Runs `body` on a batched view: an unbatched input [C] with a 0-d target
 * becomes [1, C] and [1]; a 'none' result is unbatched back.
 */
export function batched(loss: string, input: Tensor, target: unknown, reduction: Reduction,
  body: (input: Tensor, target: unknown) => Tensor): Tensor {
  if (input.ndim === 0) throw new RangeError(`${loss}: input must have a class dim, got a 0-d tensor`);
  if (input.ndim > 1) return body(input, target);
  const t = target instanceof Tensor && target.ndim === input.ndim - 1 ? unsqueeze(target, 0) : target;
  const out = body(unsqueeze(input, 0), t);
  return reduction === 'none' ? squeeze(out, 0) : out;
}

const NLL = defineOptions<NLLOptions>('nllLoss', { reduction: true, weight: true, ignoreIndex: true });

/**
 * Negative log-likelihood of log-probabilities `input` ([N, C] or
 * [N, C, d1, …], or [C]) at int32 class indices `target` ([N] / [N, d1, …] / []).
 *
 * @param input log-probabilities, [N, C]
 * @param target int32 classes, [N]
 * @param options `weight`, `ignoreIndex`, `reduction`
 * @returns the loss
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLOptions = {}): Tensor {
  rejectUnknownOptions(options, NLL);
  const name = 'nllLoss';
  const reduction = checkReduction(name, options.reduction ?? 'mean');
  checkInput(name, input);
  const ignoreIndex = options.ignoreIndex ?? -100;
  return batched(name, input, target, reduction, (x, y) => {
    const weight = checkClassWeight(name, options.weight, x.shape[1]);
    return nllFromTargets(x, classTargets(name, x, y, weight === null ? null : weight.to(x.dtype), ignoreIndex), reduction);
  });
}
