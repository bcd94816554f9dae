/** Stochastic gradient descent with momentum, dampening, Nesterov, weight decay and maximize. */
import type { Tensor } from '../tensor';
import { Optimizer, type ParamGroup, type ParamGroupInput } from './optimizer';
import { sgdUpdate, type SGDState } from './sgd-update';
import { checkBoolean, checkNonNegative, checkNumber } from './validate';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of SGD (PyTorch's keyword arguments in camelCase). */
export interface SGDOptions {
  /** Learning rate; required here or in every param group. */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** Maximize the objective instead of minimizing it. */
  maximize?: boolean;
}

/** The complete options of an SGD param group. */
export type SGDGroupOptions = Required<SGDOptions>;

export type { SGDState };

const SGD_OPTIONS = defineOptions<SGDOptions>('SGD', { lr: true, momentum: true, dampening: true, weightDecay: true, nesterov: true, maximize: true });

/**
 * Stochastic gradient descent with momentum, PyTorch's `torch.optim.SGD`. Per
 * parameter, in PyTorch's order: g ← −g if maximize; g ← g + λθ; b ← g on the
 * first step, then b ← μb + (1−τ)g; g ← g + μb if nesterov else b; θ ← θ − lr·g.
 *
 * @example
 * ```ts
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * lossFn.forward(model.forward(x), y).backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDGroupOptions, SGDState> {
  /**
   * @param params the tensors to optimize (e.g. `model.parameters()`)
   * @param options `lr` (required), `momentum`, `dampening`, `weightDecay`, `nesterov`, `maximize`
   */
  constructor(params: Iterable<Tensor>, options: SGDOptions);
  /**
   * @param params param groups, `{ params, ...options }`, each of which may set its own options
   * @param options the defaults of the groups' options
   */
  constructor(params: Iterable<ParamGroupInput<SGDGroupOptions>>, options?: Partial<SGDOptions>);
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDGroupOptions>>, options: Partial<SGDOptions> = {}) {
    rejectUnknownOptions(options, SGD_OPTIONS);
    if (options === null || typeof options !== 'object') throw new TypeError('SGD: options must be an object such as { lr: 0.1 }');
    super(params, {
      lr: options.lr,
      momentum: options.momentum ?? 0,
      dampening: options.dampening ?? 0,
      weightDecay: options.weightDecay ?? 0,
      nesterov: options.nesterov ?? false,
      maximize: options.maximize ?? false,
    });
  }

  protected checkOptions(o: Partial<SGDGroupOptions>): void {
    if (o.lr !== undefined) checkNonNegative('SGD', 'lr', 'learning rate', o.lr);
    if (o.momentum !== undefined) checkNonNegative('SGD', 'momentum', 'momentum value', o.momentum);
    if (o.weightDecay !== undefined) checkNonNegative('SGD', 'weightDecay', 'weight_decay value', o.weightDecay);
    if (o.dampening !== undefined) checkNumber('SGD', 'dampening', o.dampening);
    if (o.nesterov !== undefined) checkBoolean('SGD', 'nesterov', o.nesterov);
    if (o.maximize !== undefined) checkBoolean('SGD', 'maximize', o.maximize);
    if (o.nesterov === true && !((o.momentum ?? 0) > 0 && (o.dampening ?? 0) === 0)) {
      throw new RangeError('SGD: Nesterov momentum requires a momentum and zero dampening');
    }
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(param: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDGroupOptions>): void {
    sgdUpdate(param, grad, state, group);
  }
}
