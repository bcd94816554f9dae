/**
 * The Optimizer base class: param groups, per-parameter state, zeroGrad(),
 * step() and PyTorch's state-dict layout. Subclasses supply the option checks
 * and the update of one parameter; everything that is the same for every
 * optimizer (grouping, skipping params without grad, noGrad) lives here.
 */
import { Tensor } from '../tensor';
import { enableGrad, noGrad } from '../autograd/grad-mode';
import { isFloat } from '../dtype';
import { fmtShape } from '../shape';
import { describeValue } from './validate';
import { clearGrad } from '../autograd/reuse';
import { rejectUnknownOptions } from '../options';
import { zeroGradMode, type ZeroGradArg } from '../autograd/zero-grad';

/** Options every optimizer has. lr schedulers read and write `lr`. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * One param group: its tensors and the options they are optimized with.
 * The options are plain writable properties (lr schedulers set `lr` here).
 */
export type ParamGroup<O extends BaseOptions> = O & {
  /** The tensors of this group, in the order given. */
  params: Tensor[];
  /** The lr a schedule started from, set by the first lr scheduler (PyTorch's `initial_lr`). */
  initialLr?: number;
};

/** A param group as passed to a constructor or `addParamGroup`: tensors plus options overriding the defaults. */
export type ParamGroupInput<O> = Partial<O> & {
  /** The tensors of the group (one tensor or any iterable of them). */
  params: Iterable<Tensor> | Tensor;
};

/** What optimizer constructors take: tensors (e.g. `model.parameters()`) or param groups. */
export type Params<O> = Iterable<Tensor> | Iterable<ParamGroupInput<O>>;

/** A value kept in per-parameter optimizer state. */
export type StateValue = Tensor | number | null;

/** A param group as saved by `stateDict()`: options, and the params as indices. */
export type SavedParamGroup<O> = O & {
  /** Indices of the group's params, counted across groups in order. */
  params: number[];
  /** The lr a schedule started from, if a scheduler set one. */
  initialLr?: number;
};

/**
 * PyTorch's optimizer state-dict structure: `state` keyed by the parameter's
 * index (counted across groups in order), `paramGroups` with the options and
 * the indices of their params.
 */
export interface OptimizerStateDict<O, S> {
  /** Per-parameter state, keyed by the parameter's index across groups. */
  state: Record<number, S>;
  /** Each group's options, with its params as indices. */
  paramGroups: SavedParamGroup<O>[];
}

export type { ZeroGradOptions, ZeroGradArg } from '../autograd/zero-grad';

/**
 * Base class of all optimizers (PyTorch's torch.optim.Optimizer).
 * `O` is the full option set of a param group, `S` the state kept per parameter.
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions, S extends { [K in keyof S]: StateValue } = object> {
  /** The options a group gets when it does not set them (undefined: required, e.g. SGD's lr). */
  readonly defaults: Readonly<Partial<O>>;
  /** The param groups; their options may be changed between steps. */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state (momentum buffers, Adam's moments), created on a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** @internal Counts step() calls; lr schedulers use it to warn about calling them first. */
  _stepCount = 0;

  /**
   * @param params tensors or param groups
   * @param defaults options for groups that do not set them
   */
  protected constructor(params: Params<O>, defaults: Partial<O>) {
    const name = this.constructor.name;
    this.checkOptions(defaults);
    this.defaults = Object.freeze({ ...defaults });
    if (params instanceof Tensor) {
      throw new TypeError(`${name}: params argument given to the optimizer should be an iterable of Tensors or param groups, but got a Tensor; wrap it in an array`);
    }
    if (params === null || typeof params !== 'object' || typeof (params as Iterable<unknown>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`${name}: params argument given to the optimizer should be an iterable of Tensors or param groups, but got ${describeValue(params)}`);
    }
    const list = Array.from(params as Iterable<Tensor | ParamGroupInput<O>>);
    if (list.length === 0) throw new RangeError(`${name}: optimizer got an empty parameter list`);
    const first = list[0];
    const isGroup = first !== null && typeof first === 'object' && !(first instanceof Tensor) && 'params' in first;
    if (!isGroup) {
      this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInput<O>);
    } else {
      for (const group of list) {
        if (group instanceof Tensor) throw new TypeError(`${name}: params mixes param groups and Tensors; pass one or the other`);
        this.addParamGroup(group);
      }
    }
  }

  /**
   * Checks a (possibly partial) option set; throws PyTorch's errors. Undefined
   * options are skipped: defaults may leave a required option to the groups.
   */
  protected abstract checkOptions(options: Partial<O>): void;

  /** A fresh state for a parameter about to be updated for the first time. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** Updates one parameter in place (called under noGrad, only for params whose grad is set). */
  protected abstract update(param: Tensor, grad: Tensor, state: S, group: ParamGroup<O>): void;

  /**
   * Adds a group of params (e.g. layers unfrozen while fine-tuning); unset options take the defaults.
   *
   * @param group `{ params, ...options }`; unset options take the defaults
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const name = this.constructor.name;
    if (group === null || typeof group !== 'object' || !('params' in group)) {
      throw new TypeError(`${name}: a param group must be an object with a params property, got ${describeValue(group)}`);
    }
    // A group's keys are the optimizer's options (what its constructor checked) plus params and initialLr.
    const groupKeys = new Set(['params', 'initialLr', ...Object.keys(this.defaults)]);
    rejectUnknownOptions(group, { where: `${name} param group`, keys: groupKeys });
    const raw = group.params;
    let params: Tensor[];
    if (raw instanceof Tensor) params = [raw];
    else if (raw !== null && typeof raw === 'object' && typeof (raw as Iterable<Tensor>)[Symbol.iterator] === 'function') params = Array.from(raw);
    else throw new TypeError(`${name}: a param group's params must be a Tensor or an iterable of Tensors, got ${describeValue(raw)}`);
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new TypeError(`${name}: optimizer can only optimize Tensors, but one of the params is ${describeValue(p)}`);
      if (!p.isLeaf) throw new Error(`${name}: can't optimize a non-leaf Tensor (shape ${fmtShape(p.shape)}); optimize the leaf it was computed from`);
      if (!isFloat(p.dtype)) throw new TypeError(`${name}: can only optimize float tensors, got one of dtype ${p.dtype}`);
    }
    // PyTorch only warns about duplicates; we refuse, as the tensor would be updated twice per step.
    if (new Set(params).size !== params.length) throw new Error(`${name}: a parameter group contains the same tensor more than once`);
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (params.includes(p)) throw new Error(`${name}: some parameters appear in more than one parameter group`);
      }
    }
    const filled = copyOptions<ParamGroup<O>>({ ...this.defaults, ...copyOptions(group), params });
    for (const key of Object.keys(this.defaults) as (keyof O & string)[]) {
      if (filled[key] === undefined) {
        throw new TypeError(`${name}: parameter group didn't specify a value of required optimization parameter ${key}`);
      }
    }
    this.checkOptions(filled);
    this.paramGroups.push(filled);
  }

  /**
   * Clears the gradients of all optimized tensors: sets them to null (default),
   * or with `{ setToNone: false }` (or PyTorch's positional `false`) fills
   * them with zeros in place; the same forms as `Module.zeroGrad`.
   *
   * @param options `{ setToNone }` or PyTorch's positional boolean: true (default, PyTorch 2's) sets the gradients to null, false fills them with zeros
   */
  zeroGrad(options: ZeroGradArg = {}): void {
    const setToNone = zeroGradMode(options, 'Optimizer.zeroGrad');
    for (const group of this.paramGroups) for (const p of group.params) clearGrad(p, setToNone);
  }

  /**
   * Performs one optimization step on every parameter that has a gradient.
   * With a `closure` (which recomputes and returns the loss, running backward
   * itself) the closure runs first, with grad enabled, and its result is returned.
   *
   * @param closure recomputes the loss and runs backward (optional)
   * @returns what `closure` returns, or undefined
   */
  step<L>(closure?: () => L): L | undefined {
    let loss: L | undefined;
    if (closure !== undefined) {
      if (typeof closure !== 'function') throw new TypeError(`${this.constructor.name}.step: closure must be a function`);
      loss = enableGrad(closure);
    }
    noGrad(() => {
      for (const group of this.paramGroups) {
        for (const p of group.params) {
          const grad = p._grad;
          if (grad === null) continue;
          this.checkGrad(p, grad);
          let state = this.state.get(p);
          if (state === undefined) {
            state = this.initState(p, group);
            this.state.set(p, state);
          }
          this.update(p, grad, state, group);
        }
      }
    });
    this._stepCount++;
    return loss;
  }

  private checkGrad(p: Tensor, grad: Tensor): void {
    if (!(grad instanceof Tensor)) throw new TypeError(`${this.constructor.name}.step: a parameter's grad is ${describeValue(grad)}, expected a Tensor or null`);
    if (grad.ndim !== p.ndim || grad.shape.some((d, i) => d !== p.shape[i])) {
      throw new RangeError(`${this.constructor.name}.step: grad of shape ${fmtShape(grad.shape)} does not match its parameter's shape ${fmtShape(p.shape)}`);
    }
    if (grad.dtype !== p.dtype) {
      throw new TypeError(`${this.constructor.name}.step: grad of dtype ${grad.dtype} does not match its parameter's dtype ${p.dtype}`);
    }
  }

  /**
   * The optimizer's state in PyTorch's layout: parameters are replaced by
   * their index across all groups. Tensors are copies, so the result is a
   * snapshot that later steps do not change (PyTorch returns live references).
   */
  stateDict(): OptimizerStateDict<O, S> {
    const index = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...options } = group;
      const saved = copyOptions<Record<string, unknown>>(options);
      saved.params = params.map((p) => {
        if (!index.has(p)) index.set(p, index.size);
        return index.get(p) as number;
      });
      return saved as unknown as SavedParamGroup<O>;
    });
    const state: Record<number, S> = {};
    for (const [p, s] of this.state) {
      const i = index.get(p);
      if (i !== undefined) state[i] = copyState(s, null);
    }
    return { state, paramGroups };
  }

  /**
   * Loads a state dict from `stateDict()` (of an optimizer of the same kind
   * over parameters of the same shapes, in the same order). Group options are
   * replaced by the saved ones; state tensors are copied and converted to
   * their parameter's dtype. Throws, changing nothing, if the layout differs.
   *
   * @param stateDict a state dict from `stateDict()` of an optimizer with the same groups
   */
  loadStateDict(stateDict: OptimizerStateDict<O, S>): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (stateDict === null || typeof stateDict !== 'object' || !Array.isArray(stateDict.paramGroups) ||
        stateDict.state === null || typeof stateDict.state !== 'object') {
      throw new TypeError(`${name}: expected { state, paramGroups } as returned by stateDict(), got ${describeValue(stateDict)}`);
    }
    const saved = stateDict.paramGroups;
    if (saved.length !== this.paramGroups.length) {
      throw new RangeError(`${name}: loaded state dict has a different number of parameter groups (${saved.length}) than the optimizer (${this.paramGroups.length})`);
    }
    const byIndex = new Map<number, Tensor>();
    const groups = saved.map((s, gi) => {
      const current = this.paramGroups[gi];
      if (s === null || typeof s !== 'object' || !Array.isArray(s.params)) {
        throw new TypeError(`${name}: paramGroups[${gi}] must be an object with a params array of indices`);
      }
      if (s.params.length !== current.params.length) {
        throw new RangeError(`${name}: loaded state dict contains a parameter group that doesn't match the size of optimizer's group (group ${gi}: ${s.params.length} saved params, ${current.params.length} in the optimizer)`);
      }
      s.params.forEach((idx, j) => {
        if (!Number.isInteger(idx) || byIndex.has(idx)) throw new RangeError(`${name}: paramGroups[${gi}].params[${j}] is ${String(idx)}, expected a unique integer index`);
        byIndex.set(idx, current.params[j]);
      });
      const { params: _ignored, ...options } = s;
      const group = copyOptions<ParamGroup<O>>({ ...this.defaults, ...options, params: current.params });
      this.checkOptions(group);
      return group;
    });
    const state = new Map<Tensor, S>();
    for (const key of Object.keys(stateDict.state)) {
      const p = byIndex.get(Number(key));
      if (p === undefined) throw new RangeError(`${name}: state has an entry for parameter index ${key}, which no param group lists`);
      const entry = stateDict.state[Number(key)];
      if (entry === null || typeof entry !== 'object') throw new TypeError(`${name}: state[${key}] must be an object, got ${describeValue(entry)}`);
      state.set(p, copyState(entry, p, `${name}: state[${key}]`));
    }
    // Validation passed: commit everything at once.
    this.paramGroups.splice(0, this.paramGroups.length, ...groups);
    this.state.clear();
    for (const [p, s] of state) this.state.set(p, s);
  }
}

/**
 * A copy of an option set without its undefined entries (so `{ lr: undefined }`
 * does not hide a default), array options (Adam's betas) copied too so groups never share them.
 */
function copyOptions<T = Record<string, unknown>>(options: object): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) out[k] = Array.isArray(v) && k !== 'params' ? [...(v as unknown[])] : v;
  }
  return out as T;
}

/**
 * A deep copy of one parameter's state. With `param`, tensors are checked
 * against its shape and converted to its dtype (PyTorch's cast on load).
 */
function copyState<S extends { [K in keyof S]: StateValue }>(s: S, param: Tensor | null, where = ''): S {
  const out: Record<string, StateValue> = {};
  for (const [k, v] of Object.entries(s as Record<string, unknown>)) {
    if (v instanceof Tensor) {
      if (param !== null && (v.ndim !== param.ndim || v.shape.some((d, i) => d !== param.shape[i]))) {
        throw new RangeError(`${where}.${k} has shape ${fmtShape(v.shape)} but its parameter has shape ${fmtShape(param.shape)}`);
      }
      const t = param !== null && v.dtype !== param.dtype ? v.detach().to(param.dtype) : v.detach().clone();
      out[k] = t;
    } else if (v === null || typeof v === 'number') {
      out[k] = v;
    } else if (v !== undefined) {
      throw new TypeError(`${where}.${k} must be a Tensor, a number or null, got ${describeValue(v)}`);
    }
  }
  return out as S;
}
