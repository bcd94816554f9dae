/** nn.Sequential: children named '0', '1', … applied in order. */
import { Tensor } from '../tensor';
import { describe } from '../shape';
import { Module, type AnyModule } from './module';
import { Linear } from './linear';
import { LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Tanh } from './activation';
import { Dropout } from './dropout';
import { Flatten, Identity } from './flatten';
import { linearAct, type LinearActivation } from '../ops/fused-linear';
import { fusionEnabled } from '../ops/fused-switch';
import { release, SLAB_MAX_BYTES } from '../dtype';
import type { Num } from '../backend/kernels';

/**
 * The activation a module fuses into a preceding Linear, with its slope; null
 * if it does not fuse. Exact classes only: a subclass may override forward.
 */
function fusedActivation(m: AnyModule | null | undefined): [LinearActivation, number] | null {
  if (m === null || m === undefined) return null;
  const c = m.constructor;
  if (c === ReLU) return ['relu', 0];
  if (c === Sigmoid) return ['sigmoid', 0];
  if (c === Tanh) return ['tanh', 0];
  if (c === LeakyReLU) return ['leakyRelu', (m as LeakyReLU).negativeSlope];
  return null;
}

/** The library layers that keep no reference to their input or output (exact classes, as for fusion). */
const KEEP_NOTHING = new Set<unknown>([Linear, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Dropout, Flatten, Identity]);

/**
 * Offers the buffers of a forward's intermediate outputs for reuse once only
 * the tape can still read them. Only when every module is a library layer
 * (KEEP_NOTHING): then an intermediate is reachable only from this forward's
 * tape nodes, which are all upstream of the output's node and released with
 * it by a backward without retainGraph; under noGrad nothing saved them at
 * all. (A released node's `inputs` still name them, but their contents are
 * then undefined.)
 */
function reuseIntermediates(input: Tensor, intermediates: Tensor[], output: Tensor): void {
  // Identity, Flatten and Dropout (in eval) pass their input's buffer on: each buffer once, never the ends'.
  const seen = new Set<ArrayBufferLike>([input.data.buffer, output.data.buffer]);
  const data: Num[] = [];
  for (const t of intermediates) {
    if (seen.has(t.data.buffer)) continue;
    seen.add(t.data.buffer);
    data.push(t.data);
  }
  if (data.length === 0) return;
  const node = output.gradFn;
  if (node !== null) node.reuseOnRelease = node.reuseOnRelease === null ? data : node.reuseOnRelease.concat(data);
  else if (intermediates.every((t) => t.gradFn === null)) for (const d of data) release(d);
}

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

  /**
   * Applies each module in turn. A `Linear` immediately followed by a ReLU,
   * LeakyReLU, Sigmoid or Tanh runs as one fused linearAct op (one tape node);
   * the modules themselves are unchanged. setFusion(false) or
   * TORCHLET_FUSION=0 runs every module on its own. When every module is a
   * library layer, the buffers of the intermediate outputs are reused after
   * backward (or at once under noGrad) instead of waiting for the GC.
   */
  forward(input: Tensor): Tensor {
    let x = input;
    const entries = [...this._modules].filter(([, m]) => m !== null) as [string, AnyModule][];
    const fuse = fusionEnabled();
    const reuse = entries.length > 1 && entries.every(([, m]) => KEEP_NOTHING.has(m.constructor));
    const intermediates: Tensor[] = [];
    for (let i = 0; i < entries.length; i++) {
      const [name, m] = entries[i];
      // Storages of ≤ SLAB_MAX_BYTES share slabs and are never reused: not worth tracking.
      if (reuse && i > 0 && x.data.byteLength > SLAB_MAX_BYTES) intermediates.push(x);
      if (fuse && m.constructor === Linear && x instanceof Tensor) {
        const act = fusedActivation(entries[i + 1]?.[1]);
        if (act !== null) {
          const lin = m as unknown as Linear;
          x = linearAct(x, lin.weight, lin.bias, act[0], act[1]);
          i++;
          continue;
        }
      }
      const y: unknown = (m as unknown as Layer).forward(x);
      if (!(y instanceof Tensor)) throw new TypeError(`Sequential: module (${name}) ${m.constructor.name} returned ${describe(y)}, not a Tensor`);
      x = y;
    }
    if (intermediates.length > 0) reuseIntermediates(input, intermediates, x);
    return x;
  }
}
