/** OneCycleLR: the 1cycle policy (Smith & Topin), lr and momentum annealed per batch. */
import { LRScheduler, type AnyOptimizer, type Hyperparameter, type LRSchedulerOptions } from './lr-scheduler';
import { checkBoolean, checkInteger, checkNumber, describeValue } from '../validate';
import { defineOptions, rejectUnknownOptions } from '../../options';

/** Options of OneCycleLR (PyTorch's keyword arguments in camelCase). */
export interface OneCycleLROptions extends LRSchedulerOptions {
  /** Peak lr, one for all groups or one per group (required). */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  /** Epochs to train for (with stepsPerEpoch, when totalSteps is not given). */
  epochs?: number;
  /** Steps per epoch (with epochs). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle the momentum (SGD, RMSprop: momentum; Adam: betas[0]) inversely to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak, one or one per group (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end, one or one per group (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Three phases: up, down to initialLr, then down to minLr (default false: two phases). */
  threePhase?: boolean;
}

const ONE_CYCLE = defineOptions<OneCycleLROptions>('OneCycleLR', {
  lastEpoch: true, maxLr: true, totalSteps: true, epochs: true, stepsPerEpoch: true, pctStart: true,
  annealStrategy: true, cycleMomentum: true, baseMomentum: true, maxMomentum: true, divFactor: true,
  finalDivFactor: true, threePhase: true,
});

/** Where each phase ends and which values it anneals between. */
interface Phase {
  endStep: number;
  startLr: 'initialLr' | 'maxLr' | 'minLr';
  endLr: 'initialLr' | 'maxLr' | 'minLr';
  startMomentum: 'maxMomentum' | 'baseMomentum';
  endMomentum: 'maxMomentum' | 'baseMomentum';
}

/** A group's momentum, and how to set it: `momentum`, or `betas[0]` for the Adam family. */
interface MomentumGroup {
  momentum?: number;
  betas?: readonly [number, number];
}

/**
 * PyTorch's `torch.optim.lr_scheduler.OneCycleLR`. Call `step()` after every batch. The lr
 * rises from maxLr/divFactor to maxLr over the first pctStart of totalSteps
 * and falls to initialLr/finalDivFactor by the end (cosine or linear); with
 * cycleMomentum the optimizer's momentum (Adam: betas[0]) moves the opposite
 * way between maxMomentum and baseMomentum. Like PyTorch it sets each group's
 * `initialLr` (and momentum) at construction.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
 * const sched = new optim.lrScheduler.OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: loader.length });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const [x, y] of loader) {
 *     // forward, backward, opt.step() ...
 *     sched.step();                        // once per batch
 *   }
 * }
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** Steps in the cycle. */
  totalSteps: number;
  /** Fraction of the cycle spent raising the lr. */
  pctStart: number;
  /** The annealing curve. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum is cycled. */
  cycleMomentum: boolean;
  /** Three phases instead of two. */
  threePhase: boolean;
  /** Peak lr per group. */
  maxLrs: number[];
  /** Final lr per group. */
  minLrs: number[];
  /** Momentum at the lr's peak, per group. */
  baseMomentums: number[];
  /** Momentum at the start and end, per group. */
  maxMomentums: number[];

  /**
   * @param optimizer the optimizer whose `lr` (and momentum or betas[0]) is set
   * @param options `maxLr` (required), and `totalSteps` or `epochs` with `stepsPerEpoch`; `pctStart` (0.3), `annealStrategy` ('cos'), `cycleMomentum` (true), `baseMomentum` (0.85), `maxMomentum` (0.95), `divFactor` (25), `finalDivFactor` (1e4), `threePhase` (false), `lastEpoch` (-1)
   */
  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    rejectUnknownOptions(options, ONE_CYCLE);
    super(optimizer, options);
    const W = 'OneCycleLR';
    const o = options;
    this.totalSteps = totalStepsOf(o);
    this.pctStart = checkNumber(W, 'pctStart', o.pctStart ?? 0.3);
    if (!(this.pctStart >= 0 && this.pctStart <= 1)) throw new RangeError(`${W}: Expected pctStart between 0 and 1, but got ${this.pctStart}`);
    const strategy: unknown = o.annealStrategy ?? 'cos';
    if (strategy !== 'cos' && strategy !== 'linear') {
      throw new RangeError(`${W}: annealStrategy must be one of 'cos' or 'linear', instead got ${describeValue(strategy)}`);
    }
    this.annealStrategy = strategy;
    this.threePhase = o.threePhase ?? false;
    checkBoolean(W, 'threePhase', this.threePhase);
    this.cycleMomentum = o.cycleMomentum ?? true;
    checkBoolean(W, 'cycleMomentum', this.cycleMomentum);
    const divFactor = checkNumber(W, 'divFactor', o.divFactor ?? 25);
    const finalDivFactor = checkNumber(W, 'finalDivFactor', o.finalDivFactor ?? 1e4);
    if (o.maxLr === undefined) throw new TypeError(`${W}: maxLr is required (the peak learning rate, one or one per param group)`);
    this.maxLrs = perGroup(optimizer, 'maxLr', o.maxLr);
    const groups = optimizer.paramGroups;
    if (this.lastEpoch === -1) {
      groups.forEach((g, i) => { g.initialLr = this.maxLrs[i] / divFactor; });
      this.baseLrs = groups.map((g) => g.initialLr as number);
    }
    this.minLrs = this.baseLrs.map((lr) => lr / finalDivFactor);
    this.maxMomentums = perGroup(optimizer, 'maxMomentum', o.maxMomentum ?? 0.95);
    this.baseMomentums = perGroup(optimizer, 'baseMomentum', o.baseMomentum ?? 0.85);
    if (this.cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new TypeError(`${W}: optimizer must support momentum (a momentum or betas option) with the cycleMomentum option enabled`);
      }
      if (this.lastEpoch === -1) groups.forEach((g, i) => setMomentum(g as MomentumGroup, this.maxMomentums[i]));
    }
    this.initialStep();
  }

  /** The phases of the cycle, from totalSteps, pctStart and threePhase (PyTorch's _schedule_phases). */
  private phases(): Phase[] {
    const up = this.pctStart * this.totalSteps - 1;
    const last = this.totalSteps - 1;
    if (this.threePhase) {
      return [
        { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
        { endStep: 2 * this.pctStart * this.totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
        { endStep: last, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
      ];
    }
    return [
      { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
      { endStep: last, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
    ];
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1);
  }

  /** The lr of each group at step lastEpoch; sets the momenta too, as PyTorch's get_lr. */
  protected computeLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(`OneCycleLR: Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`);
    }
    const phases = this.phases();
    return this.optimizer.paramGroups.map((group, i) => {
      const values = {
        initialLr: group.initialLr as number, maxLr: this.maxLrs[i], minLr: this.minLrs[i],
        maxMomentum: this.maxMomentums[i], baseMomentum: this.baseMomentums[i],
      };
      let start = 0;
      for (let p = 0; p < phases.length; p++) {
        const phase = phases[p];
        if (step <= phase.endStep || p === phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.cycleMomentum) {
            setMomentum(group as MomentumGroup, this.anneal(values[phase.startMomentum], values[phase.endMomentum], pct));
          }
          return this.anneal(values[phase.startLr], values[phase.endLr], pct);
        }
        start = phase.endStep;
      }
      throw new Error('OneCycleLR: unreachable: the last phase always matches');
    });
  }

  protected hyperparameters(): Record<string, Hyperparameter> {
    return {
      totalSteps: this.totalSteps, pctStart: this.pctStart, annealStrategy: this.annealStrategy,
      cycleMomentum: this.cycleMomentum, threePhase: this.threePhase, maxLrs: this.maxLrs.slice(),
      minLrs: this.minLrs.slice(), baseMomentums: this.baseMomentums.slice(), maxMomentums: this.maxMomentums.slice(),
    };
  }

  protected loadHyperparameters(v: Record<string, Hyperparameter>): void {
    const W = 'OneCycleLR.loadStateDict';
    this.totalSteps = checkInteger(W, 'totalSteps', v.totalSteps, 1);
    this.pctStart = v.pctStart as number;
    if (v.annealStrategy !== 'cos' && v.annealStrategy !== 'linear') {
      throw new RangeError(`${W}: annealStrategy must be one of 'cos' or 'linear', instead got ${describeValue(v.annealStrategy)}`);
    }
    this.annealStrategy = v.annealStrategy;
    this.cycleMomentum = v.cycleMomentum as boolean;
    this.threePhase = v.threePhase as boolean;
    this.maxLrs = v.maxLrs as number[];
    this.minLrs = v.minLrs as number[];
    this.baseMomentums = v.baseMomentums as number[];
    this.maxMomentums = v.maxMomentums as number[];
  }
}

/** totalSteps, or epochs · stepsPerEpoch (PyTorch's precedence and messages). */
function totalStepsOf(o: OneCycleLROptions): number {
  const W = 'OneCycleLR';
  if (o.totalSteps === undefined && o.epochs === undefined && o.stepsPerEpoch === undefined) {
    throw new TypeError(`${W}: You must define either totalSteps OR (epochs AND stepsPerEpoch)`);
  }
  const positive = (name: string, v: unknown): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`${W}: Expected positive integer ${name}, but got ${describeValue(v)}`);
    return v;
  };
  if (o.totalSteps !== undefined) return positive('totalSteps', o.totalSteps);
  return positive('epochs', o.epochs) * positive('stepsPerEpoch', o.stepsPerEpoch);
}

/** One value per param group from a number or a list of them. */
function perGroup(optimizer: AnyOptimizer, name: string, value: unknown): number[] {
  const n = optimizer.paramGroups.length;
  const list = Array.isArray(value) ? [...(value as unknown[])] : new Array<unknown>(n).fill(value);
  if (list.length !== n) throw new RangeError(`OneCycleLR: expected ${n} values for ${name}, got ${list.length}`);
  return list.map((v, i) => checkNumber('OneCycleLR', Array.isArray(value) ? `${name}[${i}]` : name, v));
}

/** Sets momentum, or betas[0] for optimizers with betas. */
function setMomentum(group: MomentumGroup, value: number): void {
  if (group.betas !== undefined) group.betas = [value, group.betas[1]];
  else group.momentum = value;
}
