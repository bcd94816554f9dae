/** AdamW (Loshchilov & Hutter): Adam with decoupled weight decay. */
import type { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';
import { adamUpdate, type AdamState } from './adam-update';
import { adamDefaults, checkAdamOptions, type AdamGroupOptions, type AdamOptions } from './adam-options';
import { initAdamState } from './adam';

/**
 * torch.optim.AdamW: as Adam, but the decay shrinks the parameter directly,
 * θ ← θ(1 − lr·λ), before the moments are updated, instead of adding λθ to
 * the gradient. weightDecay defaults to 1e-2.
 *
 *   const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Optimizer<AdamGroupOptions, AdamState> {
  /** @param params tensors, or param groups that may each set their own options */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamGroupOptions>>, options: AdamOptions = {}) {
    super(params, adamDefaults('AdamW', options, 1e-2));
  }

  protected checkOptions(o: Partial<AdamGroupOptions>): void {
    checkAdamOptions('AdamW', o);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamGroupOptions>): AdamState {
    return initAdamState(param, group.amsgrad);
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamGroupOptions>): void {
    adamUpdate(param, grad, state, group, true);
  }
}
