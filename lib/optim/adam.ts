/** Adam (Kingma & Ba) with PyTorch's L2 weight decay, AMSGrad and maximize. */
import type { Tensor } from '../tensor';
import { zerosLike } from '../ops/creation';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';
import { adamUpdate, type AdamState } from './adam-update';
import { adamDefaults, checkAdamOptions, type AdamGroupOptions, type AdamOptions } from './adam-options';

/** A fresh Adam state: step 0 and zero moments of the parameter's shape and dtype. */
export function initAdamState(param: Tensor, amsgrad: boolean): AdamState {
  const state: AdamState = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  if (amsgrad) state.maxExpAvgSq = zerosLike(param);
  return state;
}

/**
 * torch.optim.Adam. Per parameter, in PyTorch's order: g ← −g if maximize;
 * g ← g + λθ; m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²;
 * denom = √v̂/√(1−β2ᵗ) + eps (v̂ = max of all v with amsgrad, else v);
 * θ ← θ − lr/(1−β1ᵗ)·m/denom.
 *
 *   const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends Optimizer<AdamGroupOptions, AdamState> {
  /** @param params tensors, or param groups that may each set their own options */
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamGroupOptions>>, options: AdamOptions = {}) {
    super(params, adamDefaults('Adam', options, 0));
  }

  protected checkOptions(o: Partial<AdamGroupOptions>): void {
    checkAdamOptions('Adam', o);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamGroupOptions>): AdamState {
    return initAdamState(param, group.amsgrad);
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamGroupOptions>): void {
    adamUpdate(param, grad, state, group, false);
  }
}

export type { AdamOptions, AdamGroupOptions, AdamState };
