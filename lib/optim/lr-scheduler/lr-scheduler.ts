/**
 * The base of the lr schedulers (PyTorch's torch.optim.lr_scheduler.LRScheduler):
 * it owns the epoch counter and writes each group's `lr`; subclasses compute the
 * next lrs from the current ones (PyTorch's chainable get_lr form, so an lr
 * changed by hand between steps is carried on, as in PyTorch).
 */
import { Optimizer, type BaseOptions } from '../optimizer';
import { checkInteger, describeValue } from '../validate';

/** Any optimizer, whatever its options and state. */
export type AnyOptimizer = Optimizer<BaseOptions, object>;

/** Options every scheduler takes. */
export interface LRSchedulerOptions {
  /**
   * The index of the last epoch when resuming (default −1: start fresh). With
   * a value ≥ 0 every param group must carry `initialLr` (set by the scheduler
   * that ran before, and saved in the optimizer's state dict).
   */
  lastEpoch?: number;
}

/** A hyperparameter kept in a scheduler's state dict: a number, one number per param group, a name or a switch. */
export type Hyperparameter = number | number[] | string | boolean;

/** A scheduler's state: its counters, base lrs and hyperparameters (PyTorch's `__dict__` minus the optimizer). */
export interface LRSchedulerStateDict {
  /** Each group's initial lr. */
  baseLrs: number[];
  /** The number of `step()` calls since the start. */
  lastEpoch: number;
  /** Steps taken, as PyTorch's `_step_count`. */
  stepCount: number;
  /** The lr of each group after the last step. */
  lastLr: number[];
  [hyperparameter: string]: Hyperparameter;
}

/** Base class of lr schedulers. Call `step()` once per epoch, after `optimizer.step()`. */
export abstract class LRScheduler {
  /** The optimizer whose param groups' `lr` this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Each group's lr at the start of the schedule (`initialLr`). */
  baseLrs: number[];
  /** The index of the current epoch (0 after construction). */
  lastEpoch: number;
  /** How many times step() ran, including the one in the constructor. */
  protected stepCount = 0;
  private lastLr: number[] = [];
  private warnedOrder = false;

  protected constructor(optimizer: AnyOptimizer, options: LRSchedulerOptions) {
    const name = this.constructor.name;
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${name}: ${describeValue(optimizer)} is not an Optimizer`);
    if (options === null || typeof options !== 'object') throw new TypeError(`${name}: options must be an object, got ${describeValue(options)}`);
    const lastEpoch = checkInteger(name, 'lastEpoch', options.lastEpoch ?? -1, -1);
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const group of optimizer.paramGroups) if (group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      optimizer.paramGroups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw new Error(`${name}: param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer (lastEpoch ${lastEpoch})`);
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /**
   * Sets the lrs of epoch `lastEpoch + 1`... called by each subclass constructor
   * once its hyperparameters are set, as PyTorch's `_initial_step`.
   */
  protected initialStep(): void {
    this.optimizer._stepCount = 0;
    this.stepCount = 0;
    this.step();
  }

  /** The next lr of each group, from the current ones (PyTorch's get_lr). */
  protected abstract computeLr(): number[];

  /** The hyperparameters saved by stateDict() (e.g. `{ stepSize, gamma }`). */
  protected abstract hyperparameters(): Record<string, Hyperparameter>;

  /** Restores hyperparameters from a state dict (already checked to be of the kinds hyperparameters() returns). */
  protected abstract loadHyperparameters(values: Record<string, Hyperparameter>): void;

  /** Advances one epoch and writes the new lr into every param group. */
  step(): void {
    if (this.stepCount === 1 && this.optimizer._stepCount < 1 && !this.warnedOrder) {
      this.warnedOrder = true;
      process.emitWarning(
        'Detected call of lrScheduler.step() before optimizer.step(). Call them in the opposite order: ' +
        'optimizer.step() before lrScheduler.step(); otherwise the first value of the schedule is skipped.',
        'UserWarning');
    }
    this.stepCount++;
    this.lastEpoch++;
    const values = this.computeLr();
    this.optimizer.paramGroups.forEach((group, i) => { group.lr = values[i]; });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The lr of each group computed by the last step(). */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /** The scheduler's state (counters, base lrs, hyperparameters), without the optimizer. */
  stateDict(): LRSchedulerStateDict {
    return {
      ...this.hyperparameters(),
      baseLrs: this.baseLrs.slice(),
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      lastLr: this.lastLr.slice(),
    };
  }

  /**
   * Restores the state from `stateDict()`; load the optimizer's state dict too, it holds the lrs.
   *
   * @param stateDict a state dict from `stateDict()`
   */
  loadStateDict(stateDict: LRSchedulerStateDict): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (stateDict === null || typeof stateDict !== 'object') throw new TypeError(`${name}: expected a scheduler state dict, got ${describeValue(stateDict)}`);
    const groups = this.optimizer.paramGroups.length;
    const lrList = (key: string): number[] => {
      const v = stateDict[key];
      if (!Array.isArray(v) || v.length !== groups || v.some((x) => typeof x !== 'number')) {
        throw new RangeError(`${name}: ${key} must be an array of ${groups} numbers (one per param group), got ${describeValue(v)}`);
      }
      return v.slice();
    };
    const baseLrs = lrList('baseLrs');
    const lastLr = lrList('lastLr');
    const lastEpoch = checkInteger(name, 'lastEpoch', stateDict.lastEpoch, -1);
    const stepCount = checkInteger(name, 'stepCount', stateDict.stepCount, 0);
    const hyper: Record<string, Hyperparameter> = {};
    for (const [key, current] of Object.entries(this.hyperparameters())) {
      const v = stateDict[key];
      if (Array.isArray(current)) hyper[key] = lrList(key);
      else if (typeof v !== typeof current) throw new TypeError(`${name}: ${key} must be a ${typeof current}, got ${describeValue(v)}`);
      else hyper[key] = v;
    }
    this.loadHyperparameters(hyper);
    this.baseLrs = baseLrs;
    this.lastLr = lastLr;
    this.lastEpoch = lastEpoch;
    this.stepCount = stepCount;
  }
}
