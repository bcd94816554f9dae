/** The optimizer class Adam and AdamW share: they differ only in their name, default decay and how the decay applies. */
import type { Tensor } from '../tensor';
import { zerosLike } from '../ops/creation';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';
import { adamUpdate, type AdamState } from './adam-update';
import { adamDefaults, checkAdamOptions, type AdamGroupOptions, type AdamOptions } from './adam-options';

/** What sets one member of the Adam family apart. */
export interface AdamVariant {
  /** The name its errors start with. */
  where: 'Adam' | 'AdamW';
  /** The default weightDecay. */
  weightDecay: number;
  /** Whether the decay shrinks the parameter directly (AdamW) instead of adding λθ to the gradient. */
  decoupled: boolean;
}

/**
 * Base of Adam and AdamW: each subclass names its variant in a static field,
 * read through the constructor because Optimizer's constructor checks options
 * before any instance field exists.
 */
export abstract class AdamBase extends Optimizer<AdamGroupOptions, AdamState> {
  /** @internal The variant a subclass implements. */
  protected static readonly variant: AdamVariant;

  /**
   * @param params tensors (e.g. `model.parameters()`), or param groups that may each set their own options
   * @param options `lr`, `betas`, `eps`, `weightDecay`, `amsgrad`, `maximize`
   */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamGroupOptions>>, options: AdamOptions = {}) {
    const { where, weightDecay } = new.target.variant;
    super(params, adamDefaults(where, options, weightDecay));
  }

  private get variant(): AdamVariant {
    return (this.constructor as typeof AdamBase).variant;
  }

  protected checkOptions(o: Partial<AdamGroupOptions>): void {
    checkAdamOptions(this.variant.where, o);
  }

  /** A fresh state: step 0 and zero moments of the parameter's shape and dtype. */
  protected initState(param: Tensor, group: ParamGroup<AdamGroupOptions>): AdamState {
    const state: AdamState = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
    if (group.amsgrad) state.maxExpAvgSq = zerosLike(param);
    return state;
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamGroupOptions>): void {
    adamUpdate(param, grad, state, group, this.variant.decoupled);
  }
}
