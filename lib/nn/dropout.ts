/** nn.Dropout module. */
import type { Tensor } from '../tensor';
import type { Generator } from '../random';
import { Module } from './module';
import { dropout, checkDropoutP } from './functional/dropout';
import { pyFloat } from './repr';
import { KEEPS_NO_TENSORS } from './layer-traits';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Generator for the masks (default: the one `manualSeed` seeds). */
  generator?: Generator;
}

const DROPOUT = defineOptions<DropoutOptions>('Dropout', { generator: true });

/**
 * Zeroes each element with probability `p` in training mode and scales the
 * rest by 1/(1−p) (inverted dropout); the identity in eval mode.
 */
export class Dropout extends Module<[Tensor], Tensor> {
  /** See LayerTraits. */
  /** @internal How the library\'s buffer reuse and fusion treat this layer. */
  static readonly traits = KEEPS_NO_TENSORS;

  /** Probability of zeroing an element. */
  readonly p: number;
  private readonly generator: Generator | undefined;

  /**
   * @param p the probability of zeroing an element (default 0.5)
   * @param options `generator` for the mask
   */
  constructor(p = 0.5, options: DropoutOptions = {}) {
    rejectUnknownOptions(options, DROPOUT);
    super();
    this.p = checkDropoutP('Dropout', p);
    this.generator = options.generator;
  }

  forward(input: Tensor): Tensor {
    return dropout(input, this.p, this.training, { generator: this.generator });
  }

  override extraRepr(): string {
    return `p=${pyFloat(this.p)}, inplace=False`;
  }
}
