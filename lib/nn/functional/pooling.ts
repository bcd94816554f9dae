/** Functional pooling: F.maxPool1d/2d, F.avgPool1d/2d, F.adaptiveAvgPool2d (PyTorch's signatures). */
import type { Tensor } from '../../tensor';
import { defineOptions, rejectUnknownOptions } from '../../options';
import {
  AVG_POOL_1D_KEYS, AVG_POOL_2D_KEYS, MAX_POOL_KEYS, avgPool, maxPool,
  type AvgPool1dOptions, type AvgPoolOptions, type MaxPoolOptions, type PoolSize,
} from '../../ops/pool';

export {
  adaptiveAvgPool2d, type AdaptiveSize, type AvgPool1dOptions, type AvgPoolOptions, type MaxPoolOptions, type PoolSize,
} from '../../ops/pool';

const MAX_POOL_1D = defineOptions<MaxPoolOptions>('maxPool1d', MAX_POOL_KEYS);
const MAX_POOL_2D = defineOptions<MaxPoolOptions>('maxPool2d', MAX_POOL_KEYS);
const AVG_POOL_1D = defineOptions<AvgPool1dOptions>('avgPool1d', AVG_POOL_1D_KEYS);
const AVG_POOL_2D = defineOptions<AvgPoolOptions>('avgPool2d', AVG_POOL_2D_KEYS);

/**
 * Max over windows of the last dim of (N, C, L) or (C, L); stride defaults to kernelSize.
 * PyTorch's `F.max_pool1d`.
 *
 * @param input (N, C, L) or (C, L)
 * @param kernelSize window size: a number (or a 1-element array)
 * @param options `stride` (default kernelSize), `padding` (−∞, default 0), `dilation` (default 1), `ceilMode` (default false)
 */
export function maxPool1d(input: Tensor, kernelSize: PoolSize, options: MaxPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, MAX_POOL_1D);
  return maxPool('maxPool1d', 1, input, kernelSize, options);
}

/**
 * Max over windows of the last two dims of (N, C, H, W) or (C, H, W); stride defaults to kernelSize.
 * PyTorch's `F.max_pool2d`.
 *
 * @param input (N, C, H, W) or (C, H, W)
 * @param kernelSize window size: a number or [kH, kW]
 * @param options `stride` (default kernelSize), `padding` (−∞, default 0), `dilation` (default 1), `ceilMode` (default false)
 */
export function maxPool2d(input: Tensor, kernelSize: PoolSize, options: MaxPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, MAX_POOL_2D);
  return maxPool('maxPool2d', 2, input, kernelSize, options);
}

/**
 * Mean over windows of the last dim of (N, C, L) or (C, L); stride defaults to kernelSize.
 * PyTorch's `F.avg_pool1d`.
 *
 * @param input (N, C, L) or (C, L)
 * @param kernelSize window size: a number (or a 1-element array)
 * @param options `stride` (default kernelSize), `padding` (zeros, default 0), `ceilMode` (default false), `countIncludePad` (default true)
 */
export function avgPool1d(input: Tensor, kernelSize: PoolSize, options: AvgPool1dOptions = {}): Tensor {
  rejectUnknownOptions(options, AVG_POOL_1D);
  return avgPool('avgPool1d', 1, input, kernelSize, options);
}

/**
 * Mean over windows of the last two dims of (N, C, H, W) or (C, H, W); stride defaults to kernelSize.
 * PyTorch's `F.avg_pool2d`.
 *
 * @param input (N, C, H, W) or (C, H, W)
 * @param kernelSize window size: a number or [kH, kW]
 * @param options `stride` (default kernelSize), `padding` (zeros, default 0), `ceilMode` (default false), `countIncludePad` (default true), `divisorOverride` (default none)
 */
export function avgPool2d(input: Tensor, kernelSize: PoolSize, options: AvgPoolOptions = {}): Tensor {
  rejectUnknownOptions(options, AVG_POOL_2D);
  return avgPool('avgPool2d', 2, input, kernelSize, options);
}
