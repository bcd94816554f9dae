/** ExponentialLR: multiply the lr by gamma every epoch. */
import { checkNumber } from '../validate';
import { LRScheduler, type AnyOptimizer, type LRSchedulerOptions } from './lr-scheduler';
import { defineOptions, rejectUnknownOptions } from '../../options';

const EXPONENTIAL_LR = defineOptions<LRSchedulerOptions>('ExponentialLR', { lastEpoch: true });

/** Decays each group's lr by `gamma` every epoch (torch.optim.lr_scheduler.ExponentialLR). */
export class ExponentialLR extends LRScheduler {
  /** Multiplicative factor of the decay. */
  gamma: number;

  /**
   * @param optimizer the optimizer whose groups' lr to set
   * @param gamma the factor applied every epoch
   * @param options `lastEpoch`
   */
  constructor(optimizer: AnyOptimizer, gamma: number, options: LRSchedulerOptions = {}) {
    rejectUnknownOptions(options, EXPONENTIAL_LR);
    super(optimizer, options);
    this.gamma = checkNumber('ExponentialLR', 'gamma', gamma);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected hyperparameters(): Record<string, number> {
    return { gamma: this.gamma };
  }

  protected loadHyperparameters(v: Record<string, number>): void {
    this.gamma = v.gamma;
  }
}
