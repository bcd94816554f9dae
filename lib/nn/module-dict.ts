/** nn.ModuleDict: submodules by name, in insertion order, as PyTorch's. */
import { describe } from '../shape';
import { Module, type AnyModule } from './module';

/** What a ModuleDict is built from: an object of modules, [name, module] pairs (a Map, entries()) or another ModuleDict. */
export type ModuleDictInput<M extends AnyModule> = Readonly<Record<string, M>> | Iterable<readonly [string, M]> | ModuleDict<M>;

/**
 * Holds modules by name so that their parameters are registered under it
 * (state-dict keys `encoder.weight`, …). Insertion order is kept; replacing a
 * module keeps its place. Iterating yields the keys, as in PyTorch. It has
 * no forward: call the modules in the owner's forward. PyTorch's
 * `torch.nn.ModuleDict`.
 *
 * @example
 * ```ts
 * const heads = new nn.ModuleDict({ cls: new nn.Linear(8, 3), reg: new nn.Linear(8, 1) });
 * const y = heads.get('cls').forward(x);
 * ```
 */
export class ModuleDict<M extends AnyModule = AnyModule> extends Module<never[], never> {
  /** @param modules the initial modules, by name */
  constructor(modules: ModuleDictInput<M> = {}) {
    super();
    this.update(modules);
  }

  /** ModuleDict is a container: calling forward is an error, as in PyTorch. */
  forward(): never {
    throw new Error('ModuleDict has no forward(): it is a container; call its modules (dict.get(name)) in your module\'s forward');
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /**
   * Adds or replaces the module under `key` (a replaced key keeps its place); returns this.
   *
   * @param key the name, not one of ModuleDict's own properties
   * @param module the module to store
   */
  set(key: string, module: M): this {
    if (typeof key !== 'string') throw new TypeError(`ModuleDict.set: key must be a string, got ${describe(key)}`);
    if (!(module instanceof Module)) throw new TypeError(`ModuleDict.set: expected a Module for '${key}', got ${describe(module)}`);
    if (!this._modules.has(key) && key in this) {
      throw new Error(`ModuleDict.set: attribute '${key}' already exists on the ModuleDict; choose another key`);
    }
    this.registerModule(key, module);
    return this;
  }

  /**
   * The module under `key`; throws if there is none (PyTorch's KeyError).
   *
   * @param key the name
   */
  get(key: string): M {
    const m = this._modules.get(key);
    if (m === undefined || m === null) {
      throw new RangeError(`ModuleDict.get: no module named '${String(key)}' (keys: ${[...this._modules.keys()].join(', ') || 'none'})`);
    }
    return m as M;
  }

  /**
   * Whether a module is stored under `key`.
   *
   * @param key the name
   */
  has(key: string): boolean {
    return this._modules.has(key);
  }

  /**
   * Removes the module under `key`; returns whether there was one.
   *
   * @param key the name
   */
  delete(key: string): boolean {
    if (!this._modules.has(key)) return false;
    this._modules.delete(key);
    delete (this as unknown as Record<string, unknown>)[key];
    return true;
  }

  /**
   * Removes and returns the module under `key`; throws if there is none.
   *
   * @param key the name
   */
  pop(key: string): M {
    const m = this.get(key);
    this.delete(key);
    return m;
  }

  /** Removes every module. */
  clear(): void {
    for (const key of [...this._modules.keys()]) this.delete(key);
  }

  /**
   * Adds or replaces the modules of `modules` in their order.
   *
   * @param modules an object of modules, [name, module] pairs (a Map, entries()) or another ModuleDict
   */
  update(modules: ModuleDictInput<M>): void {
    if (modules === null || typeof modules !== 'object') {
      throw new TypeError(`ModuleDict.update: expected an object of Modules or [name, Module] pairs, got ${describe(modules)}`);
    }
    const entries = modules instanceof ModuleDict ? modules.entries()
      : Symbol.iterator in modules ? [...(modules as Iterable<readonly [string, M]>)] : Object.entries(modules);
    entries.forEach((e, i) => {
      if (!Array.isArray(e) || e.length !== 2) throw new TypeError(`ModuleDict.update: entry ${i} is ${describe(e)}, expected a [name, Module] pair`);
      this.set(e[0], e[1]);
    });
  }

  /** The keys in insertion order. */
  keys(): string[] {
    return [...this._modules.keys()];
  }

  /** The modules in insertion order. */
  values(): M[] {
    return [...this._modules.values()] as M[];
  }

  /** [key, module] pairs in insertion order. */
  entries(): [string, M][] {
    return [...this._modules.entries()] as [string, M][];
  }

  /** The keys in insertion order (as iterating a PyTorch ModuleDict). */
  *[Symbol.iterator](): IterableIterator<string> {
    yield* this._modules.keys();
  }
}
