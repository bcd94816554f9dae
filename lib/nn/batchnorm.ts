/** nn.BatchNorm1d / nn.BatchNorm2d: batch normalization with PyTorch's parameters, buffers and modes. */
import type { Tensor } from '../tensor';
import { checkDType, isFloat, type DType } from '../dtype';
import { full, zeros } from '../ops/creation';
import { add_ } from '../ops/inplace';
import { noGrad } from '../autograd/grad-mode';
import { checkTensor } from '../ops/util';
import { fmtShape } from '../shape';
import { batchNorm } from '../ops/batch-norm';
import { Module } from './module';
import { pyBool, pyFloat } from './repr';
import { defineOptions, readable, rejectUnknownOptions, type OptionSpec } from '../options';

/** Options of `BatchNorm1d` / `BatchNorm2d` (PyTorch's keywords). */
export interface BatchNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each batch's statistic in the running average; null: a cumulative average (default 0.1). */
  momentum?: number | null;
  /** Learn a per-channel weight (ones) and bias (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode; without them eval uses batch statistics (default true). */
  trackRunningStats?: boolean;
  /** dtype of the parameters and float buffers (default float32). */
  dtype?: DType;
}

const KEYS = { eps: true, momentum: true, affine: true, trackRunningStats: true, dtype: true } as const;
const BATCH_NORM_1D = defineOptions<BatchNormModuleOptions>('BatchNorm1d', KEYS);
const BATCH_NORM_2D = defineOptions<BatchNormModuleOptions>('BatchNorm2d', KEYS);

/** Shared body of BatchNorm1d / BatchNorm2d (PyTorch's _BatchNorm). */
abstract class BatchNormNd extends Module<[Tensor], Tensor> {
  /** Channels C of the (N, C, ...) input. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Running-average weight, or null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether weight and bias exist. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** Input ranks this module accepts. */
  protected abstract readonly ranks: readonly number[];
  /** The class name errors start with. */
  private readonly where: string;

  constructor(where: string, spec: OptionSpec, numFeatures: number, options: BatchNormModuleOptions) {
    rejectUnknownOptions(options, spec);
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`${where}: numFeatures must be a positive integer, got ${readable(numFeatures)}`);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype = 'float32' } = options;
    checkDType(dtype, where);
    if (!isFloat(dtype)) throw new TypeError(`${where}: dtype must be float32 or float64, got ${dtype}`);
    if (typeof eps !== 'number' || !(eps >= 0)) throw new RangeError(`${where}: eps must be a non-negative number, got ${readable(eps)}`);
    if (momentum !== null && typeof momentum !== 'number') throw new TypeError(`${where}: momentum must be a number or null, got ${readable(momentum)}`);
    this.where = where;
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.registerParameter('weight', affine ? full([numFeatures], 1, { dtype }) : null);
    this.registerParameter('bias', affine ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_mean', trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', trackRunningStats ? full([numFeatures], 1, { dtype }) : null);
    this.registerBuffer('num_batches_tracked', trackRunningStats ? zeros([], { dtype: 'int32' }) : null, { persistentDtype: 'int64' });
  }

  /** The per-channel scale γ (ones at first), or null without affine. */
  get weight(): Tensor | null {
    return this._parameters.get('weight') ?? null;
  }

  /** Replaces the scale parameter, or removes it with null. */
  set weight(value: Tensor | null) {
    this.registerParameter('weight', value);
  }

  /** The per-channel shift β (zeros at first), or null without affine. */
  get bias(): Tensor | null {
    return this._parameters.get('bias') ?? null;
  }

  /** Replaces the shift parameter, or removes it with null. */
  set bias(value: Tensor | null) {
    this.registerParameter('bias', value);
  }

  /** The running mean (buffer `running_mean`), or null without trackRunningStats. */
  get runningMean(): Tensor | null {
    return this._buffers.get('running_mean') ?? null;
  }

  /** The running (unbiased) variance (buffer `running_var`), or null without trackRunningStats. */
  get runningVar(): Tensor | null {
    return this._buffers.get('running_var') ?? null;
  }

  /** Training-mode forward passes so far (buffer `num_batches_tracked`, int32 here, int64 in files), or null. */
  get numBatchesTracked(): Tensor | null {
    return this._buffers.get('num_batches_tracked') ?? null;
  }

  forward(input: Tensor): Tensor {
    const where = this.where;
    checkTensor(input, where);
    if (!this.ranks.includes(input.ndim)) {
      throw new RangeError(`${where}: expected ${this.ranks.map((r) => `${r}D`).join(' or ')} input (got ${input.ndim}D input of shape ${fmtShape(input.shape)})`);
    }
    let factor = this.momentum ?? 0;
    const counter = this.numBatchesTracked;
    if (this.training && this.trackRunningStats && counter !== null) {
      noGrad(() => add_(counter, 1));
      factor = this.momentum ?? 1 / (counter.data[0] as number);
    }
    const batchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const useRunning = !this.training || this.trackRunningStats;
    return batchNorm(input, useRunning ? this.runningMean : null, useRunning ? this.runningVar : null, {
      weight: this.weight, bias: this.bias, training: batchStats, momentum: factor, eps: this.eps,
    });
  }

  override extraRepr(): string {
    const momentum = this.momentum === null ? 'None' : pyFloat(this.momentum);
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${momentum}, affine=${pyBool(this.affine)}, track_running_stats=${pyBool(this.trackRunningStats)}`;
  }
}

/** Batch normalization of (N, C) or (N, C, L) inputs over N (and L) per channel. PyTorch's `torch.nn.BatchNorm1d`. */
export class BatchNorm1d extends BatchNormNd {
  protected readonly ranks = [2, 3];

  /**
   * @param numFeatures C, the channel count of the input
   * @param options `eps` (default 1e-5), `momentum` (default 0.1; null for a cumulative average), `affine` (default true), `trackRunningStats` (default true) and `dtype` (default float32)
   */
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm1d', BATCH_NORM_1D, numFeatures, options);
  }
}

/**
 * Batch normalization of (N, C, H, W) inputs over N, H and W per channel.
 * PyTorch's `torch.nn.BatchNorm2d`: training mode normalises with the batch's
 * statistics and updates the running ones; eval mode uses the running ones.
 *
 * @example
 * ```ts
 * const bn = new nn.BatchNorm2d(16);
 * const y = bn.forward(torch.randn(8, 16, 32, 32));   // [8, 16, 32, 32]; runningMean/runningVar updated
 * bn.eval();
 * bn.forward(torch.randn(1, 16, 32, 32));             // normalised with the running statistics
 * ```
 */
export class BatchNorm2d extends BatchNormNd {
  protected readonly ranks = [4];

  /**
   * @param numFeatures C, the channel count of the input
   * @param options `eps` (default 1e-5), `momentum` (default 0.1; null for a cumulative average), `affine` (default true), `trackRunningStats` (default true) and `dtype` (default float32)
   */
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm2d', BATCH_NORM_2D, numFeatures, options);
  }
}
