/** nn.Sequential: children named '0', '1', … applied in order. */
import { Tensor } from '../tensor';
import { describe } from '../shape';
import { Module, type AnyModule } from './module';
import { traitsOf } from './layer-traits';
import { linearAct } from '../ops/fused-linear';
import { fuseConvRelu, fuseLinearAct } from '../ops/fusion';
import { reuseAfterBackward } from '../autograd/reuse';

/** A module that maps one tensor to one tensor (what Sequential chains). */
export type Layer = Module<[Tensor], Tensor>;

/**
 * Chains modules, PyTorch's `torch.nn.Sequential`: `forward(x)` feeds x
 * through each in turn. Children are named '0', '1', … so state-dict keys
 * match PyTorch's (`0.weight`). A Linear followed by an activation runs as one
 * fused kernel.
 *
 * @example
 * ```ts
 * const model = new nn.Sequential(new nn.Linear(2, 8), new nn.ReLU(), new nn.Linear(8, 1));
 * const y = model.forward(torch.randn(4, 2));   // [4, 1]
 * Object.keys(model.stateDict());               // ['0.weight', '0.bias', '2.weight', '2.bias']
 * ```
 */
export class Sequential extends Module<[Tensor], Tensor> {
  /**
   * @param modules the layers, in the order `forward` runs them
   */
  constructor(...modules: Layer[]) {
    super();
    modules.forEach((m) => this.append(m));
  }

  /**
   * Adds a module at the end; returns this.
   *
   * @param module the layer to add at the end
   * @returns this Sequential
   */
  append(module: Layer): this {
    if (!(module instanceof Module)) throw new TypeError(`Sequential: expected a Module, got ${describe(module)}`);
    this.registerModule(String(this._modules.size), module as unknown as AnyModule);
    return this;
  }

  /** Number of modules. */
  get length(): number {
    return this._modules.size;
  }

  /**
   * The module at `index` (negative counts from the end, as PyTorch's `seq[-1]`).
   *
   * @param index the position (negative counts from the end)
   * @returns the module there
   */
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

  /**
   * Applies each module in turn. A `Linear` immediately followed by a ReLU,
   * LeakyReLU, Sigmoid or Tanh runs as one fused linearAct op (one tape node),
   * a convolution followed by a ReLU as one convolution node; the modules
   * themselves are unchanged. setFusion(false) or
   * TORCHLET_FUSION=0 runs every module on its own. When every module keeps
   * no tensors (LayerTraits), the buffers of the intermediate outputs are
   * reused after backward (or at once under noGrad) instead of waiting for the GC.
   *
   * @param input the first layer's input
   * @returns the last layer's output
   */
  forward(input: Tensor): Tensor {
    let x = input;
    const entries = [...this._modules].filter(([, m]) => m !== null) as [string, AnyModule][];
    const traits = entries.map(([, m]) => traitsOf(m));
    const reuse = entries.length > 1 && traits.every((t) => t !== null && t.keepsNoTensors);
    const intermediates: Tensor[] = [];
    for (let i = 0; i < entries.length; i++) {
      const [name, m] = entries[i];
      if (reuse && i > 0) intermediates.push(x);
      const lin = traits[i]?.linear;
      const act = traits[i + 1]?.activation;
      if (lin !== undefined && act !== undefined && fuseLinearAct() && x instanceof Tensor) {
        const { weight, bias } = lin(m);
        const [kind, slope] = act(entries[i + 1][1]);
        x = linearAct(x, weight, bias, kind, slope);
        i++;
        continue;
      }
      const reluFused = traits[i]?.reluFused;
      if (reluFused !== undefined && act !== undefined && fuseConvRelu() && x instanceof Tensor && act(entries[i + 1][1])[0] === 'relu') {
        x = reluFused(m, x);
        i++;
        continue;
      }
      const y: unknown = (m as unknown as Layer).forward(x);
      if (!(y instanceof Tensor)) throw new TypeError(`Sequential: module (${name}) ${m.constructor.name} returned ${describe(y)}, not a Tensor`);
      x = y;
    }
    if (intermediates.length > 0) reuseAfterBackward(input, intermediates, x);
    return x;
  }
}
