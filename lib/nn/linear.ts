/** nn.Linear: y = x·Wᵀ + b. */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { empty } from '../ops/util';
import { linear } from '../ops/matmul';
import { WeightBiasModule } from './weight-bias';
import { uniform_ } from './init';
import { pyBool } from './repr';
import type { LayerTraits } from './layer-traits';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

/** Options of `Linear` (PyTorch's keywords). */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** dtype of weight and bias (default float32). */
  dtype?: DType;
}

const LINEAR = defineOptions<LinearOptions>('Linear', { bias: true, dtype: true });

/**
 * A fully connected layer, PyTorch's `torch.nn.Linear`: y = x·Wᵀ + b on the
 * last dim of x. `weight` is [out, in] and `bias` [out], both initialised from
 * U(−1/√in, 1/√in): PyTorch's kaiming_uniform_(a=√5) reduces to exactly that
 * bound for the weight.
 *
 * @example
 * ```ts
 * const fc = new nn.Linear(4, 2);
 * const y = fc.forward(torch.randn(8, 4));      // [8, 2]
 * const noBias = new nn.Linear(4, 2, { bias: false, dtype: 'float64' });
 * ```
 */
export class Linear extends WeightBiasModule {
  /** A following ReLU, LeakyReLU, Sigmoid or Tanh fuses with it (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits: LayerTraits<Linear> = { keepsNoTensors: true, linear: (m) => ({ weight: m.weight, bias: m.bias }) };

  /** Size of each input sample. */
  readonly inFeatures: number;
  /** Size of each output sample. */
  readonly outFeatures: number;

  /**
   * @param inFeatures size of each input sample (the last dim of x)
   * @param outFeatures size of each output sample
   * @param options `bias` (default true) and `dtype` of the parameters (default float32)
   */
  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    rejectUnknownOptions(options, LINEAR);
    super();
    for (const [name, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`Linear: ${name} must be a non-negative integer, got ${readable(v)}`);
    }
    const { bias = true, dtype = 'float32' } = options;
    checkDType(dtype, 'Linear');
    if (!isFloat(dtype)) throw new TypeError(`Linear: dtype must be float32 or float64, got ${dtype}`);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    // The bound written directly rather than through kaimingUniform_'s √3·√(1/3), which could round one ulp above it.
    const bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
    this.registerParameter('weight', uniform_(empty([outFeatures, inFeatures], dtype), -bound, bound));
    this.registerParameter('bias', bias ? uniform_(empty([outFeatures], dtype), -bound, bound) : null);
  }

  /**
   * x [..., in] → [..., out].
   *
   * @param input [..., inFeatures]
   * @returns [..., outFeatures]
   */
  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyBool(this.bias !== null)}`;
  }
}
