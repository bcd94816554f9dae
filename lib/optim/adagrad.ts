/** Adagrad (Duchi et al.), with PyTorch's lr decay, weight decay and maximize. */
import type { Tensor } from '../tensor';
import { fullLike } from '../ops/creation';
import { Optimizer, type ParamGroup, type ParamGroupInput, type Params } from './optimizer';
import { adagradUpdate, type AdagradState } from './adagrad-update';
import { checkBoolean, checkNonNegative } from './validate';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of Adagrad (PyTorch's keyword arguments in camelCase). */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** The lr of step t is lr / (1 + (t−1)·lrDecay) (default 0). */
  lrDecay?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the squared-gradient sum (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator for stability (default 1e-10). */
  eps?: number;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

/** The complete options of an Adagrad param group. */
export type AdagradGroupOptions = Required<AdagradOptions>;

export type { AdagradState };

const ADAGRAD_OPTIONS = defineOptions<AdagradOptions>('Adagrad', {
  lr: true, lrDecay: true, weightDecay: true, initialAccumulatorValue: true, eps: true, maximize: true,
});

/**
 * Adagrad, PyTorch's `torch.optim.Adagrad`. Per parameter, in PyTorch's order: g ← −g if maximize;
 * g ← g + λθ; clr = lr / (1 + (t−1)·lrDecay); s ← s + g²; θ ← θ − clr·g/(√s + eps).
 * As in PyTorch, every parameter's state (step 0, sum filled with
 * initialAccumulatorValue) exists from construction on.
 *
 * @example
 * ```ts
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradGroupOptions, AdagradState> {
  /**
   * @param params tensors, or param groups that may each set their own options
   * @param options the defaults of every group: `lr` (1e-2), `lrDecay` (0), `weightDecay` (0), `initialAccumulatorValue` (0), `eps` (1e-10), `maximize` (false)
   */
  constructor(params: Params<AdagradGroupOptions>, options: AdagradOptions = {}) {
    rejectUnknownOptions(options, ADAGRAD_OPTIONS);
    super(params, {
      lr: options.lr ?? 1e-2,
      lrDecay: options.lrDecay ?? 0,
      weightDecay: options.weightDecay ?? 0,
      initialAccumulatorValue: options.initialAccumulatorValue ?? 0,
      eps: options.eps ?? 1e-10,
      maximize: options.maximize ?? false,
    });
  }

  protected checkOptions(o: Partial<AdagradGroupOptions>): void {
    if (o.lr !== undefined) checkNonNegative('Adagrad', 'lr', 'learning rate', o.lr);
    if (o.lrDecay !== undefined) checkNonNegative('Adagrad', 'lrDecay', 'lr_decay value', o.lrDecay);
    if (o.weightDecay !== undefined) checkNonNegative('Adagrad', 'weightDecay', 'weight_decay value', o.weightDecay);
    if (o.initialAccumulatorValue !== undefined) {
      checkNonNegative('Adagrad', 'initialAccumulatorValue', 'initial_accumulator_value value', o.initialAccumulatorValue);
    }
    if (o.eps !== undefined) checkNonNegative('Adagrad', 'eps', 'epsilon value', o.eps);
    if (o.maximize !== undefined) checkBoolean('Adagrad', 'maximize', o.maximize);
  }

  /**
   * Adds a param group (also how the constructor adds its groups); its parameters get their state at once.
   *
   * @param group tensors under `params` plus options overriding the defaults
   */
  override addParamGroup(group: ParamGroupInput<AdagradGroupOptions>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1];
    for (const p of added.params) this.state.set(p, this.initState(p, added));
  }

  /** Step 0 and the sum filled with initialAccumulatorValue. */
  protected initState(param: Tensor, group: ParamGroup<AdagradGroupOptions>): AdagradState {
    return { step: 0, sum: fullLike(param, group.initialAccumulatorValue) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdagradState, group: ParamGroup<AdagradGroupOptions>): void {
    adagradUpdate(param, grad, state, group);
  }
}
