/** Regression losses: mseLoss, l1Loss. */
import type { Tensor } from '../../tensor';
import { abs } from '../../ops/unary';
import { pow, sub } from '../../ops/arith';
import { checkInput, checkReduction, checkSameShapeTarget, reduce, type ReductionOptions } from './checks';
import { defineOptions, rejectUnknownOptions } from '../../options';

const MSE_LOSS = defineOptions<ReductionOptions>('mseLoss', { reduction: true });

/**
 * (input − target)², reduced. Target must have the input's shape.
 *
 * @param input the predictions
 * @param target the targets, same shape
 * @param options `reduction`: 'mean' (default), 'sum' or 'none'
 * @returns the loss
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  rejectUnknownOptions(options, MSE_LOSS);
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  checkSameShapeTarget('mseLoss', checkInput('mseLoss', input), target);
  return reduce(pow(sub(input, target), 2), reduction);
}

const L1_LOSS = defineOptions<ReductionOptions>('l1Loss', { reduction: true });

/**
 * |input − target|, reduced. Target must have the input's shape.
 *
 * @param input the predictions
 * @param target the targets, same shape
 * @param options `reduction`: 'mean' (default), 'sum' or 'none'
 * @returns the loss
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  rejectUnknownOptions(options, L1_LOSS);
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  checkSameShapeTarget('l1Loss', checkInput('l1Loss', input), target);
  return reduce(abs(sub(input, target)), reduction);
}
