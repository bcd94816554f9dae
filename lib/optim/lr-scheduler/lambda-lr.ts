/** LambdaLR: the lr of each group is its initial lr times a function of the epoch. */
import { LRScheduler, type AnyOptimizer, type LRSchedulerOptions } from './lr-scheduler';
import { describeValue } from '../validate';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** A multiplicative factor of the initial lr, given the epoch index. */
export type LrLambda = (epoch: number) => number;

const LAMBDA_LR = defineOptions<LRSchedulerOptions>('LambdaLR', { lastEpoch: true });

/**
 * PyTorch's `torch.optim.lr_scheduler.LambdaLR`: lr = initialLr · lrLambda(epoch), with one
 * function for every group or one per group.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.LambdaLR(opt, (epoch) => 0.95 ** epoch);
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The function of each param group. */
  readonly lrLambdas: LrLambda[];

  /**
   * @param optimizer the optimizer whose param groups' `lr` is set
   * @param lrLambda the factor of the initial lr as a function of the epoch: one for every group, or an array of one per group
   * @param options `lastEpoch` (default -1: a fresh start)
   */
  constructor(optimizer: AnyOptimizer, lrLambda: LrLambda | readonly LrLambda[], options: LRSchedulerOptions = {}) {
    rejectUnknownOptions(options, LAMBDA_LR);
    super(optimizer, options);
    const groups = optimizer.paramGroups.length;
    const fns: unknown[] = Array.isArray(lrLambda) ? [...(lrLambda as unknown[])] : new Array<unknown>(groups).fill(lrLambda);
    if (fns.length !== groups) throw new RangeError(`LambdaLR: Expected ${groups} lrLambdas, but got ${fns.length}`);
    fns.forEach((fn, i) => {
      if (typeof fn !== 'function') throw new TypeError(`LambdaLR: lrLambda${Array.isArray(lrLambda) ? `[${i}]` : ''} must be a function of the epoch, got ${describeValue(fn)}`);
    });
    this.lrLambdas = fns as LrLambda[];
    this.initialStep();
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => {
      const factor = this.lrLambdas[i](this.lastEpoch);
      if (typeof factor !== 'number') throw new TypeError(`LambdaLR: lrLambda returned ${describeValue(factor)} for epoch ${this.lastEpoch}, expected a number`);
      return base * factor;
    });
  }

  /** The functions are not saved (as PyTorch, which saves only callable objects' attributes). */
  protected hyperparameters(): Record<string, never> {
    return {};
  }

  protected loadHyperparameters(): void {
    // Nothing beyond the base state: the functions come from the constructor.
  }
}
