/** nn.Flatten and nn.Identity: shape plumbing modules. */
import type { Tensor } from '../tensor';
import { flatten } from '../ops/shape';
import { Module } from './module';
import { KEEPS_NO_TENSORS } from './layer-traits';
import { readable } from '../options';

/** Flattens dims startDim..endDim (default 1..−1: everything but the batch dim). */
export class Flatten extends Module<[Tensor], Tensor> {
  /** See LayerTraits. */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** First dim to flatten. */
  readonly startDim: number;
  /** Last dim to flatten (inclusive). */
  readonly endDim: number;

  /**
   * @param startDim the first dim to flatten (default 1, keeping the batch dim)
   * @param endDim the last dim to flatten (default -1)
   */
  constructor(startDim = 1, endDim = -1) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new TypeError(`Flatten: startDim and endDim must be integers, got ${readable(startDim)} and ${readable(endDim)}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Returns its input unchanged (a placeholder, e.g. to switch a layer off). */
export class Identity extends Module<[Tensor], Tensor> {
  /** See LayerTraits. */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits = KEEPS_NO_TENSORS;

  forward(input: Tensor): Tensor {
    return input;
  }
}
