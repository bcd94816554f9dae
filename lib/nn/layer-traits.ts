/**
 * What nn.Sequential may assume about a layer, declared by the layer's class
 * as `static readonly traits`: whether its forward keeps tensors (buffer
 * reuse) and whether it fuses with its neighbour into one op (linearAct, or
 * a convolution with a following ReLU).
 */
import type { Tensor } from '../tensor';
import type { LinearActivation } from '../ops/fused-linear';

/** The traits a layer class declares; `M` is the class. */
export interface LayerTraits<M = unknown> {
  /**
   * forward keeps no reference to its input or output, so when every layer of
   * a Sequential says so, the buffers between them are reused after backward.
   */
  readonly keepsNoTensors: boolean;
  /** A linear layer: its weight and bias, for a following activation layer to fuse with. */
  linear?(layer: M): { weight: Tensor; bias: Tensor | null };
  /** A layer that applies a following ReLU within its own op (the convolutions): its forward with the ReLU. */
  reluFused?(layer: M, input: Tensor): Tensor;
  /** An activation layer: the activation (and slope) it applies, fused into a preceding linear layer. */
  activation?(layer: M): readonly [LinearActivation, number];
}

/**
 * The traits `layer`'s class declares itself, or null. Inherited traits do
 * not count: a subclass may override forward, so it must declare its own.
 */
export function traitsOf(layer: object): LayerTraits | null {
  const c = layer.constructor as { traits?: LayerTraits };
  return Object.prototype.hasOwnProperty.call(c, 'traits') ? (c.traits as LayerTraits) : null;
}

/** The traits of a layer that keeps no tensor and fuses with nothing. */
export const KEEPS_NO_TENSORS: LayerTraits = { keepsNoTensors: true };
