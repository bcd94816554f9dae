/** Activation modules: ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax. */
import type { Tensor } from '../tensor';
import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '../ops/activation';
import { Module } from './module';
import { pyFloat } from './repr';
import { KEEPS_NO_TENSORS, type LayerTraits } from './layer-traits';
import { readable } from '../options';

/** max(x, 0). */
export class ReLU extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  static readonly traits: LayerTraits<ReLU> = { keepsNoTensors: true, activation: () => ['relu', 0] };

  forward(input: Tensor): Tensor {
    return relu(input);
  }
}

/** x > 0 ? x : negativeSlope·x. */
export class LeakyReLU extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  static readonly traits: LayerTraits<LeakyReLU> = { keepsNoTensors: true, activation: (m) => ['leakyRelu', m.negativeSlope] };

  /** Slope for negative inputs (default 0.01). */
  readonly negativeSlope: number;

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
  static readonly traits: LayerTraits<Sigmoid> = { keepsNoTensors: true, activation: () => ['sigmoid', 0] };

  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** tanh(x). */
export class Tanh extends Module<[Tensor], Tensor> {
  /** Fuses into a preceding Linear (see LayerTraits). */
  static readonly traits: LayerTraits<Tanh> = { keepsNoTensors: true, activation: () => ['tanh', 0] };

  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** Checks the dim of Softmax/LogSoftmax up front: PyTorch's implicit dim is deprecated, so it is required. */
function checkDim(name: string, dim: number): number {
  if (!Number.isInteger(dim)) throw new TypeError(`${name}: dim must be an integer (PyTorch's implicit dim is deprecated), got ${readable(dim)}`);
  return dim;
}

/** Softmax along `dim`. */
export class Softmax extends Module<[Tensor], Tensor> {
  /** See LayerTraits. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** The dim that sums to 1. */
  readonly dim: number;

  constructor(dim: number) {
    super();
    this.dim = checkDim('Softmax', dim);
  }

  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/** log(softmax(x)) along `dim`, computed stably. */
export class LogSoftmax extends Module<[Tensor], Tensor> {
  /** See LayerTraits. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** The dim normalised over. */
  readonly dim: number;

  constructor(dim: number) {
    super();
    this.dim = checkDim('LogSoftmax', dim);
  }

  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
