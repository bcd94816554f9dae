/** The `weight` and `bias` parameters that Linear and the convolutions share. */
import type { Tensor } from '../tensor';
import { Module } from './module';

/**
 * A module with a `weight` parameter and an optional `bias` (null when built
 * without one), registered under PyTorch's state-dict keys `weight` and `bias`.
 */
export abstract class WeightBiasModule extends Module<[Tensor], Tensor> {
  /** The weight (its layout is the subclass's: Linear [out, in], Conv2d [out, in/groups, kH, kW]). */
  get weight(): Tensor {
    return this._parameters.get('weight') as Tensor;
  }

  /** Replaces the weight parameter (registered under 'weight'). */
  set weight(value: Tensor) {
    this.registerParameter('weight', value);
  }

  /** The bias [outFeatures or outChannels], or null when built with `{ bias: false }`. */
  get bias(): Tensor | null {
    return this._parameters.get('bias') ?? null;
  }

  /** Replaces the bias parameter, or removes it with null. */
  set bias(value: Tensor | null) {
    this.registerParameter('bias', value);
  }
}
