/** Pooling modules: nn.MaxPool1d/2d, nn.AvgPool1d/2d, nn.AdaptiveAvgPool2d (PyTorch's arguments and reprs). */
import type { Tensor } from '../tensor';
import { Module } from './module';
import { KEEPS_NO_TENSORS } from './layer-traits';
import { pyBool } from './repr';
import { defineOptions, rejectUnknownOptions } from '../options';
import {
  AVG_POOL_1D_KEYS, AVG_POOL_2D_KEYS, MAX_POOL_KEYS, adaptiveAvgPool2d, avgPool, maxPool,
  type AdaptiveSize, type AvgPool1dOptions, type AvgPoolOptions, type MaxPoolOptions, type PoolSize,
} from '../ops/pool';

/** A size as Python prints it: `2`, `(2, 3)`, `(2,)`, `None`. */
function py(v: number | null | readonly (number | null)[]): string {
  if (v === null) return 'None';
  if (typeof v === 'number') return String(v);
  const items = v.map((x) => (x === null ? 'None' : String(x)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** A 1-D size as PyTorch's AvgPool1d stores it (a 1-tuple). */
const single = (v: PoolSize): readonly number[] => (typeof v === 'number' ? [v] : v);

const MAX_POOL_1D = defineOptions<MaxPoolOptions>('MaxPool1d', MAX_POOL_KEYS);
const MAX_POOL_2D = defineOptions<MaxPoolOptions>('MaxPool2d', MAX_POOL_KEYS);
const AVG_POOL_1D = defineOptions<AvgPool1dOptions>('AvgPool1d', AVG_POOL_1D_KEYS);
const AVG_POOL_2D = defineOptions<AvgPoolOptions>('AvgPool2d', AVG_POOL_2D_KEYS);

/** Shared body of MaxPool1d / MaxPool2d. */
abstract class MaxPoolNd extends Module<[Tensor], Tensor> {
  /** Window size. */
  readonly kernelSize: PoolSize;
  /** Step between windows (kernelSize unless given). */
  readonly stride: PoolSize;
  /** Implicit −∞ padding on both sides. */
  readonly padding: PoolSize;
  /** Spacing between a window's taps. */
  readonly dilation: PoolSize;
  /** Round the output size up. */
  readonly ceilMode: boolean;
  /** How many trailing dims are pooled over. */
  protected abstract readonly dims: 1 | 2;

  constructor(kernelSize: PoolSize, options: MaxPoolOptions) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(input: Tensor): Tensor {
    const o = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    return maxPool(`MaxPool${this.dims}d`, this.dims, input, this.kernelSize, o);
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}, dilation=${py(this.dilation)}, ceil_mode=${pyBool(this.ceilMode)}`;
  }
}

/** Max pooling over the last dim of (N, C, L) or (C, L). PyTorch's `torch.nn.MaxPool1d` (no `return_indices`). */
export class MaxPool1d extends MaxPoolNd {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;
  /** Pools over the last dim. */
  protected readonly dims = 1;

  /**
   * @param kernelSize window size: a number (or a 1-element array)
   * @param options `stride` (default kernelSize), `padding` (−∞, default 0), `dilation` (default 1), `ceilMode` (default false)
   */
  constructor(kernelSize: PoolSize, options: MaxPoolOptions = {}) {
    rejectUnknownOptions(options, MAX_POOL_1D);
    super(kernelSize, options);
  }
}

/**
 * Max pooling over the last two dims of (N, C, H, W) or (C, H, W).
 * PyTorch's `torch.nn.MaxPool2d` (no `return_indices`).
 *
 * @example
 * ```ts
 * const pool = new nn.MaxPool2d(2);
 * pool.forward(torch.randn(8, 16, 32, 32));                                // [8, 16, 16, 16]
 * new nn.MaxPool2d([3, 3], { stride: 2, padding: 1 }).forward(torch.randn(1, 3, 7, 7));  // [1, 3, 4, 4]
 * ```
 */
export class MaxPool2d extends MaxPoolNd {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;
  /** Pools over the last two dims. */
  protected readonly dims = 2;

  /**
   * @param kernelSize window size: a number or [kH, kW]
   * @param options `stride` (default kernelSize), `padding` (−∞, default 0), `dilation` (default 1), `ceilMode` (default false)
   */
  constructor(kernelSize: PoolSize, options: MaxPoolOptions = {}) {
    rejectUnknownOptions(options, MAX_POOL_2D);
    super(kernelSize, options);
  }
}

/** Shared fields of AvgPool1d / AvgPool2d. */
abstract class AvgPoolNd extends Module<[Tensor], Tensor> {
  /** Window size. */
  readonly kernelSize: PoolSize;
  /** Step between windows (kernelSize unless given). */
  readonly stride: PoolSize;
  /** Implicit zero padding on both sides. */
  readonly padding: PoolSize;
  /** Round the output size up. */
  readonly ceilMode: boolean;
  /** Count padding in the divisor. */
  readonly countIncludePad: boolean;

  constructor(kernelSize: PoolSize, options: AvgPool1dOptions) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  /** The options the functional form takes. */
  protected options(): AvgPool1dOptions {
    return { stride: this.stride, padding: this.padding, ceilMode: this.ceilMode, countIncludePad: this.countIncludePad };
  }
}

/** Average pooling over the last dim of (N, C, L) or (C, L). PyTorch's `torch.nn.AvgPool1d`. */
export class AvgPool1d extends AvgPoolNd {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;

  /**
   * @param kernelSize window size: a number (or a 1-element array)
   * @param options `stride` (default kernelSize), `padding` (zeros, default 0), `ceilMode` (default false), `countIncludePad` (default true)
   */
  constructor(kernelSize: PoolSize, options: AvgPool1dOptions = {}) {
    rejectUnknownOptions(options, AVG_POOL_1D);
    super(kernelSize, options);
  }

  forward(input: Tensor): Tensor {
    return avgPool('AvgPool1d', 1, input, this.kernelSize, this.options());
  }

  override extraRepr(): string {
    return `kernel_size=${py(single(this.kernelSize))}, stride=${py(single(this.stride))}, padding=${py(single(this.padding))}`;
  }
}

/** Average pooling over the last two dims of (N, C, H, W) or (C, H, W). PyTorch's `torch.nn.AvgPool2d`. */
export class AvgPool2d extends AvgPoolNd {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;
  /** Divisor of every window instead of its size, or null. */
  readonly divisorOverride: number | null;

  /**
   * @param kernelSize window size: a number or [kH, kW]
   * @param options `stride` (default kernelSize), `padding` (zeros, default 0), `ceilMode` (default false), `countIncludePad` (default true), `divisorOverride` (default none)
   */
  constructor(kernelSize: PoolSize, options: AvgPoolOptions = {}) {
    rejectUnknownOptions(options, AVG_POOL_2D);
    super(kernelSize, options);
    this.divisorOverride = options.divisorOverride ?? null;
  }

  forward(input: Tensor): Tensor {
    return avgPool('AvgPool2d', 2, input, this.kernelSize, { ...this.options(), divisorOverride: this.divisorOverride });
  }

  override extraRepr(): string {
    return `kernel_size=${py(this.kernelSize)}, stride=${py(this.stride)}, padding=${py(this.padding)}`;
  }
}

/** Average pooling to a fixed output size (null in [oh, ow] keeps that input size). PyTorch's `torch.nn.AdaptiveAvgPool2d`. */
export class AdaptiveAvgPool2d extends Module<[Tensor], Tensor> {
  /** @internal How the library's buffer reuse and fusion treat this layer (see LayerTraits). */
  static readonly traits = KEEPS_NO_TENSORS;
  /** The output size. */
  readonly outputSize: AdaptiveSize;

  /** @param outputSize the output's [oh, ow], or one number for both; null in either keeps that input size */
  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = outputSize;
  }

  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  override extraRepr(): string {
    return `output_size=${py(this.outputSize)}`;
  }
}
