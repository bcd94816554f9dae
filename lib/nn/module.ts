/**
 * nn.Module: the base class of layers, containers and losses. It keeps named
 * parameters, buffers and child modules in registration order, which fixes the
 * names of `namedParameters()` and the keys of `stateDict()` exactly as
 * PyTorch does (`0.weight`, `fc.bias`, ...).
 */
import type { Tensor } from '../tensor';
import { isFloat, type DType } from '../dtype';
import { noGrad } from '../autograd/grad-mode';
import { clearGrad } from '../autograd/reuse';
import { adoptParameter, Parameter } from './parameter';
import { addIndent } from './repr';
import { adoptAssigned, mirrorMember } from './assigned';
import { resolveTo, type DeviceLike } from '../device';
import { defineOptions, readable, rejectUnknownOptions, type OptionSpec } from '../options';
import { zeroGradMode, type ZeroGradArg } from '../autograd/zero-grad';
import { loadStateDict, saveStateDict, type LoadStateDictOptions, type LoadStateDictResult, type StateDict } from './state-dict';

/** Any module, whatever its forward signature (what containers hold). */
export type AnyModule = Module<never, unknown>;

/** Options of `parameters()` / `namedParameters()` / `buffers()`. */
export interface MemberOptions {
  /** Include members of submodules (default true). */
  recurse?: boolean;
  /** Prepended to every name, joined with '.' (default ''). */
  prefix?: string;
}

/** Options of `registerBuffer`. */
export interface BufferOptions {
  /** Part of `stateDict()` (default true). */
  persistent?: boolean;
  /**
   * The dtype the buffer has in a saved file when it differs from torchlet's:
   * 'int64' writes an int32 buffer as safetensors I64, as PyTorch stores
   * counters such as BatchNorm's num_batches_tracked (default: its own dtype).
   */
  persistentDtype?: 'int64';
}

type Kind = 'parameter' | 'buffer' | 'module';

const MEMBER_KEYS = { recurse: true, prefix: true } as const;
const NAMED_PARAMETERS = defineOptions<MemberOptions>('Module.namedParameters', MEMBER_KEYS);
const PARAMETERS = defineOptions<MemberOptions>('Module.parameters', MEMBER_KEYS);
const NAMED_BUFFERS = defineOptions<MemberOptions>('Module.namedBuffers', MEMBER_KEYS);
const BUFFERS = defineOptions<MemberOptions>('Module.buffers', MEMBER_KEYS);
const REGISTER_BUFFER = defineOptions<BufferOptions>('Module.registerBuffer', { persistent: true, persistentDtype: true });
const LOAD_STATE_DICT = defineOptions<LoadStateDictOptions>('Module.loadStateDict', { strict: true });

/**
 * Base class of all modules, PyTorch's `torch.nn.Module`. Subclasses assign
 * their layers and parameters to properties, as in PyTorch, and implement
 * `forward`, which is how a module is called (JavaScript has no `__call__`).
 *
 * A Module or a Parameter assigned to a property (class field, constructor or
 * later) is registered under that name in assignment order, and reassigning
 * replaces it (PyTorch's `__setattr__`); buffers are registered explicitly
 * with `registerBuffer`. TypeScript: declare a property assigned in the
 * constructor with `declare fc: nn.Linear;` or `fc!: nn.Linear;`.
 *
 * `Args`/`Out` type `forward`; the defaults fit the usual tensor-to-tensor layer.
 *
 * @example
 * ```ts
 * class Net extends nn.Module<[Tensor], Tensor> {
 *   fc = new nn.Linear(4, 2);                       // registered as 'fc'
 *   scale = nn.Parameter(torch.ones(1));            // registered as 'scale'
 *   forward(x: Tensor): Tensor { return this.fc.forward(x).mul(this.scale); }
 * }
 * const net = new Net();
 * net.forward(torch.randn(3, 4));
 * net.parameters();                                 // [fc.weight, fc.bias, scale]
 * ```
 */
export abstract class Module<Args extends unknown[] = Tensor[], Out = Tensor> {
  /** Training mode (true) or evaluation mode (false); see `train()` / `eval()`. */
  training = true;
  /** @internal Own parameters in registration order (null: registered but absent, like a Linear without bias). */
  readonly _parameters = new Map<string, Tensor | null>();
  /** @internal Own buffers in registration order. */
  readonly _buffers = new Map<string, Tensor | null>();
  /** @internal Names of buffers left out of the state dict. */
  readonly _nonPersistent = new Set<string>();
  /** @internal Names of buffers saved as int64 (BufferOptions.persistentDtype). */
  readonly _int64Buffers = new Set<string>();
  /** @internal Child modules in registration order. */
  readonly _modules = new Map<string, AnyModule | null>();

  /**
   * The computation of this module (PyTorch's forward; JS has no `__call__`).
   *
   * @param inputs what the module computes on (one tensor for most layers)
   * @returns the output (a tensor for most layers)
   */
  abstract forward(...inputs: Args): Out;

  /**
   * Adds a parameter under `name` (null registers an absent one). A raw leaf
   * tensor becomes a parameter in place and starts requiring grad; returns it.
   *
   * @param name the attribute name (no dots)
   * @param param a leaf tensor (made a Parameter in place), or null
   * @returns the registered parameter
   */
  registerParameter(name: string, param: Tensor): Tensor;
  registerParameter(name: string, param: null): null;
  registerParameter(name: string, param: Tensor | null): Tensor | null;
  registerParameter(name: string, param: Tensor | null): Tensor | null {
    this.checkName(name, 'parameter');
    const p = param === null || param === undefined ? null : adoptParameter(name, param);
    this._parameters.set(name, p);
    mirrorMember(this as unknown as AnyModule, name, p);
    return p;
  }

  /**
   * Adds non-parameter state (e.g. a running mean) under `name`; returns it.
   *
   * @param name the attribute name (no dots)
   * @param tensor the buffer, or null
   * @param options `persistent` (default true): whether `stateDict()` includes it
   * @returns the buffer
   */
  registerBuffer(name: string, tensor: Tensor | null, options: BufferOptions = {}): Tensor | null {
    rejectUnknownOptions(options, REGISTER_BUFFER);
    this.checkName(name, 'buffer');
    const { persistent = true, persistentDtype } = options;
    if (persistentDtype !== undefined && persistentDtype !== 'int64') {
      throw new TypeError(`registerBuffer: persistentDtype must be 'int64' or undefined, got ${readable(persistentDtype)}`);
    }
    this._buffers.set(name, tensor ?? null);
    if (persistentDtype === 'int64') this._int64Buffers.add(name);
    else this._int64Buffers.delete(name);
    mirrorMember(this as unknown as AnyModule, name, tensor ?? null);
    if (persistent) this._nonPersistent.delete(name);
    else this._nonPersistent.add(name);
    return tensor ?? null;
  }

  /**
   * Adds a child module under `name` (PyTorch's add_module); returns it.
   *
   * @param name the attribute name (no dots)
   * @param module the child, or null
   * @returns the child
   */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    this.checkName(name, 'module');
    if (module !== null && !(module instanceof Module)) {
      throw new TypeError(`registerModule: '${name}' must be a Module or null, got ${typeof module}`);
    }
    this._modules.set(name, module);
    mirrorMember(this as unknown as AnyModule, name, module);
    return module;
  }

  private checkName(name: string, kind: Kind): void {
    if (typeof name !== 'string') throw new TypeError(`register ${kind}: name must be a string, got ${typeof name}`);
    if (name === '') throw new Error(`register ${kind}: name can't be empty`);
    if (name.includes('.')) throw new Error(`register ${kind}: name can't contain '.', got '${name}'`);
    const owners: [Kind, Map<string, unknown>][] = [['parameter', this._parameters], ['buffer', this._buffers], ['module', this._modules]];
    for (const [other, map] of owners) {
      if (other !== kind && map.has(name)) throw new Error(`register ${kind}: attribute '${name}' already exists as a ${other}`);
    }
  }

  // ---- traversal ------------------------------------------------------------------------

  /**
   * This module and every submodule with its dotted name, self first, each once.
   *
   * @param prefix prepended to every name (default '')
   * @returns `[name, module]` pairs, this module first (named `prefix`)
   */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (m: AnyModule, name: string): void => {
      if (seen.has(m)) return;
      seen.add(m);
      adoptAssigned(m, Module);
      out.push([name, m]);
      for (const [key, child] of m._modules) if (child !== null) visit(child, name === '' ? key : `${name}.${key}`);
    };
    visit(this as unknown as AnyModule, prefix);
    return out;
  }

  /** This module and every submodule, self first. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Direct children with their names, in registration order. */
  namedChildren(): [string, AnyModule][] {
    adoptAssigned(this as unknown as AnyModule, Module);
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    for (const [name, m] of this._modules) {
      if (m === null || seen.has(m)) continue;
      seen.add(m);
      out.push([name, m]);
    }
    return out;
  }

  /** Direct children, in registration order. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** Parameters or buffers with dotted names, after checking `options` as `spec` says. */
  private namedMembers(kind: '_parameters' | '_buffers', options: MemberOptions, spec: OptionSpec): [string, Tensor][] {
    rejectUnknownOptions(options, spec);
    const { recurse = true, prefix = '' } = options;
    if (!recurse) adoptAssigned(this as unknown as AnyModule, Module);
    const mods: [string, AnyModule][] = recurse ? this.namedModules(prefix) : [[prefix, this as unknown as AnyModule]];
    const out: [string, Tensor][] = [];
    // A tensor shared by two modules (tied weights) is listed once, as PyTorch does.
    const seen = new Set<Tensor>();
    for (const [modName, m] of mods) {
      for (const [name, t] of m[kind]) {
        if (t === null || seen.has(t)) continue;
        seen.add(t);
        out.push([modName === '' ? name : `${modName}.${name}`, t]);
      }
    }
    return out;
  }

  /**
   * Parameters with dotted names: own ones in registration order, then each child's.
   *
   * @param options `recurse` (default true): include the children's, with dotted names
   * @returns `[name, parameter]` pairs
   */
  namedParameters(options: MemberOptions = {}): [string, Tensor][] {
    return this.namedMembers('_parameters', options, NAMED_PARAMETERS);
  }

  /**
   * Parameters, in `namedParameters()` order (what an optimizer takes).
   *
   * @param options `recurse` (default true): include the children's
   * @returns the parameters, for an optimizer
   */
  parameters(options: MemberOptions = {}): Tensor[] {
    return this.namedMembers('_parameters', options, PARAMETERS).map(([, p]) => p);
  }

  /**
   * Buffers with dotted names.
   *
   * @param options `recurse` (default true): include the children's, with dotted names
   * @returns `[name, buffer]` pairs
   */
  namedBuffers(options: MemberOptions = {}): [string, Tensor][] {
    return this.namedMembers('_buffers', options, NAMED_BUFFERS);
  }

  /**
   * Buffers, in `namedBuffers()` order.
   *
   * @param options `recurse` (default true): include the children's
   * @returns the buffers
   */
  buffers(options: MemberOptions = {}): Tensor[] {
    return this.namedMembers('_buffers', options, BUFFERS).map(([, b]) => b);
  }

  /**
   * Calls `fn` on every submodule (children first) and then on this one; returns this.
   *
   * @param fn called with every submodule, children before parents, then this module
   * @returns this module
   */
  apply(fn: (module: AnyModule) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this as unknown as AnyModule);
    return this;
  }

  // ---- modes and gradients ----------------------------------------------------------------

  /**
   * Sets training mode (true) or evaluation mode (false) on this module and all submodules.
   *
   * @param mode true for training, false for evaluation (default true)
   * @returns this module
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = Boolean(mode);
    return this;
  }

  /** Evaluation mode: `train(false)` (dropout becomes the identity). */
  eval(): this {
    return this.train(false);
  }

  /**
   * Sets `requiresGrad` of every parameter (freezing with false).
   *
   * @param requiresGrad whether autograd records ops on the parameters (default true)
   * @returns this module
   */
  requiresGrad_(requiresGrad = true): this {
    for (const p of this.parameters()) p.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Clears the gradients of all parameters: sets them to null (PyTorch 2's
   * default), or fills them with zeros with `{ setToNone: false }` (or
   * PyTorch's positional `false`); the same forms as `Optimizer.zeroGrad`.
   *
   * @param options `{ setToNone }` or PyTorch's positional boolean: true (default, PyTorch 2's) sets the gradients to null, false fills them with zeros
   */
  zeroGrad(options: ZeroGradArg = {}): void {
    const setToNone = zeroGradMode(options, 'Module.zeroGrad');
    for (const p of this.parameters()) clearGrad(p, setToNone);
  }

  // ---- dtype --------------------------------------------------------------------------------

  /**
   * Converts float parameters and buffers (and their grads) to `dtype`, in
   * place in the module. New tensors replace the old ones, so build optimizers
   * after converting; fields of this module that held an old tensor are
   * pointed at its replacement. PyTorch's device forms work too:
   * `to('cpu')` returns the module as it is, `to('cpu', dtype)` converts;
   * any other device is an error (torchlet runs on the CPU).
   *
   * @param target a dtype ('float32', 'float64') or a device ('cpu')
   * @param dtype the dtype, when `target` is a device
   * @returns this module, its parameters and buffers converted
   */
  to(target: DType | DeviceLike, dtype?: DType): this {
    const want = resolveTo(target, dtype, 'Module.to');
    return want === null ? this : this.toDType(want);
  }

  private toDType(dtype: DType): this {
    if (!isFloat(dtype)) throw new TypeError(`Module.to: only float dtypes are accepted, got ${dtype}`);
    const done = new Map<Tensor, Tensor>();
    const convert = (t: Tensor, param: boolean): Tensor => {
      if (!isFloat(t.dtype) || t.dtype === dtype) return t;
      let next = done.get(t);
      if (next === undefined) {
        next = noGrad(() => t.to(dtype));
        if (param) {
          next = Parameter(next, t.requiresGrad);
          if (t.grad !== null) next.grad = noGrad(() => (t.grad as Tensor).to(dtype));
        }
        done.set(t, next);
      }
      return next;
    };
    for (const m of this.modules()) m.replaceTensors(convert);
    return this;
  }

  /** The module itself: torchlet runs on the CPU (PyTorch's `cpu()`). */
  cpu(): this {
    return this;
  }

  /** `to('float32')`. */
  float(): this {
    return this.to('float32');
  }

  /** `to('float64')`. */
  double(): this {
    return this.to('float64');
  }

  private replaceTensors(fn: (t: Tensor, param: boolean) => Tensor): void {
    const swaps = new Map<Tensor, Tensor>();
    for (const [kind, map] of [['p', this._parameters], ['b', this._buffers]] as const) {
      for (const [name, t] of map) {
        if (t === null) continue;
        const next = fn(t, kind === 'p');
        if (next !== t) {
          map.set(name, next);
          swaps.set(t, next);
        }
      }
    }
    // JS has no __getattr__: a subclass may keep its own field pointing at a parameter.
    const self = this as unknown as Record<string, unknown>;
    for (const key of Object.keys(self)) {
      const next = swaps.get(self[key] as Tensor);
      if (next !== undefined) self[key] = next;
    }
  }

  // ---- state dict ---------------------------------------------------------------------------

  /**
   * Parameters and persistent buffers by dotted name, in PyTorch's key order
   * (own parameters, own buffers, then each child's). Values are detached
   * tensors sharing storage with the module's, like PyTorch's state_dict.
   */
  stateDict(): StateDict {
    this.namedModules(); // registers what was assigned to properties, in every submodule
    return saveStateDict(this as unknown as AnyModule);
  }

  /**
   * Copies `stateDict`'s values into the existing parameters and buffers
   * (keeping their dtype). With `strict` (default) missing or unexpected keys
   * are an error; otherwise they are returned. A shape mismatch is always an
   * error. Nothing is copied when it throws.
   *
   * @param stateDict name → tensor, as `stateDict()` or `torch.load` give
   * @param options `strict` (default true): every key must match
   * @returns the missing and unexpected keys (both empty when strict)
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    rejectUnknownOptions(options, LOAD_STATE_DICT);
    this.namedModules(); // registers what was assigned to properties, in every submodule
    return loadStateDict(this as unknown as AnyModule, stateDict, options);
  }

  // ---- repr ---------------------------------------------------------------------------------

  /** The text inside the parentheses of this module's repr (PyTorch's extra_repr). */
  extraRepr(): string {
    return '';
  }

  /** PyTorch's module repr, e.g. `Linear(in_features=2, out_features=8, bias=True)`. */
  toString(): string {
    adoptAssigned(this as unknown as AnyModule, Module);
    const extra = this.extraRepr();
    const extraLines = extra === '' ? [] : extra.split('\n');
    const childLines = [...this._modules].map(([key, m]) => `(${key}): ${addIndent(m === null ? 'None' : m.toString(), 2)}`);
    const lines = [...extraLines, ...childLines];
    let text = `${this.constructor.name}(`;
    if (extraLines.length === 1 && childLines.length === 0) text += extraLines[0];
    else if (lines.length > 0) text += `\n  ${lines.join('\n  ')}\n`;
    return `${text})`;
  }

  /** @internal console.log shows the repr. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
