/** CosineAnnealingLR: the cosine schedule of SGDR, without restarts. */
import { checkInteger, checkNumber } from '../validate';
import { LRScheduler, type AnyOptimizer, type LRSchedulerOptions } from './lr-scheduler';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of CosineAnnealingLR. */
export interface CosineAnnealingLROptions extends LRSchedulerOptions {
  /** Minimum learning rate (default 0). */
  etaMin?: number;
}

const COSINE = defineOptions<CosineAnnealingLROptions>('CosineAnnealingLR', { lastEpoch: true, etaMin: true });

/**
 * torch.optim.lr_scheduler.CosineAnnealingLR, in PyTorch 1.13's recursive
 * form: with no outside changes lr = ηmin + (base − ηmin)(1 + cos(π·epoch/tMax))/2,
 * rising again after tMax epochs. Each value is computed from the previous lr,
 * term by term as PyTorch does, so the float results agree with it.
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half period of the cosine, in epochs. */
  tMax: number;
  /** Minimum learning rate. */
  etaMin: number;

  /**
   * @param optimizer the optimizer whose groups' lr to set
   * @param tMax epochs of one half-period
   * @param options `etaMin` (default 0), `lastEpoch`
   */
  constructor(optimizer: AnyOptimizer, tMax: number, options: CosineAnnealingLROptions = {}) {
    rejectUnknownOptions(options, COSINE);
    super(optimizer, options);
    this.tMax = checkInteger('CosineAnnealingLR', 'tMax', tMax, 1);
    this.etaMin = checkNumber('CosineAnnealingLR', 'etaMin', options.etaMin ?? 0);
    this.initialStep();
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { tMax, etaMin, lastEpoch } = this;
    if (lastEpoch === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && lastEpoch > 0) {
      // Resumed mid-schedule: nothing to recurse from, so use the closed form.
      return this.baseLrs.map((base) => etaMin + (base - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2);
    }
    if (mod(lastEpoch - 1 - tMax, 2 * tMax) === 0) {
      // Leaving the minimum: the ratio form would divide by 1 + cos(π) = 0.
      return groups.map((g, i) => g.lr + (this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2);
    }
    return groups.map((g) => (1 + Math.cos(Math.PI * lastEpoch / tMax)) /
      (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax)) * (g.lr - etaMin) + etaMin);
  }

  protected hyperparameters(): Record<string, number> {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected loadHyperparameters(v: Record<string, number>): void {
    this.tMax = checkInteger('CosineAnnealingLR.loadStateDict', 'tMax', v.tMax, 1);
    this.etaMin = v.etaMin;
  }
}

/** Python's modulo (the result takes the divisor's sign), which PyTorch's formula relies on. */
function mod(a: number, m: number): number {
  return ((a % m) + m) % m;
}
