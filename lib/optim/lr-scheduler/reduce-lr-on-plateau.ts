/** ReduceLROnPlateau: lower the lr when a metric stops improving. */
import { Tensor } from '../../tensor';
import { Optimizer } from '../optimizer';
import { checkInteger, checkNumber, describeValue } from '../validate';
import { defineOptions, rejectUnknownOptions } from '../../options';
import type { AnyOptimizer } from './lr-scheduler';

/** Options of ReduceLROnPlateau (PyTorch's keyword arguments in camelCase). */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should fall; 'max': it should rise. */
  mode?: 'min' | 'max';
  /** new lr = lr · factor (default 0.1), < 1. */
  factor?: number;
  /** Epochs without improvement tolerated before the lr is lowered (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best·(1 ∓ threshold); 'abs': than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the lr, one or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than eps is skipped (default 1e-8). */
  eps?: number;
}

/** ReduceLROnPlateau's state (PyTorch's `__dict__` minus the optimizer): its settings, counters and each group's last lr. */
export type ReduceLROnPlateauStateDict = Pick<ReduceLROnPlateau, 'mode' | 'factor' | 'patience' | 'threshold' | 'thresholdMode' |
  'cooldown' | 'cooldownCounter' | 'minLrs' | 'eps' | 'best' | 'numBadEpochs' | 'lastEpoch'> & {
  /** Each group's lr after the last step. */
  lastLr: number[];
};

const PLATEAU = defineOptions<ReduceLROnPlateauOptions>('ReduceLROnPlateau', {
  mode: true, factor: true, patience: true, threshold: true, thresholdMode: true, cooldown: true, minLr: true, eps: true,
});

/**
 * PyTorch's `torch.optim.lr_scheduler.ReduceLROnPlateau`: call `step(metric)` once per
 * epoch with the validation metric; after more than `patience` epochs
 * without improvement each group's lr becomes max(lr·factor, minLr), then
 * `cooldown` epochs pass before bad epochs count again. It does not change
 * the lrs at construction (as PyTorch's).
 *
 * @example
 * ```ts
 * const sched = new optim.lrScheduler.ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   train();
 *   sched.step(validationLoss());         // a number or a one-element tensor
 * }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose param groups' `lr` this scheduler lowers. */
  readonly optimizer: AnyOptimizer;
  /** Whether the metric should fall ('min') or rise ('max'). */
  mode: 'min' | 'max';
  /** Multiplier of a reduction. */
  factor: number;
  /** Bad epochs tolerated. */
  patience: number;
  /** Improvement threshold. */
  threshold: number;
  /** Relative or absolute threshold. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs of cooldown after a reduction. */
  cooldown: number;
  /** Cooldown epochs left. */
  cooldownCounter = 0;
  /** Lower bound of each group's lr. */
  minLrs: number[];
  /** Smallest reduction applied. */
  eps: number;
  /** Best metric so far (±Infinity before the first). */
  best: number;
  /** Epochs since the last improvement. */
  numBadEpochs = 0;
  /** Epochs counted by step(). */
  lastEpoch = 0;
  private lastLr: number[];

  /**
   * @param optimizer the optimizer whose param groups' `lr` is lowered
   * @param options `mode` ('min'), `factor` (0.1), `patience` (10), `threshold` (1e-4), `thresholdMode` ('rel'), `cooldown` (0), `minLr` (0; one or one per group), `eps` (1e-8)
   */
  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    rejectUnknownOptions(options, PLATEAU);
    const W = 'ReduceLROnPlateau';
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${W}: ${describeValue(optimizer)} is not an Optimizer`);
    this.optimizer = optimizer;
    this.factor = checkNumber(W, 'factor', options.factor ?? 0.1);
    if (!(this.factor < 1)) throw new RangeError(`${W}: Factor should be < 1.0, got ${this.factor}`);
    const groups = optimizer.paramGroups.length;
    const minLr: unknown = options.minLr ?? 0;
    const minLrs = Array.isArray(minLr) ? [...(minLr as unknown[])] : new Array<unknown>(groups).fill(minLr);
    if (minLrs.length !== groups) throw new RangeError(`${W}: expected ${groups} minLrs, got ${minLrs.length}`);
    this.minLrs = minLrs.map((v, i) => checkNumber(W, Array.isArray(minLr) ? `minLr[${i}]` : 'minLr', v));
    this.patience = checkInteger(W, 'patience', options.patience ?? 10, 0);
    this.cooldown = checkInteger(W, 'cooldown', options.cooldown ?? 0, 0);
    this.threshold = checkNumber(W, 'threshold', options.threshold ?? 1e-4);
    this.eps = checkNumber(W, 'eps', options.eps ?? 1e-8);
    const mode: unknown = options.mode ?? 'min';
    const thresholdMode: unknown = options.thresholdMode ?? 'rel';
    this.mode = checkMode(W, mode);
    this.thresholdMode = checkThresholdMode(W, thresholdMode);
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether `a` improves on `best` by more than the threshold. */
  private isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /**
   * Ends an epoch with its metric (a number or a one-element tensor); lowers the lrs after too long a plateau.
   *
   * @param metric the epoch's validation metric: a number or a one-element tensor
   */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') {
      throw new TypeError(`ReduceLROnPlateau.step: metric must be a number or a one-element Tensor, got ${describeValue(metric)}`);
    }
    this.lastEpoch++;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.optimizer.paramGroups.forEach((group, i) => {
        const newLr = Math.max(group.lr * this.factor, this.minLrs[i]);
        if (group.lr - newLr > this.eps) group.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Each group's lr after the last step() (the current lrs before the first). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state, without the optimizer. */
  stateDict(): ReduceLROnPlateauStateDict {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, cooldownCounter, eps, best, numBadEpochs, lastEpoch } = this;
    return {
      mode, factor, patience, threshold, thresholdMode, cooldown, cooldownCounter, minLrs: this.minLrs.slice(), eps, best,
      numBadEpochs, lastEpoch, lastLr: this.lastLr.slice(),
    };
  }

  /**
   * Restores the state from `stateDict()`; checks everything before changing anything.
   *
   * @param state what `stateDict()` returned (same number of param groups)
   */
  loadStateDict(state: ReduceLROnPlateauStateDict): void {
    const W = 'ReduceLROnPlateau.loadStateDict';
    if (state === null || typeof state !== 'object') throw new TypeError(`${W}: expected a scheduler state dict, got ${describeValue(state)}`);
    const groups = this.optimizer.paramGroups.length;
    const list = (key: 'minLrs' | 'lastLr'): number[] => {
      const v: unknown = state[key];
      if (!Array.isArray(v) || v.length !== groups || v.some((x) => typeof x !== 'number')) {
        throw new RangeError(`${W}: ${key} must be an array of ${groups} numbers (one per param group), got ${describeValue(v)}`);
      }
      return (v as number[]).slice();
    };
    const next = {
      mode: checkMode(W, state.mode), thresholdMode: checkThresholdMode(W, state.thresholdMode),
      factor: checkNumber(W, 'factor', state.factor), threshold: checkNumber(W, 'threshold', state.threshold),
      eps: checkNumber(W, 'eps', state.eps), best: checkNumber(W, 'best', state.best),
      patience: checkInteger(W, 'patience', state.patience, 0), cooldown: checkInteger(W, 'cooldown', state.cooldown, 0),
      cooldownCounter: checkInteger(W, 'cooldownCounter', state.cooldownCounter, 0),
      numBadEpochs: checkInteger(W, 'numBadEpochs', state.numBadEpochs, 0),
      lastEpoch: checkInteger(W, 'lastEpoch', state.lastEpoch, 0), minLrs: list('minLrs'), lastLr: list('lastLr'),
    };
    Object.assign(this, next);
  }
}

function checkMode(where: string, mode: unknown): 'min' | 'max' {
  if (mode !== 'min' && mode !== 'max') throw new RangeError(`${where}: mode ${describeValue(mode)} is unknown! Expected 'min' or 'max'`);
  return mode;
}

function checkThresholdMode(where: string, mode: unknown): 'rel' | 'abs' {
  if (mode !== 'rel' && mode !== 'abs') throw new RangeError(`${where}: threshold mode ${describeValue(mode)} is unknown! Expected 'rel' or 'abs'`);
  return mode;
}
