/** Regression losses: mseLoss, l1Loss. */
import type { Tensor } from '../../tensor';
import { abs } from '../../ops/unary';
import { pow, sub } from '../../ops/arith';
import { checkInput, checkReduction, checkSameShapeTarget, reduce, type ReductionOptions } from './checks';

/** (input − target)², reduced. Target must have the input's shape. */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction('mseLoss', options.reduction ?? 'mean');
  checkSameShapeTarget('mseLoss', checkInput('mseLoss', input), target);
  return reduce(pow(sub(input, target), 2), reduction);
}

/** |input − target|, reduced. Target must have the input's shape. */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  const reduction = checkReduction('l1Loss', options.reduction ?? 'mean');
  checkSameShapeTarget('l1Loss', checkInput('l1Loss', input), target);
  return reduce(abs(sub(input, target)), reduction);
}
