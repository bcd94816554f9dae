/**
 * Loss modules: thin wrappers that keep the options and call nn.functional.
 * Class and element weights are registered as buffers ('weight', 'pos_weight'),
 * as in PyTorch, so `to(dtype)` converts them and state-dict keys match.
 */
import type { Tensor } from '../tensor';
import { Module } from './module';
import { checkReduction, type Reduction, type ReductionOptions } from './functional/checks';
import { l1Loss, mseLoss } from './functional/regression';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, type BCEOptions, type BCEWithLogitsOptions } from './functional/bce';
import { nllLoss, type NLLOptions } from './functional/nll';
import { crossEntropy, type CrossEntropyOptions } from './functional/cross-entropy';
import { defineOptions, rejectUnknownOptions } from '../options';

/** Base of the losses: `forward(input, target)` and a `reduction`. */
abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  /** 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;

  constructor(options: ReductionOptions) {
    super();
    this.reduction = checkReduction(this.constructor.name, options.reduction ?? 'mean');
  }
}

/** A loss with an optional `weight` buffer. */
abstract class WeightedLoss extends Loss {
  constructor(options: ReductionOptions & { weight?: Tensor | null }) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }

  /** The weight given at construction (converted by `to(dtype)`), or null. */
  get weight(): Tensor | null {
    return this._buffers.get('weight') ?? null;
  }
}

const MSE = defineOptions<ReductionOptions>('MSELoss', { reduction: true });

/**
 * Mean squared error (input − target)², PyTorch's `torch.nn.MSELoss`.
 *
 * @example
 * ```ts
 * const loss = new nn.MSELoss().forward(model.forward(x), y);
 * loss.backward();
 * ```
 */
export class MSELoss extends Loss {
  /**
   * @param options `reduction`: 'mean' (default), 'sum' or 'none'
   */
  constructor(options: ReductionOptions = {}) {
    rejectUnknownOptions(options, MSE);
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

const L1 = defineOptions<ReductionOptions>('L1Loss', { reduction: true });

/** Mean absolute error: |input − target|. */
export class L1Loss extends Loss {
  /**
   * @param options `reduction`: 'mean' (default), 'sum' or 'none'
   */
  constructor(options: ReductionOptions = {}) {
    rejectUnknownOptions(options, L1);
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

const BCE = defineOptions<BCEOptions>('BCELoss', { reduction: true, weight: true });

/** Binary cross-entropy of probabilities in [0, 1] (logs clamped at −100). */
export class BCELoss extends WeightedLoss {
  /**
   * @param options `weight` (per element, broadcast), `reduction`
   */
  constructor(options: BCEOptions = {}) {
    rejectUnknownOptions(options, BCE);
    super(options);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

const BCE_WITH_LOGITS = defineOptions<BCEWithLogitsOptions>('BCEWithLogitsLoss', { reduction: true, weight: true, posWeight: true });

/** Sigmoid + binary cross-entropy on raw scores, numerically stable, with optional `posWeight`. */
export class BCEWithLogitsLoss extends WeightedLoss {
  /**
   * @param options `weight`, `posWeight` (per class, for positives), `reduction`
   */
  constructor(options: BCEWithLogitsOptions = {}) {
    rejectUnknownOptions(options, BCE_WITH_LOGITS);
    super(options);
    this.registerBuffer('pos_weight', options.posWeight ?? null);
  }

  /** Weight of positive examples, or null. */
  get posWeight(): Tensor | null {
    return this._buffers.get('pos_weight') ?? null;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, { weight: this.weight, posWeight: this.posWeight, reduction: this.reduction });
  }
}

const NLL = defineOptions<NLLOptions>('NLLLoss', { reduction: true, weight: true, ignoreIndex: true });

/** Negative log-likelihood of log-probabilities at int32 class indices. */
export class NLLLoss extends WeightedLoss {
  /** Target value that is skipped (default −100). */
  readonly ignoreIndex: number;

  /**
   * @param options `weight` (per class), `ignoreIndex`, `reduction`
   */
  constructor(options: NLLOptions = {}) {
    rejectUnknownOptions(options, NLL);
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

const CROSS_ENTROPY = defineOptions<CrossEntropyOptions>('CrossEntropyLoss', { reduction: true, weight: true, ignoreIndex: true, labelSmoothing: true });

/**
 * Cross-entropy on raw scores (logSoftmax + NLL), PyTorch's
 * `torch.nn.CrossEntropyLoss`: int32 class-index targets ([N]) or class
 * probabilities ([N, C]), with `weight`, `ignoreIndex`, `labelSmoothing` and
 * `reduction`. Runs as one fused softmax + cross-entropy kernel where it can.
 *
 * @example
 * ```ts
 * const lossFn = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const logits = torch.randn(4, 3, { requiresGrad: true });
 * const labels = torch.tensor([0, 2, 1, 2], { dtype: 'int32' });
 * lossFn.forward(logits, labels).backward();
 * ```
 */
export class CrossEntropyLoss extends WeightedLoss {
  /** Target value that is skipped (default −100). */
  readonly ignoreIndex: number;
  /** Label smoothing ε in [0, 1] (default 0). */
  readonly labelSmoothing: number;

  /**
   * @param options `weight` (per class), `ignoreIndex`, `labelSmoothing`, `reduction` ('mean', 'sum' or 'none')
   */
  constructor(options: CrossEntropyOptions = {}) {
    rejectUnknownOptions(options, CROSS_ENTROPY);
    super(options);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight, ignoreIndex: this.ignoreIndex, labelSmoothing: this.labelSmoothing, reduction: this.reduction,
    });
  }
}
