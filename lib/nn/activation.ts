/** Activation modules: ReLU, LeakyReLU, Sigmoid, Tanh, GELU, SiLU, ELU, Softplus, Softmax, LogSoftmax. */
import type { Tensor } from '../tensor';
import { leakyRelu, logSoftmax, relu, sigmoid, silu, softmax, tanh, type GeluApproximate } from '../ops/activation';
import { checkApproximate, checkNumbers } from '../ops/elementwise';
import { elu, gelu, softplus, type EluOptions, type GeluOptions, type SoftplusOptions } from './functional/activation';
import { Module } from './module';
import { pyFloat } from './repr';
import { KEEPS_NO_TENSORS, type LayerTraits } from './layer-traits';
import { defineOptions, readable, rejectUnknownOptions } from '../options';

/** max(x, 0). */
export class ReLU extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits: LayerTraits<ReLU> = { keepsNoTensors: true, activation: () => ['relu', 0] };

  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** x > 0 ? x : negativeSlope·x. */
export class LeakyReLU extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits: LayerTraits<LeakyReLU> = { keepsNoTensors: true, activation: (m) => ['leakyRelu', m.negativeSlope] };

  /** Slope for negative inputs (default 0.01). */
  readonly negativeSlope: number;

  /**
   * @param negativeSlope the slope for negative inputs (default 0.01)
   */
  constructor(negativeSlope = 0.01) {
    super();
    if (typeof negativeSlope !== 'number') throw new TypeError(`LeakyReLU: negativeSlope must be a number, got ${readable(negativeSlope)}`);
    this.negativeSlope = negativeSlope;
  }

  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope);
  }

  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}`;
  }
}

/** 1 / (1 + e^−x). */
export class Sigmoid extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits: LayerTraits<Sigmoid> = { keepsNoTensors: true, activation: () => ['sigmoid', 0] };

  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** tanh(x). */
export class Tanh extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits: LayerTraits<Tanh> = { keepsNoTensors: true, activation: () => ['tanh', 0] };

  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

const GELU_OPTIONS = defineOptions<GeluOptions>('GELU', { approximate: true });
const ELU_OPTIONS = defineOptions<EluOptions>('ELU', { alpha: true });
const SOFTPLUS_OPTIONS = defineOptions<SoftplusOptions>('Softplus', { beta: true, threshold: true });

/**
 * x·Φ(x), Φ the standard normal CDF; `{ approximate: 'tanh' }` for PyTorch's tanh approximation.
 * Does not fuse into a preceding Linear. PyTorch's `torch.nn.GELU`.
 */
export class GELU extends Module<[Tensor], Tensor> {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;

  /** 'none' (erf) or 'tanh'. */
  readonly approximate: GeluApproximate;

  /** @param options `approximate`: 'none' (exact, with erf; the default) or 'tanh' */
  constructor(options: GeluOptions = {}) {
    rejectUnknownOptions(options, GELU_OPTIONS);
    super();
    this.approximate = checkApproximate(options.approximate ?? 'none', 'GELU');
  }

  forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }

  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** x·σ(x) (swish). Does not fuse into a preceding Linear. PyTorch's `torch.nn.SiLU`. */
export class SiLU extends Module<[Tensor], Tensor> {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;

  forward(input: Tensor): Tensor {
    return silu(input);
  }
}

/** x > 0 ? x : alpha·(eˣ − 1) (default alpha 1). Does not fuse into a preceding Linear. PyTorch's `torch.nn.ELU`. */
export class ELU extends Module<[Tensor], Tensor> {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;

  /** The negative side saturates at −alpha. */
  readonly alpha: number;

  /** @param options `alpha`: the scale of the negative part (default 1) */
  constructor(options: EluOptions = {}) {
    rejectUnknownOptions(options, ELU_OPTIONS);
    super();
    const { alpha = 1 } = options;
    checkNumbers('ELU', { alpha });
    this.alpha = alpha;
  }

  forward(input: Tensor): Tensor {
    return elu(input, { alpha: this.alpha });
  }

  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}`;
  }
}

/**
 * log(1 + e^(beta·x)) / beta, x where beta·x > threshold (defaults 1 and 20).
 * Does not fuse into a preceding Linear. PyTorch's `torch.nn.Softplus`.
 */
export class Softplus extends Module<[Tensor], Tensor> {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;

  /** Sharpness. */
  readonly beta: number;
  /** Where the result switches to x. */
  readonly threshold: number;

  /** @param options `beta`: the sharpness (default 1); `threshold`: above beta·x this the result is x (default 20) */
  constructor(options: SoftplusOptions = {}) {
    rejectUnknownOptions(options, SOFTPLUS_OPTIONS);
    super();
    const { beta = 1, threshold = 20 } = options;
    checkNumbers('Softplus', { beta, threshold });
    this.beta = beta;
    this.threshold = threshold;
  }

  forward(input: Tensor): Tensor {
    return softplus(input, { beta: this.beta, threshold: this.threshold });
  }

  /** PyTorch prints its int defaults as ints: `beta=1, threshold=20`. */
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/** Base of Softmax and LogSoftmax: an op along a `dim` that must be given. */
abstract class AlongDim extends Module<[Tensor], Tensor> {
  /** The dim normalised over. */
  readonly dim: number;

  /**
   * @param name the class name errors start with
   * @param dim checked up front: PyTorch's implicit dim is deprecated, so it is required
   * @param op the functional form the module applies
   */
  protected constructor(name: string, dim: number, private readonly op: (input: Tensor, dim: number) => Tensor) {
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`${name}: dim must be an integer (PyTorch's implicit dim is deprecated), got ${readable(dim)}`);
    this.dim = dim;
  }

  forward(input: Tensor): Tensor {
    return this.op(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** Softmax along `dim` (the dim that sums to 1). */
export class Softmax extends AlongDim {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** @param dim the dim that sums to 1 */
  constructor(dim: number) {
    super('Softmax', dim, softmax);
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends AlongDim {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** @param dim the dim normalised over */
  constructor(dim: number) {
    super('LogSoftmax', dim, logSoftmax);
  }
}
