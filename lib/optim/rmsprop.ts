/** RMSprop (Hinton), with PyTorch's momentum, centering, weight decay and maximize. */
import type { Tensor } from '../tensor';
import { zerosLike } from '../ops/creation';
import { Optimizer, type ParamGroup, type Params } from './optimizer';
import { rmspropUpdate, type RMSpropState } from './rmsprop-update';
import { checkBoolean, checkNonNegative } from './validate';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of RMSprop (PyTorch's keyword arguments in camelCase). */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Normalize by the variance estimate v − ḡ² instead of v (default false). */
  centered?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

/** The complete options of an RMSprop param group. */
export type RMSpropGroupOptions = Required<RMSpropOptions>;

export type { RMSpropState };

const RMSPROP_OPTIONS = defineOptions<RMSpropOptions>('RMSprop', {
  lr: true, alpha: true, eps: true, weightDecay: true, momentum: true, centered: true, maximize: true,
});

/**
 * RMSprop, PyTorch's `torch.optim.RMSprop`. Per parameter, in PyTorch's order: g ← −g if maximize;
 * g ← g + λθ; v ← αv + (1−α)g²; centered: ḡ ← αḡ + (1−α)g, d = √(v − ḡ²) + eps,
 * else d = √v + eps; with momentum b ← μb + g/d, θ ← θ − lr·b, else θ ← θ − lr·g/d.
 * State keys as PyTorch's: step, squareAvg, momentumBuffer (momentum > 0), gradAvg (centered).
 *
 * @example
 * ```ts
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3, momentum: 0.9 });
 * const centred = new optim.RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropGroupOptions, RMSpropState> {
  /**
   * @param params tensors, or param groups that may each set their own options
   * @param options the defaults of every group: `lr` (1e-2), `alpha` (0.99), `eps` (1e-8), `weightDecay` (0), `momentum` (0), `centered` (false), `maximize` (false)
   */
  constructor(params: Params<RMSpropGroupOptions>, options: RMSpropOptions = {}) {
    rejectUnknownOptions(options, RMSPROP_OPTIONS);
    super(params, {
      lr: options.lr ?? 1e-2,
      alpha: options.alpha ?? 0.99,
      eps: options.eps ?? 1e-8,
      weightDecay: options.weightDecay ?? 0,
      momentum: options.momentum ?? 0,
      centered: options.centered ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected checkOptions(o: Partial<RMSpropGroupOptions>): void {
    if (o.lr !== undefined) checkNonNegative('RMSprop', 'lr', 'learning rate', o.lr);
    if (o.eps !== undefined) checkNonNegative('RMSprop', 'eps', 'epsilon value', o.eps);
    if (o.momentum !== undefined) checkNonNegative('RMSprop', 'momentum', 'momentum value', o.momentum);
    if (o.weightDecay !== undefined) checkNonNegative('RMSprop', 'weightDecay', 'weight_decay value', o.weightDecay);
    if (o.alpha !== undefined) checkNonNegative('RMSprop', 'alpha', 'alpha value', o.alpha);
    if (o.centered !== undefined) checkBoolean('RMSprop', 'centered', o.centered);
    if (o.maximize !== undefined) checkBoolean('RMSprop', 'maximize', o.maximize);
  }

  /** Step 0 and a zero squared-gradient average; the momentum buffer and gradient average when the group uses them. */
  protected initState(param: Tensor, group: ParamGroup<RMSpropGroupOptions>): RMSpropState {
    const state: RMSpropState = { step: 0, squareAvg: zerosLike(param) };
    if (group.momentum > 0) state.momentumBuffer = zerosLike(param);
    if (group.centered) state.gradAvg = zerosLike(param);
    return state;
  }

  protected update(param: Tensor, grad: Tensor, state: RMSpropState, group: ParamGroup<RMSpropGroupOptions>): void {
    rmspropUpdate(param, grad, state, group);
  }
}
