/** nn.ModuleList: submodules in a list, registered as '0', '1', … as PyTorch's. */
import { describe } from '../shape';
import { Module, type AnyModule } from './module';

/**
 * Holds modules in a list so that their parameters are registered (state-dict
 * keys `0.weight`, `1.bias`, …, renumbered after an insert or removal as
 * PyTorch's). It has no forward: iterate over it in the owner's forward.
 * PyTorch's `torch.nn.ModuleList`.
 *
 * @example
 * ```ts
 * class Net extends nn.Module {
 *   layers = new nn.ModuleList([new nn.Linear(4, 8), new nn.Linear(8, 2)]);
 *   forward(x: Tensor): Tensor { for (const l of this.layers) x = l.forward(x); return x; }
 * }
 * ```
 */
export class ModuleList<M extends AnyModule = AnyModule> extends Module<never[], never> {
  /** @param modules the initial modules, in order */
  constructor(modules: Iterable<M> = []) {
    super();
    this.extend(modules);
  }

  /** ModuleList is a container: calling forward is an error, as in PyTorch. */
  forward(): never {
    throw new Error('ModuleList has no forward(): it is a container; iterate over it (for (const m of list)) in your module\'s forward');
  }

  private modulesInOrder(): M[] {
    return [...this._modules.values()] as M[];
  }

  /** Re-registers `list` as '0', '1', … (PyTorch renumbers after insert and delete). */
  private renumber(list: readonly M[]): void {
    for (const key of this._modules.keys()) delete (this as unknown as Record<string, unknown>)[key];
    this._modules.clear();
    list.forEach((m, i) => this.registerModule(String(i), m));
  }

  private checkModule(where: string, module: unknown): M {
    if (!(module instanceof Module)) throw new TypeError(`ModuleList.${where}: expected a Module, got ${describe(module)}`);
    return module as M;
  }

  /** The index `index` names (negative counts from the end); throws unless it is in [−length, length + extra). */
  private position(where: string, index: number, extra = 0): number {
    const n = this._modules.size;
    if (!Number.isInteger(index) || index < -n || index >= n + extra) {
      throw new RangeError(`ModuleList.${where}: index ${String(index)} is out of range for a ModuleList of length ${n}`);
    }
    return index < 0 ? index + n : index;
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /**
   * Adds a module at the end; returns this.
   *
   * @param module the module to add
   */
  append(module: M): this {
    this.registerModule(String(this._modules.size), this.checkModule('append', module));
    return this;
  }

  /**
   * Appends every module of `modules` in order; returns this.
   *
   * @param modules an iterable of modules (an array, another ModuleList, ...)
   */
  extend(modules: Iterable<M>): this {
    if (modules === null || typeof modules !== 'object' || !(Symbol.iterator in modules)) {
      throw new TypeError(`ModuleList.extend: expected an iterable of Modules, got ${describe(modules)}`);
    }
    for (const m of modules) this.append(m);
    return this;
  }

  /**
   * Inserts a module before `index` (negative counts from the end; `length` appends); the modules after it are renumbered.
   *
   * @param index the position the module takes, -length ≤ index ≤ length
   * @param module the module to insert
   */
  insert(index: number, module: M): void {
    const list = this.modulesInOrder();
    list.splice(this.position('insert', index, 1), 0, this.checkModule('insert', module));
    this.renumber(list);
  }

  /**
   * The module at `index` (negative counts from the end, as `list[-1]`).
   *
   * @param index -length ≤ index < length
   */
  get(index: number): M {
    return this.modulesInOrder()[this.position('get', index)];
  }

  /**
   * Replaces the module at `index` (negative counts from the end).
   *
   * @param index -length ≤ index < length
   * @param module the replacement
   */
  set(index: number, module: M): void {
    this.registerModule(String(this.position('set', index)), this.checkModule('set', module));
  }

  /**
   * Removes and returns the module at `index` (default the last); the modules after it are renumbered.
   *
   * @param index -length ≤ index < length (default -1)
   */
  pop(index = -1): M {
    const list = this.modulesInOrder();
    const [removed] = list.splice(this.position('pop', index), 1);
    this.renumber(list);
    return removed;
  }

  /** The modules in order. */
  *[Symbol.iterator](): IterableIterator<M> {
    yield* this.modulesInOrder();
  }
}
