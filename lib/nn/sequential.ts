/** nn.Sequential: children named '0', '1', … applied in order. */
import { Tensor } from '../tensor';
import { describe } from '../shape';
import { Module, type AnyModule } from './module';

/** A module that maps one tensor to one tensor (what Sequential chains). */
export type Layer = Module<[Tensor], Tensor>;

/**
 * Chains modules: `forward(x)` feeds x through each in turn. Children are
 * named '0', '1', … so state-dict keys match PyTorch's (`0.weight`).
 */
export class Sequential extends Module<[Tensor], Tensor> {
  constructor(...modules: Layer[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /** Adds a module at the end; returns this. */
  append(module: Layer): this {
    if (!(module instanceof Module)) throw new TypeError(`Sequential: expected a Module, got ${describe(module)}`);
    this.registerModule(String(this._modules.size), module as unknown as AnyModule);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /** The module at `index` (negative counts from the end, as PyTorch's `seq[-1]`). */
  get(index: number): Layer {
    const n = this._modules.size;
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new RangeError(`Sequential.get: index ${index} is out of range for a Sequential of length ${n}`);
    }
    return [...this._modules.values()][index < 0 ? index + n : index] as unknown as Layer;
  }

  /** The modules in order. */
  *[Symbol.iterator](): IterableIterator<Layer> {
    for (const m of this._modules.values()) if (m !== null) yield m as unknown as Layer;
  }

  /** Applies each module in turn. */
  forward(input: Tensor): Tensor {
    let x = input;
    for (const [name, m] of this._modules) {
      if (m === null) continue;
      const y: unknown = (m as unknown as Layer).forward(x);
      if (!(y instanceof Tensor)) throw new TypeError(`Sequential: module (${name}) ${m.constructor.name} returned ${describe(y)}, not a Tensor`);
      x = y;
    }
    return x;
  }
}
