/** StepLR: multiply the lr by gamma every stepSize epochs. */
import { checkInteger, checkNumber } from '../validate';
import { LRScheduler, type AnyOptimizer, type LRSchedulerOptions } from './lr-scheduler';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of StepLR. */
export interface StepLROptions extends LRSchedulerOptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

const STEP_LR = defineOptions<StepLROptions>('StepLR', { lastEpoch: true, gamma: true });

/**
 * Decays each group's lr by `gamma` every `stepSize` epochs, PyTorch's
 * `torch.optim.lr_scheduler.StepLR`: lr = base·γ^⌊epoch/stepSize⌋ when nothing
 * else changes it. Call `step()` once per epoch, after the optimizer's steps.
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.StepLR(opt, 30, { gamma: 0.1 });
 * for (let epoch = 0; epoch < 90; epoch++) {
 *   trainOneEpoch();
 *   sched.step();
 * }
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Multiplicative factor of the decay. */
  gamma: number;

  /**
   * @param optimizer the optimizer whose groups' lr to set
   * @param stepSize epochs between two decays
   * @param options `gamma` (default 0.1) and `lastEpoch`
   */
  constructor(optimizer: AnyOptimizer, stepSize: number, options: StepLROptions = {}) {
    rejectUnknownOptions(options, STEP_LR);
    super(optimizer, options);
    this.stepSize = checkInteger('StepLR', 'stepSize', stepSize, 1);
    this.gamma = checkNumber('StepLR', 'gamma', options.gamma ?? 0.1);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected hyperparameters(): Record<string, number> {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected loadHyperparameters(v: Record<string, number>): void {
    this.stepSize = checkInteger('StepLR.loadStateDict', 'stepSize', v.stepSize, 1);
    this.gamma = v.gamma;
  }
}
